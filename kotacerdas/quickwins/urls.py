from django.urls import URLPattern

app_name = "quickwins"

urlpatterns: list[URLPattern] = []
