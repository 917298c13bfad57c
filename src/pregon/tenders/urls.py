from django.urls import path

from pregon.tenders import views

app_name = "tenders"
urlpatterns = [
    path("", views.tender_list, name="list"),
    path("<int:pk>/", views.tender_detail, name="detail"),
    path("<int:pk>/ask/", views.tender_ask, name="ask"),
    path("<int:pk>/documents/<int:doc>/", views.tender_document, name="document"),
]
