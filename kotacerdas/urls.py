from django.contrib.auth import views as auth_views
from django.urls import include, path

from kotacerdas.accounts import passwords, second_factor
from kotacerdas.api.core import api

urlpatterns = [
    # The REST API (namespace api-v1), then its pages and the API's own 404 (kotacerdas/api/urls.py).
    path("api/v1/", api.urls),
    path("", include("kotacerdas.api.urls")),
    path("", include("kotacerdas.web.urls")),
    path("masuk/", passwords.SignInView.as_view(), name="login"),
    path("masuk/kode/", second_factor.login_code, name="login_code"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/verifikasi-dua-langkah/", second_factor.setup, name="second_factor_setup"),
    path("akun/verifikasi-dua-langkah/hapus/", second_factor.remove, name="second_factor_remove"),
    path("akun/kata-sandi/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("lupa-kata-sandi/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-kata-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "lupa-kata-sandi/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("lupa-kata-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("kotacerdas.portal.urls")),
    path("", include("kotacerdas.regions.urls")),
    path("", include("kotacerdas.accounts.urls")),
    path("", include("kotacerdas.engagements.urls")),
    path("", include("kotacerdas.assessments.urls")),
    path("", include("kotacerdas.plans.urls")),
    path("", include("kotacerdas.quickwins.urls")),
    path("", include("kotacerdas.reports.urls")),
    path("", include("kotacerdas.evaluation.urls")),
    path("", include("kotacerdas.monitoring.urls")),
    path("kerangka/", include("kotacerdas.frameworks.urls")),
    path("audit/", include("kotacerdas.audit.urls")),
    path("notifikasi/", include("kotacerdas.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Designed, translated error pages (kotacerdas/web/templates/4xx.html, 500.html).
handler403 = "kotacerdas.web.views.permission_denied"
handler404 = "kotacerdas.web.views.page_not_found"
handler500 = "kotacerdas.web.views.server_error"
