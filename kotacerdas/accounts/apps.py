from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kotacerdas.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kotacerdas.accounts.signin import stamp_session

        # Session bookkeeping only (when the session started), not business logic.
        user_logged_in.connect(stamp_session, dispatch_uid="kotacerdas-session-start")
