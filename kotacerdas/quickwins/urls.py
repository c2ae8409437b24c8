"""Quick-win pages, all under the region: /wilayah/<code>/quick-win/..."""

from django.urls import path

from kotacerdas.quickwins import views

app_name = "quickwins"

R = "wilayah/<str:code>/quick-win/"
Y = R + "<int:year>/"
S = Y + "hasil/<int:number>/"

urlpatterns = [
    path(R, views.rounds, name="rounds"),
    path(R + "baru/", views.round_create, name="round_create"),
    path(Y, views.round_detail, name="round"),
    path(Y + "pengaturan/", views.round_settings, name="settings"),
    path(Y + "kriteria/", views.criteria, name="criteria"),
    path(Y + "perbandingan/", views.pairwise, name="pairwise"),
    path(Y + "kandidat/", views.candidates, name="candidates"),
    path(Y + "kandidat/eksklusi/", views.exclusion_add, name="exclusion_add"),
    path(Y + "kandidat/eksklusi/<int:first>-<int:second>/hapus/", views.exclusion_delete, name="exclusion_delete"),
    path(Y + "batasan/", views.constraints, name="constraints"),
    path(Y + "penilai/", views.evaluator_add, name="evaluator_add"),
    path(Y + "nilai/", views.my_scores, name="my_scores"),
    path(Y + "nilai/<int:evaluator>/", views.score, name="score"),
    path(Y + "hitung/", views.solve, name="solve"),
    path(Y + "berkas.<str:fmt>", views.export, name="export"),
    path(S, views.result, name="result"),
    path(S + "kandidat/<str:candidate>/", views.explain, name="explain"),
    path(S + "ketahanan/", views.robustness, name="robustness"),
    path(S + "konfirmasi/", views.confirm, name="confirm"),
    path(S + "ringkasan/", views.summary, name="summary"),
    path(S + "masukan.<str:fmt>", views.solve_export, name="solve_export"),
]
