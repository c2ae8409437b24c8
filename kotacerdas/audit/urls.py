from django.urls import path

from kotacerdas.audit import views

app_name = "audit"

urlpatterns = [path("", views.audit_all, name="all")]
