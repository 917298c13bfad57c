from django.urls import URLPattern, URLResolver

app_name = "log"
urlpatterns: list[URLPattern | URLResolver] = []
