"""The generation form of the documents page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.reports.models import DocumentFormat, DocumentKind


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    fmt = forms.ChoiceField(label=_("Format"), choices=DocumentFormat.choices)
    edition = forms.IntegerField(label=_("Edition"), required=False, min_value=2000, max_value=2100)
    compare = forms.IntegerField(
        label=_("Compare with the edition"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Change log only; empty: the edition it reviews."),
    )
    round = forms.IntegerField(
        label=_("Selection round"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Quick-win report only."),
    )
    run = forms.IntegerField(
        label=_("Assessment run"), required=False, min_value=1, help_text=_("Assessment report only.")
    )
    year = forms.IntegerField(
        label=_("Evaluation year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Annual evaluation letter only."),
    )
