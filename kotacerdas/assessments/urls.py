"""Assessment pages, all under the region: /wilayah/<code>/asesmen/..."""

from django.urls import path

from kotacerdas.assessments.views import catalogue, editor, evidence, exchange, results, review, runs, sharing

app_name = "assessments"

R = "wilayah/<str:code>/asesmen/"
P = R + "<int:pk>/"
T = "asesmen/templat/<int:pk>/"

urlpatterns = [
    path("asesmen/templat/", catalogue.template_list, name="templates"),
    path("asesmen/templat/impor/", catalogue.template_import, name="template_import"),
    path("asesmen/templat/<int:pk>/", catalogue.template_detail, name="template"),
    path("asesmen/templat/<int:pk>/ekspor.xlsx", catalogue.template_export, name="template_export"),
    path("asesmen/templat/<int:pk>/terbitkan/", catalogue.template_publish, name="template_publish"),
    path(T + "versi-baru/", editor.start_version, name="template_new_version"),
    path(T + "ubah/", editor.template_edit, name="template_edit"),
    path(T + "bagian/<int:section>/ubah/", editor.section_edit, name="template_section_edit"),
    path(T + "butir/baru/", editor.item_add, name="template_item_add"),
    path(T + "butir/<int:item>/ubah/", editor.item_edit, name="template_item_edit"),
    path(T + "butir/<int:item>/hapus/", editor.item_remove, name="template_item_remove"),
    path(R, runs.run_list, name="runs"),
    path(R + "baru/", runs.run_create, name="run_create"),
    path(R + "berbagi-skor/", sharing.peer_sharing, name="peer_sharing"),
    path(P, runs.run_detail, name="run"),
    path(P + "bagian/<str:section_code>/", runs.section, name="section"),
    path(P + "butir/<str:item_code>/", runs.answer, name="answer"),
    path(P + "butir/<str:item_code>/riwayat/", runs.history, name="history"),
    path(P + "bukti/<int:answer_pk>/", evidence.evidence, name="evidence"),
    path(P + "kirim/", runs.run_submit, name="submit"),
    path(P + "penilai/", runs.assessor_add, name="assessor_add"),
    path(P + "swot/<str:section_code>/", runs.swot_add, name="swot_add"),
    path(P + "swot/<int:entry_pk>/hapus/", runs.swot_remove, name="swot_remove"),
    path(P + "telaah/", review.review, name="review"),
    path(P + "telaah/<int:answer_pk>/", review.review_item, name="review_item"),
    path(P + "hasil/", results.results, name="results"),
    path(P + "kesenjangan/", results.gaps, name="gaps"),
    path(P + "kesenjangan/target/", results.targets, name="targets"),
    path(P + "kesenjangan/<str:element>/usulan/", results.propose, name="propose"),
    path(P + "kesenjangan/<str:element>/strategi/<int:year>/", results.draft_strategy, name="draft_strategy"),
    path(P + "banding/<int:other_pk>/", results.compare, name="compare"),
    path(P + "ekspor.xlsx", exchange.run_export, name="run_export"),
    path(P + "impor/", exchange.run_import, name="run_import"),
]
