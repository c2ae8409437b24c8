"""Forms of the quick-win pages. Validation of substance lives in the services; the forms parse.

Row-based forms (criteria, caps, the scoring grid, the pairwise judgements) are single forms
with one field per cell, so the error summary links straight to the cell that needs fixing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.forms import RupiahField, VersionedFormMixin
from kotacerdas.plans.models import MAX_BUDGET_AMOUNT, BudgetSource, Edition
from kotacerdas.quickwins.models import Candidate, Criterion, Direction, Must, SelectionRound, WeightMode
from kotacerdas.quickwins.services import SAATY


def rekeyed(error: ValidationError, key: Callable[[str], str]) -> ValidationError:
    """The service's error with its keys renamed to the form's field names."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({key(name): errors for name, errors in error.error_dict.items()})


class RoundCreateForm(forms.Form):
    edition = forms.ModelChoiceField(
        label=_("Master plan edition"),
        queryset=Edition.objects.none(),
        help_text=_("The candidates are this edition's programmes."),
    )
    year = forms.IntegerField(
        label=_("Round year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year the forum decides in; one round per year."),
    )
    budget_year = forms.IntegerField(
        label=_("Budget year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year the quick wins are delivered and marked in the plan, often the next year."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args: Any, region: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["edition"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Edition.objects.filter(region=region).order_by("-year")


class RoundForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SelectionRound
        fields = ["title", "aggregation", "scale_min", "scale_max", "cost_years"]


class CriteriaForm(VersionedFormMixin, forms.Form):
    """The criteria set as rows ``row<n>_<field>``, with blank rows to add new criteria."""

    weight_mode = forms.ChoiceField(
        label=_("Weights"),
        choices=WeightMode.choices,
        help_text=_("Pairwise: the weights come from the comparisons on the next page (AHP)."),
    )
    FIELDS = ("id", "code", "name", "direction", "weight", "delete")

    def __init__(self, *args: Any, criteria: list[Criterion], extra: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = len(criteria) + extra
        for n in range(self.row_count):
            current = criteria[n] if n < len(criteria) else None
            required = current is not None
            self.fields[f"row{n}_id"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=current.pk if current else None
            )
            self.fields[f"row{n}_code"] = forms.SlugField(
                label=_("Code"), max_length=30, required=False, initial=current.code if current else ""
            )
            self.fields[f"row{n}_name"] = forms.CharField(
                label=_("Criterion"), max_length=120, required=False, initial=current.name if current else ""
            )
            self.fields[f"row{n}_direction"] = forms.ChoiceField(
                label=_("Direction"),
                choices=Direction.choices,
                initial=current.direction if current else Direction.BENEFIT,
            )
            self.fields[f"row{n}_weight"] = forms.DecimalField(
                label=_("Weight"),
                min_value=Decimal(0),
                max_digits=9,
                decimal_places=4,
                required=False,
                initial=current.weight if current else None,
            )
            self.fields[f"row{n}_delete"] = forms.BooleanField(label=_("Remove"), required=False, disabled=not required)

    def rows(self) -> list[dict[str, Any]]:
        return [{name: self[f"row{n}_{name}"] for name in self.FIELDS} for n in range(self.row_count)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(self.row_count):
            code, name = data.get(f"row{n}_code"), data.get(f"row{n}_name")
            if data.get(f"row{n}_id") and not data.get(f"row{n}_delete"):
                if not code:
                    self.add_error(f"row{n}_code", _("Give a short code, e.g. impact."))
                if not name:
                    self.add_error(f"row{n}_name", _("Give the criterion a name."))
            elif not data.get(f"row{n}_id") and bool(code) != bool(name):
                self.add_error(
                    f"row{n}_name" if code else f"row{n}_code", _("A new criterion needs both a code and a name.")
                )
        return data

    def criteria_rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rows = []
        for n in range(self.row_count):
            if not data.get(f"row{n}_id") and not data.get(f"row{n}_code"):
                continue  # an unused blank row
            rows.append({name: data.get(f"row{n}_{name}") for name in self.FIELDS} | {"position": n})
        return rows

    def field_for(self, key: str, rows: list[dict[str, Any]]) -> str:
        """``criteria.<k>.<field>`` (k counts the submitted rows) → this form's field name."""
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "criteria" and parts[1].isdigit() and int(parts[1]) < len(rows):
            candidate = f"row{rows[int(parts[1])]['position']}_{parts[2]}"
            return candidate if candidate in self.fields else "__all__"
        return "__all__"


def _saaty_choices(a: str, b: str) -> list[tuple[str, str]]:
    choices = []
    for value in SAATY:
        if value == "1":
            label = gettext("equally important")
        elif "/" in value:
            label = gettext("%(b)s is %(n)s× as important") % {"b": b, "n": value.split("/")[1]}
        else:
            label = gettext("%(a)s is %(n)s× as important") % {"a": a, "n": value}
        choices.append((value, label))
    return choices


class PairwiseForm(VersionedFormMixin, forms.Form):
    """One choice per pair of criteria above the diagonal (Saaty's 1/9 … 9)."""

    def __init__(self, *args: Any, criteria: list[Criterion], stored: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pairs: list[tuple[str, Criterion, Criterion]] = []
        for i, a in enumerate(criteria):
            for b in criteria[i + 1 :]:
                name = f"pair_{a.pk}_{b.pk}"
                key = f"{a.code}|{b.code}"
                self.fields[name] = forms.ChoiceField(
                    label=_("%(a)s compared with %(b)s") % {"a": a.name, "b": b.name},
                    choices=_saaty_choices(a.name, b.name),
                    initial=str(stored.get(key, "1")),
                )
                self.pairs.append((name, a, b))

    def judgements(self) -> dict[str, str]:
        return {f"{a.code}|{b.code}": self.cleaned_data[name] for name, a, b in self.pairs}

    def field_for(self, key: str) -> str:
        for name, a, b in self.pairs:
            if key == f"{a.code}|{b.code}":
                return name
        return "__all__"


class CandidatesForm(VersionedFormMixin, forms.Form):
    """Per programme of the edition: whether it is a candidate, and the forum's decision on it."""

    def __init__(self, *args: Any, programmes: list[Any], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programmes = programmes
        for p in programmes:
            self.fields[f"take_{p.pk}"] = forms.BooleanField(
                label=_("Candidate"), required=False, initial=p.pk in current
            )
            self.fields[f"must_{p.pk}"] = forms.ChoiceField(
                label=_("Decision"),
                required=False,
                choices=[("", _("no decision")), *Must.choices],
                initial=current.get(p.pk, ""),
            )

    def rows(self) -> list[dict[str, Any]]:
        return [{"programme": p, "take": self[f"take_{p.pk}"], "must": self[f"must_{p.pk}"]} for p in self.programmes]

    def chosen(self) -> tuple[list[Any], dict[int, str]]:
        taken = [p for p in self.programmes if self.cleaned_data.get(f"take_{p.pk}")]
        return taken, {p.pk: self.cleaned_data.get(f"must_{p.pk}") or "" for p in taken}


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.code} {obj.programme.name}"


class ExclusionForm(forms.Form):
    first = CandidateChoiceField(label=_("Candidate"), queryset=Candidate.objects.none())
    second = CandidateChoiceField(label=_("is never chosen together with"), queryset=Candidate.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = candidates.select_related("programme")


class ConstraintsForm(VersionedFormMixin, forms.Form):
    per_dimension_min = forms.IntegerField(
        label=_("Minimum per dimension"),
        min_value=0,
        help_text=_("Applied where possible: a dimension without candidates needs none."),
    )
    per_dimension_max = forms.IntegerField(
        label=_("Maximum per dimension"), min_value=0, required=False, help_text=_("Empty: no maximum.")
    )
    max_per_opd = forms.IntegerField(
        label=_("Maximum per agency (OPD)"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )

    def __init__(
        self, *args: Any, caps: list[Any], dimensions: list[Any], limits: dict[int, Any], extra: int = 2, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cap_count = len(caps) + extra
        for n in range(self.cap_count):
            cap = caps[n] if n < len(caps) else None
            self.fields[f"cap{n}_year"] = forms.IntegerField(
                label=_("Year"),
                min_value=2000,
                max_value=2100,
                required=False,
                initial=cap.year if cap else None,
                help_text=_("Empty: all years."),
            )
            self.fields[f"cap{n}_source"] = forms.ChoiceField(
                label=_("Source"),
                required=False,
                choices=[("", _("all sources")), *BudgetSource.choices],
                initial=cap.source if cap else "",
            )
            self.fields[f"cap{n}_amount"] = RupiahField(
                label=_("Cap (Rp)"),
                max_value=MAX_BUDGET_AMOUNT,  # the bound of a programme's budget line
                required=False,
                initial=cap.amount if cap else None,
            )
        self.dimensions = dimensions
        for entry in dimensions:
            limit = limits.get(entry.pk)
            self.fields[f"limit_{entry.pk}_min"] = forms.IntegerField(
                label=_("Minimum"), min_value=0, required=False, initial=limit.minimum if limit else None
            )
            self.fields[f"limit_{entry.pk}_max"] = forms.IntegerField(
                label=_("Maximum"), min_value=0, required=False, initial=limit.maximum if limit else None
            )

    def cap_rows(self) -> list[dict[str, Any]]:
        return [{k: self[f"cap{n}_{k}"] for k in ("year", "source", "amount")} for n in range(self.cap_count)]

    def limit_rows(self) -> list[dict[str, Any]]:
        return [
            {"dimension": d, "min": self[f"limit_{d.pk}_min"], "max": self[f"limit_{d.pk}_max"]}
            for d in self.dimensions
        ]

    def caps(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "year": data.get(f"cap{n}_year"),
                "source": data.get(f"cap{n}_source") or "",
                "amount": data.get(f"cap{n}_amount"),
                "position": n,
            }
            for n in range(self.cap_count)
            if data.get(f"cap{n}_amount") is not None
        ]

    def limits(self) -> dict[int, tuple[int | None, int | None]]:
        data = self.cleaned_data
        return {d.pk: (data.get(f"limit_{d.pk}_min"), data.get(f"limit_{d.pk}_max")) for d in self.dimensions}

    def field_for(self, key: str, caps: list[dict[str, Any]]) -> str:
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "caps" and int(parts[1]) < len(caps):
            return f"cap{caps[int(parts[1])]['position']}_{parts[2]}"
        return key if key in self.fields else "__all__"


class EvaluatorForm(forms.Form):
    name = forms.CharField(
        label=_("Evaluator's name"),
        max_length=150,
        help_text=_("Someone whose scores on paper you will enter, e.g. the head of Bappeda."),
    )


class ScoreGridForm(forms.Form):
    """One choice per candidate and criterion; empty means not scored yet."""

    def __init__(
        self,
        *args: Any,
        candidates: list[Any],
        criteria: list[Criterion],
        low: int,
        high: int,
        current: dict[tuple[int, int], int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates, self.criteria = candidates, criteria
        choices = [("", "–")] + [(str(v), str(v)) for v in range(low, high + 1)]
        for candidate in candidates:
            for criterion in criteria:
                value = current.get((candidate.pk, criterion.pk))
                self.fields[f"score_{candidate.pk}_{criterion.pk}"] = forms.TypedChoiceField(
                    label=f"{candidate.programme.code} · {criterion.name}",
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial="" if value is None else str(value),
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"candidate": c, "cells": [self[f"score_{c.pk}_{k.pk}"] for k in self.criteria]} for c in self.candidates
        ]

    def values(self) -> dict[tuple[int, int], int | None]:
        return {
            (c.pk, k.pk): self.cleaned_data.get(f"score_{c.pk}_{k.pk}") for c in self.candidates for k in self.criteria
        }


class RobustnessForm(forms.Form):
    draws = forms.IntegerField(label=_("Draws"), min_value=10, max_value=20000, initial=2000)
    spread = forms.DecimalField(
        label=_("Weight perturbation (±)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("0.9"),
        decimal_places=2,
        initial=Decimal("0.20"),
        help_text=_("0.20: each weight varies by up to 20 % either way."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        initial=0,
        help_text=_("The same seed gives the same draws, so a run can be repeated."),
    )


class ConfirmForm(VersionedFormMixin, forms.Form):
    pass
