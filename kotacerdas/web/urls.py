from django.urls import path

from kotacerdas.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("pekerjaan-saya/", views.my_work, name="my_work"),
    path("healthz", views.health, name="health"),
    path("csp-report", views.csp_report, name="csp_report"),
    path("readyz", views.ready, name="ready"),
]
