"""The alerts' pages, mounted at /<lang>/alerts/."""

from django.urls import path

from pregon.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reminders/stop/<str:token>/", views.tender_stop, name="tender_stop"),
    path("tenders/<int:pk>/follow/", views.tender_follow, name="follow"),
    path("tenders/<int:pk>/unfollow/", views.tender_unfollow, name="unfollow"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
]
