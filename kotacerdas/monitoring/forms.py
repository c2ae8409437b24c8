"""Forms of the monitoring pages. They check what a browser can get wrong (a number that is not
a number, a date that is not a date); the rules of an update (a reason for cancelled, the quick
win's dates) are the service's, whose errors land on the same fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.lib import files
from kotacerdas.lib.forms import DateInput, RupiahField, VersionedFormMixin
from kotacerdas.lib.numbers import grouped
from kotacerdas.monitoring.models import REPORTED_STATUSES, ProgrammeUpdate
from kotacerdas.plans.models import MAX_BUDGET_AMOUNT, BudgetSource

UPDATE_FIELDS = ("status", "progress", "comment", "reason", "reported_on", "evidence_link", "launched_on", "live_since")


def budget_field(source: str) -> str:
    return f"budget_{source}"


class UpdateForm(VersionedFormMixin, forms.Form):
    """A programme's update for one period: status, progress, budget realised, evidence.

    ``planned``: the programme's planned budget of the period's year by source, shown beside each
    amount; ``quick_win``: whether the programme is a quick win of that year (only then the launch
    date and "live since" are asked); ``update``: the row being changed (None: a new one).
    """

    status = forms.ChoiceField(label=gettext_lazy("status"), choices=[("", "—"), *REPORTED_STATUSES])
    progress = forms.IntegerField(
        label=gettext_lazy("physical progress (%)"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("A whole percentage from 0 to 100."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Enter the physical progress as a whole percentage from 0 to 100.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("what happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What was done in this period, and what stands in the way."),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the programme is cancelled or not achieved."),
    )
    reported_on = forms.DateField(label=gettext_lazy("date of the update"), widget=DateInput())
    evidence_file = forms.FileField(label=gettext_lazy("evidence file"), required=False)
    evidence_link = forms.CharField(
        label=gettext_lazy("evidence link"),
        required=False,
        help_text=gettext_lazy("Or a web address where the evidence can be seen, starting with https://."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    launched_on = forms.DateField(label=gettext_lazy("launch date"), required=False, widget=DateInput())
    live_since = forms.DateField(
        label=gettext_lazy("live since"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("The day the quick win started serving people; empty while it is not live."),
    )

    def __init__(
        self,
        *args: Any,
        planned: dict[str, Decimal],
        quick_win: bool,
        year: int,
        update: ProgrammeUpdate | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if update is None:
            self.creates_row()
        else:
            self.fields["version"].initial = update.version
        files.describe_file_field(self.fields["evidence_file"], update.evidence_name if update else "")
        if not quick_win:
            del self.fields["launched_on"]
            del self.fields["live_since"]
        for source, label in BudgetSource.choices:
            amount = planned.get(source)
            hint = (
                _("Planned for %(year)s: Rp %(amount)s.") % {"year": year, "amount": grouped(amount)}
                if amount is not None
                else _("Nothing planned from this source in %(year)s.") % {"year": year}
            )
            self.fields[budget_field(source)] = RupiahField(
                label=_("Realised from %(source)s (Rp)") % {"source": label},
                max_value=MAX_BUDGET_AMOUNT,
                required=False,
                help_text=f"{hint} {_('Whole rupiah, e.g. 1.500.000; empty if nothing was spent.')}",
            )

    def budget_fields(self) -> list[forms.BoundField]:
        return [self[budget_field(source)] for source in BudgetSource.values]

    def main_fields(self) -> list[forms.BoundField]:
        budgets = {budget_field(source) for source in BudgetSource.values}
        return [f for f in self.visible_fields() if f.name not in budgets]

    def service_data(self) -> dict[str, Any]:
        """What the service takes, from the cleaned data (call after ``is_valid``)."""
        data = {name: self.cleaned_data.get(name) for name in UPDATE_FIELDS if name in self.fields}
        for source in BudgetSource.values:
            data[budget_field(source)] = self.cleaned_data.get(budget_field(source))
        data["evidence_file"] = self.cleaned_data.get("evidence_file")
        return data


def initial_from(update: ProgrammeUpdate) -> dict[str, Any]:
    """The values of ``update`` as a form's initial data (for editing it or correcting it)."""
    initial: dict[str, Any] = {name: getattr(update, name) for name in UPDATE_FIELDS}
    for budget in update.budgets.all():
        initial[budget_field(budget.source)] = int(budget.amount)
    return initial


class ReturnForm(VersionedFormMixin, forms.Form):
    """Sending a submitted update back to its agency: the reason is required."""

    return_reason = forms.CharField(
        label=gettext_lazy("reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the agency has to fix before submitting again."),
        error_messages={"required": gettext_lazy("Say why the update goes back, so the agency can fix it.")},
    )
