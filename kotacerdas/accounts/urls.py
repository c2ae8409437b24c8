from django.urls import path

from kotacerdas.accounts import views

app_name = "accounts"

urlpatterns = [
    path("wilayah/<str:code>/akses/", views.members, name="members"),
    path("wilayah/<str:code>/akses/<int:pk>/hapus/", views.revoke, name="revoke"),
]
