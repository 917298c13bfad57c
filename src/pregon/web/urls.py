from django.urls import path

from pregon.web import search_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("searches/", search_views.saved_search_list, name="saved_searches"),
    path("searches/save/", search_views.saved_search_save, name="saved_search_save"),
    path("searches/<int:pk>/delete/", search_views.saved_search_remove, name="saved_search_delete"),
]
