from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("kotacerdas.web.urls")),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("i18n/", include("django.conf.urls.i18n")),
]

# Designed, translated error pages (kotacerdas/web/templates/4xx.html, 500.html).
handler403 = "kotacerdas.web.views.permission_denied"
handler404 = "kotacerdas.web.views.page_not_found"
