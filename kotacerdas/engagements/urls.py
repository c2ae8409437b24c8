from django.urls import URLPattern

app_name = "engagements"

urlpatterns: list[URLPattern] = []
