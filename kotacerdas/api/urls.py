from django.urls import path, re_path

from kotacerdas.api import views

app_name = "api"

urlpatterns = [
    path("api/v1/docs/", views.reference, name="reference"),
    # Anything else under the API answers as the API does: a problem document, not a page.
    re_path(r"^api/", views.not_found, name="not_found"),
    path("akun/token-api/", views.tokens, name="tokens"),
    path("akun/token-api/<int:pk>/cabut/", views.revoke, name="revoke"),
]
