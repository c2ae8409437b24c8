"""Document pages, under the region: /wilayah/<code>/dokumen/..."""

from django.urls import path

from kotacerdas.reports import views

app_name = "reports"

D = "wilayah/<str:code>/dokumen/"

urlpatterns = [
    path(D, views.documents, name="documents"),
    path(D + "buat/", views.generate, name="generate"),
    path(D + "<int:pk>/", views.job, name="job"),
    path(D + "<int:pk>/unduh/", views.download, name="download"),
]
