from django.urls import path

from kotacerdas.engagements.views import calendars, engagement, exports, forum, register

app_name = "engagements"

E = "wilayah/<str:code>/pendampingan/<int:pk>/"
S = "wilayah/<str:code>/sesi/<int:pk>/"

urlpatterns = [
    path("pendampingan/kendala-eskalasi/", register.escalated, name="escalated"),
    path("akun/kalender/", calendars.addresses, name="calendar_addresses"),
    path("kalender/<str:token>/tindak-lanjut.ics", calendars.actions_feed, name="actions_feed"),
    path("kalender/<str:token>/wilayah/<str:code>.ics", calendars.region_feed, name="region_feed"),
    path("wilayah/<str:code>/pendampingan/", engagement.index, name="index"),
    path("wilayah/<str:code>/pendampingan/baru/", engagement.create, name="create"),
    path(E, engagement.detail, name="detail"),
    path(E + "ubah/", engagement.edit, name="edit"),
    path(E + "nota-kesepakatan/berkas/", engagement.agreement_file, name="agreement_file"),
    path(E + "mentor/baru/", engagement.mentor_add, name="mentor_add"),
    path(E + "mentor/<int:mentor_pk>/hapus/", engagement.mentor_remove, name="mentor_remove"),
    path(E + "sesi/baru/", engagement.session_create, name="session_create"),
    path(E + "jadwal-standar/", engagement.default_schedule, name="default_schedule"),
    path(E + "dasbor/", engagement.dashboard, name="dashboard"),
    path(E + "kalender.ics", engagement.calendar, name="calendar"),
    path(E + "tindak-lanjut/", register.actions, name="actions"),
    path(E + "kendala/", register.obstacles, name="obstacles"),
    path(E + "komitmen/", register.commitments, name="commitments"),
    path(E + "komitmen/siapkan/", register.commitments_prepare, name="commitments_prepare"),
    path(E + "komitmen/pindaian/", register.commitment_scan, name="commitment_scan"),
    path(E + "komitmen/pindaian/berkas/", register.commitment_scan_file, name="commitment_scan_file"),
    path("wilayah/<str:code>/komitmen/<int:pk>/", register.signature, name="signature"),
    path("wilayah/<str:code>/tindak-lanjut/<int:pk>/ubah/", register.action_edit, name="action_edit"),
    path("wilayah/<str:code>/kendala/<int:pk>/ubah/", register.obstacle_edit, name="obstacle_edit"),
    path("wilayah/<str:code>/kendala/<int:pk>/tanggapan/", register.obstacle_respond, name="obstacle_respond"),
    path(S, forum.session, name="session"),
    path(S + "ubah/", forum.session_edit, name="session_edit"),
    path(S + "mulai/", forum.session_start, name="session_start"),
    path(S + "batalkan/", forum.session_cancel, name="session_cancel"),
    path(S + "tutup/", forum.session_close, name="session_close"),
    path(S + "notulen/", forum.minutes, name="minutes"),
    path(S + "agenda/baru/", forum.agenda_add, name="agenda_add"),
    path(S + "agenda/<int:item_pk>/hapus/", forum.agenda_remove, name="agenda_remove"),
    path(S + "hadir/", forum.attendance, name="attendance"),
    path(S + "hasil/baru/", forum.outcome_add, name="outcome_add"),
    path(S + "tindak-lanjut/baru/", forum.action_add, name="action_add"),
    path(S + "kendala/baru/", forum.obstacle_add, name="obstacle_add"),
    path(S + "notulen.pdf", exports.minutes_pdf, name="minutes_pdf"),
    path(S + "notulen.docx", exports.minutes_docx, name="minutes_docx"),
]
