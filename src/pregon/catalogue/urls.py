"""The pages of supplier catalogues, mounted at /<lang>/suppliers/."""

from django.urls import path

from pregon.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.profile, name="profile"),
    path("items/<int:pk>/photo.jpg", views.photo, {"variant": "photo"}, name="photo"),
    path("items/<int:pk>/thumbnail.jpg", views.photo, {"variant": "thumbnail"}, name="thumbnail"),
    path("catalogue/", views.manage, name="manage"),
    path("catalogue/items/new/", views.item_new, name="item_new"),
    path("catalogue/items/<int:pk>/", views.item_edit, name="item_edit"),
    path("catalogue/items/<int:pk>/remove/", views.item_remove, name="item_remove"),
]
