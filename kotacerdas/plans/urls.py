"""Master plan pages, all under the region: /wilayah/<code>/masterplan/..."""

from django.urls import path

from kotacerdas.plans.views import editions, figures, programmes, review, sipd

app_name = "plans"

E = "wilayah/<str:code>/masterplan/<int:year>/"
P = E + "program/<str:pcode>/"

urlpatterns = [
    path("wilayah/<str:code>/masterplan/", editions.index, name="index"),
    path("wilayah/<str:code>/masterplan/baru/", editions.create, name="create"),
    path("wilayah/<str:code>/masterplan/impor/", figures.import_edition, name="import"),
    path("wilayah/<str:code>/masterplan/impor/<int:pk>/", figures.import_job, name="import_job"),
    path("wilayah/<str:code>/masterplan/templat.xlsx", figures.template, name="template"),
    path("wilayah/<str:code>/masterplan/templat-tabel-program.xlsx", figures.table_template, name="table_template"),
    path("masterplan/skema.json", figures.schema, name="schema"),
    path(E, editions.overview, name="edition"),
    path(E + "ubah/", editions.edit, name="edition_edit"),
    path(E + "kajian-ulang/", editions.start_review, name="start_review"),
    path(E + "bab/<slug:key>/", editions.section, name="section"),
    path(E + "bab/<slug:key>/ubah/", editions.section_edit, name="section_edit"),
    path(E + "bab/<slug:key>/status/", editions.section_state, name="section_state"),
    path(E + "isi/<slug:kind>/baru/", editions.content_form, name="content_create"),
    path(E + "isi/<slug:kind>/<int:pk>/ubah/", editions.content_form, name="content_edit"),
    path(E + "isi/<slug:kind>/<int:pk>/hapus/", editions.content_delete, name="content_delete"),
    path(E + "program/", programmes.programme_list, name="programmes"),
    path(E + "program/baru/", programmes.programme_create, name="programme_create"),
    path(P, programmes.programme_detail, name="programme"),
    path(P + "ubah/", programmes.programme_edit, name="programme_edit"),
    path(P + "anggaran/", programmes.programme_budgets, name="programme_budgets"),
    path(P + "indikator/", programmes.programme_indicators, name="programme_indicators"),
    path(P + "rencana-aksi/", programmes.programme_actions, name="programme_actions"),
    path(P + "hapus/", programmes.programme_delete, name="programme_delete"),
    path(E + "disposisi/", review.disposition_list, name="dispositions"),
    path(E + "disposisi/<int:pk>/", review.disposition_edit, name="disposition_edit"),
    path(E + "perubahan/", review.changes, name="changes"),
    path(E + "perubahan.<str:fmt>", review.changes_export, name="changes_export"),
    path(E + "diskusi/", review.thread_list, name="threads"),
    path(E + "diskusi/baru/", review.thread_create, name="thread_create"),
    path(E + "diskusi/<int:pk>/", review.thread_detail, name="thread"),
    path(E + "diskusi/<int:pk>/balas/", review.thread_reply, name="thread_reply"),
    path(E + "diskusi/<int:pk>/<str:status>/", review.thread_status, name="thread_status"),
    path(E + "persetujuan/", review.approval, name="approval"),
    path(E + "pemeriksaan/", figures.check, name="check"),
    path(E + "pemeriksaan/pengecualian/", figures.waiver_form, name="waiver"),
    path(E + "pemeriksaan/pengecualian/<int:pk>/cabut/", figures.waiver_withdraw, name="waiver_withdraw"),
    path(E + "peta-jalan/", figures.roadmap, name="roadmap"),
    path(E + "anggaran/", figures.budgets, name="budgets"),
    path(E + "ekspor.<str:fmt>", figures.export, name="export"),
    path(E + "kode-sipd/", sipd.code_search, name="sipd_codes"),
    path(E + "ekspor-sipd.<str:fmt>", sipd.sipd_export, name="sipd_export"),
]
