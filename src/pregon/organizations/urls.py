from django.urls import path

from pregon.organizations import views

app_name = "organizations"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/check-your-email/", views.registered, name="registered"),
    path("<int:pk>/", views.organization_detail, name="detail"),
]
