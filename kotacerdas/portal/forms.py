from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.forms import VersionedFormMixin
from kotacerdas.portal.models import PARTS, Part, Publication

HELP = {
    Part.PLAN: _("Vision, missions and the programmes of the latest adopted edition (never a draft)."),
    Part.QUICK_WINS: _("The quick wins of each year with the progress of their accepted reports."),
    Part.INDICATORS: _("Targets and measured values of the indicators, as charts and tables."),
    Part.BOOKS: _("The PDF of Buku 1 and Buku 2 generated after adoption."),
    Part.EVALUATION: _("The ministry's evaluation results once released to the region."),
}


class PublicationForm(VersionedFormMixin):
    """The publication switches; the version is 0 while the region has no settings yet."""

    def __init__(self, *args: Any, publication: Publication | None, **kwargs: Any) -> None:
        initial = {part: getattr(publication, part) for part in PARTS} if publication else {}
        super().__init__(*args, initial=initial, **kwargs)
        for part in PARTS:
            self.fields[part] = forms.BooleanField(
                label=capfirst(Part(part).label), required=False, help_text=HELP[Part(part)]
            )
        self.fields["version"].initial = publication.version if publication else 0
        self.order_fields([*PARTS, "version"])
