"""The pages of quick quotes, mounted at /<lang>/quotes/."""

from django.urls import URLPattern, URLResolver, path

from pregon.quotes import views

app_name = "quotes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.quick_quote_list, name="list"),
    path("<int:pk>/", views.quick_quote_detail, name="detail"),
    path("<int:pk>/quote/", views.quote_form, name="quote"),
    path("buyer/", views.buyer_home, name="buyer"),
    path("buyer/new/", views.quick_quote_new, name="new"),
    path("buyer/<int:pk>/", views.quick_quote_manage, name="manage"),
    path("buyer/<int:pk>/edit/", views.quick_quote_edit, name="edit"),
    path("supplier/", views.supplier_home, name="supplier"),
]
