"""Changing a password, and resetting a forgotten one by e-mail: Django's views, audited.

The reset e-mail goes out through the configured e-mail back-end (docs/configuration.md); the page
says the same whether or not the address belongs to an account, so it tells nobody who has one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from kotacerdas.accounts import access, second_factor
from kotacerdas.accounts.signin import ThrottledAuthenticationForm, client_address
from kotacerdas.audit.services import record
from kotacerdas.lib.pagecache import visitor_page

# Never the hash: the trail says that the password changed, and how.
CHANGED = {"password": "changed"}


# The form a visitor is shown is the same for every visitor: kept per address and language.
@method_decorator(visitor_page, name="dispatch")
class SignInView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm

    def get_default_redirect_url(self) -> str:
        """Without a ``next``: the cockpit of the user's only region, else the region list."""
        return access.landing_url(self.request.user)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        asked = second_factor.begin(self.request, user, self.get_redirect_url())
        if asked is not None:
            return asked
        response = super().form_valid(form)
        record(actor=user, action="sign_in", obj=user, after={"address": client_address(self.request)})
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(actor=self.request.user, action="update", obj=form.user, after=CHANGED)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(actor=form.user, action="update", obj=form.user, after={**CHANGED, "by": "e-mail reset"})
        return response
