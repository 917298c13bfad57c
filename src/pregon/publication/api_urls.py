from django.urls import URLPattern, URLResolver

app_name = "ocds_api"
urlpatterns: list[URLPattern | URLResolver] = []
