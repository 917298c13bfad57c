"""The pages of subcontracting, mounted at /<lang>/subcontracting/."""

from django.urls import URLPattern, URLResolver, path

from pregon.subcontracting import views

app_name = "subcontracting"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/manage/", views.opportunity_manage, name="manage"),
    path("contracts/<int:pk>/", views.contract_subcontracts, name="contract"),
]
