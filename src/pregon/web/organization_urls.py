"""Organizations' public pages and supplier registration, mounted at /<lang>/organizations/."""

from django.urls import path

from pregon.organizations import views as registration
from pregon.web import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("register/", registration.register, name="register"),
    path("register/check-your-email/", registration.registered, name="registered"),
    path("<int:pk>/", views.organization_detail, name="detail"),
]
