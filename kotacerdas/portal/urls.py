from django.urls import path

from kotacerdas.portal import views

app_name = "portal"

urlpatterns = [
    path("publik/", views.index, name="index"),
    path("publik/<str:code>/", views.region, name="region"),
    path("publik/<str:code>/rencana/", views.plan, name="plan"),
    path("publik/<str:code>/quick-win/", views.quick_wins, name="quick_wins"),
    path("publik/<str:code>/indikator/", views.indicators, name="indicators"),
    path("publik/<str:code>/buku/", views.books, name="books"),
    path("publik/<str:code>/buku/<int:pk>/unduh/", views.book_download, name="book_download"),
    path("publik/<str:code>/evaluasi/", views.evaluation, name="evaluation"),
    path("publik/<str:code>/data/", views.catalogue, name="catalogue"),
    path("publik/<str:code>/data/<slug:table>-metadata.json", views.table_metadata, name="metadata"),
    path("publik/<str:code>/data/<slug:table>.<slug:fmt>", views.table_file, name="table"),
    path("wilayah/<str:code>/publikasi/", views.settings_page, name="settings"),
]
