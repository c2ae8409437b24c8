from django.urls import path

from kotacerdas.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("pekerjaan-saya/", views.my_work, name="my_work"),
    path("nasional/", views.national_view, name="national"),
    path("nasional/ekspor.xlsx", views.national_export, name="national_export"),
    path("nasional/hambatan/", views.national_obstacles, name="national_obstacles"),
    path("healthz", views.health, name="health"),
    path("csp-report", views.csp_report, name="csp_report"),
    path("readyz", views.ready, name="ready"),
]
