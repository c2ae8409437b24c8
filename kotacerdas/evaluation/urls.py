"""Annual evaluation pages: /wilayah/<code>/evaluasi/... and the ministry's overview /evaluasi/."""

from django.urls import path

from kotacerdas.evaluation import views

app_name = "evaluation"

R = "wilayah/<str:code>/evaluasi/"
Y = R + "<int:year>/"

urlpatterns = [
    path("evaluasi/", views.overview, name="overview"),
    path(R, views.index, name="index"),
    path(R + "baru/", views.create, name="create"),
    path(Y, views.detail, name="detail"),
    path(Y + "nilai/", views.scores, name="scores"),
    path(Y + "rilis/", views.release, name="release"),
    path(Y + "bukti/<str:dimension>/", views.evidence, name="evidence"),
    path(Y + "surat.<str:fmt>", views.letter, name="letter"),
]
