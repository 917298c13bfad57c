"""The public pages of plans, mounted at /<lang>/plans/."""

from django.urls import path

from pregon.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.coming_soon, name="coming_soon"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("lines/<int:pk>/", views.line_detail, name="line"),
]
