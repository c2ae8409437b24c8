from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.forms import VersionedFormMixin
from kotacerdas.notifications.models import Kind


class PreferencesForm(VersionedFormMixin, forms.Form):
    """Per kind: shown in KotaCerdas, sent by e-mail; and the digest instead of single e-mails.

    The version is the delivery row's: 0 before the user's first save, which creates it."""

    daily_digest = forms.BooleanField(
        label=_("Send one daily digest instead of one e-mail per event"),
        required=False,
        help_text=_("The digest goes out once a day with everything of that day you chose to receive by e-mail."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[f"in_app_{kind}"] = forms.BooleanField(label=_("Show in KotaCerdas"), required=False)
            self.fields[f"email_{kind}"] = forms.BooleanField(label=_("Send by e-mail"), required=False)
            self.fields[f"in_app_{kind}"].kind_label = label  # type: ignore[attr-defined]

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(kind label, in-app box, e-mail box) per kind, for the table."""
        return [(str(label), self[f"in_app_{kind}"], self[f"email_{kind}"]) for kind, label in Kind.choices]
