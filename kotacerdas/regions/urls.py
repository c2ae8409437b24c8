from django.urls import path

from kotacerdas.regions import views
from kotacerdas.web import views as web_views

app_name = "regions"

urlpatterns = [
    path("wilayah/baru/", views.create, name="create"),
    # The home page (the cockpit) composes every app's part of the region, so it lives in web
    # (see web.cockpit); the profile page goes with it.
    path("wilayah/<str:code>/", web_views.region_home, name="home"),
    path("wilayah/<str:code>/profil/", web_views.region_profile, name="profile"),
    path("wilayah/<str:code>/ubah/", views.edit, name="edit"),
    path("wilayah/<str:code>/penduduk/", views.population_add, name="population_add"),
    path("wilayah/<str:code>/penduduk/<int:year>/ubah/", views.population_edit, name="population_edit"),
    path("wilayah/<str:code>/penduduk/<int:year>/hapus/", views.population_delete, name="population_delete"),
    path("wilayah/<str:code>/opd/", views.opd_list, name="opds"),
    path("wilayah/<str:code>/opd/baru/", views.opd_create, name="opd_create"),
    path("wilayah/<str:code>/opd/impor/", views.opd_import, name="opd_import"),
    path("wilayah/<str:code>/opd/templat.xlsx", views.opd_template, name="opd_template"),
    path("wilayah/<str:code>/opd/<int:pk>/ubah/", views.opd_edit, name="opd_edit"),
    path("wilayah/<str:code>/tata-kelola/baru/", views.body_create, name="body_create"),
    path("wilayah/<str:code>/tata-kelola/<int:pk>/", views.body_detail, name="body"),
    path("wilayah/<str:code>/tata-kelola/<int:pk>/ubah/", views.body_edit, name="body_edit"),
    path("wilayah/<str:code>/tata-kelola/<int:pk>/sk/", views.body_decree, name="body_decree"),
    path("wilayah/<str:code>/tata-kelola/<int:pk>/anggota/baru/", views.member_add, name="member_add"),
    path(
        "wilayah/<str:code>/tata-kelola/<int:pk>/anggota/<int:member_pk>/hapus/",
        views.member_remove,
        name="member_remove",
    ),
    path("wilayah/<str:code>/audit/", views.audit_log, name="audit"),
]
