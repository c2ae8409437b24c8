"""Forms of the overview pages: reporting set-up, an indicator's actual, its Satu Data metadata.

They parse and say what is missing; the rules live in the services (``monitoring.services``),
whose errors land back on these forms through ``lib.forms.submit``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.forms import DateInput, VersionedFormMixin
from kotacerdas.monitoring.models import Cadence, Frequency, Rollup

GRACE_HELP = _("Days after a period ends before its report is late, from 0 to 90.")


class StartReportingForm(forms.Form):
    cadence = forms.ChoiceField(label=_("cadence"), choices=Cadence.choices, initial=Cadence.QUARTERLY)
    grace_days = forms.IntegerField(
        label=_("days to report after a period ends"),
        min_value=0,
        max_value=90,
        initial=10,
        help_text=GRACE_HELP,
        error_messages={
            "invalid": _("Enter a whole number of days from 0 to 90."),
            "min_value": _("Enter a whole number of days from 0 to 90."),
            "max_value": _("Enter a whole number of days from 0 to 90."),
        },
    )
    rollup = forms.ChoiceField(
        label=_("roll-up rule"),
        choices=Rollup.choices,
        initial=Rollup.EQUAL,
        help_text=_("How programmes add up to an element, a dimension and the plan."),
    )
    starts_on = forms.DateField(
        label=_("reporting from"),
        widget=DateInput(),
        help_text=_("The first reporting period is the quarter that contains this day."),
        error_messages={"invalid": _("Enter a date, e.g. 2025-01-01.")},
    )


class ChangeReportingForm(VersionedFormMixin, forms.Form):
    cadence = forms.ChoiceField(label=_("cadence"), choices=Cadence.choices)
    grace_days = StartReportingForm.base_fields["grace_days"]
    rollup = StartReportingForm.base_fields["rollup"]


class ActualForm(VersionedFormMixin, forms.Form):
    """The actual of one indicator in one period (or year). The value is parsed by the service,
    so that the web, the CLI and the spreadsheet import say the same about a bad number."""

    value = forms.CharField(
        label=_("actual"),
        max_length=40,
        help_text=_("The measured value in the indicator's unit, e.g. 72.5 (at most two decimals)."),
        error_messages={"required": _("Enter the measured value as a number, e.g. 72.5.")},
    )
    producer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("data producer (OPD)"),
        queryset=None,
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose an agency of this region.")},
    )
    source = forms.CharField(
        label=_("source"),
        required=False,
        max_length=250,
        help_text=_("Where the number comes from: a report, a system, a survey."),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, opds: Any, creates: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = opds  # type: ignore[attr-defined]
        self.fields["value"].widget.attrs["inputmode"] = "decimal"
        if creates:
            self.creates_row()


class MetadataForm(VersionedFormMixin, forms.Form):
    """What a Satu Data Indonesia publication of the indicator needs (name and unit are the plan's)."""

    definition = forms.CharField(label=_("definition"), required=False, max_length=4000, widget=forms.Textarea)
    concept = forms.CharField(label=_("concept"), required=False, max_length=4000, widget=forms.Textarea)
    method = forms.CharField(label=_("method or formula"), required=False, max_length=4000, widget=forms.Textarea)
    interpretation = forms.CharField(label=_("interpretation"), required=False, max_length=4000, widget=forms.Textarea)
    frequency = forms.ChoiceField(label=_("frequency"), choices=Frequency.choices, initial=Frequency.YEARLY)
    cumulative = forms.BooleanField(label=_("cumulative"), required=False)
    estimation_level = forms.CharField(
        label=_("estimation level"),
        required=False,
        max_length=100,
        help_text=_("e.g. kota/kabupaten, kecamatan."),
    )
    data_source = forms.CharField(
        label=_("data source"),
        required=False,
        max_length=300,
        help_text=_("Where the figures come from: a survey, an application, an administrative record."),
    )

    def __init__(self, *args: Any, creates: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("definition", "concept", "method", "interpretation"):
            self.fields[name].widget.attrs["rows"] = 3
        if creates:
            self.creates_row()
