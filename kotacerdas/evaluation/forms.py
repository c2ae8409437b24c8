"""Forms of the annual evaluation: start a draft, enter its scores (one form for the whole draft)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User
from kotacerdas.evaluation.models import PreviousSource
from kotacerdas.evaluation.selectors import EvaluationPage
from kotacerdas.lib import files
from kotacerdas.lib.forms import VersionedFormMixin


def ministry_staff() -> Any:
    return User.objects.filter(is_ministry=True, is_active=True).order_by("full_name", "username")


class EvaluatorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


SCORE_HELP = _("1 to 5, at most two decimals (3,25 or 3.25). Leave empty while not decided.")


class CreateForm(forms.Form):
    year = forms.IntegerField(label=_("Evaluation year"), min_value=2000, max_value=2100)
    scheme_year = forms.IntegerField(
        label=_("Scheme year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_(
            "The year of the published evaluation scheme whose weights apply. Empty: the evaluation year "
            "(it must have a published scheme)."
        ),
    )
    previous_index = forms.CharField(
        label=_("Previous year's index"),
        required=False,
        max_length=40,
        help_text=_("Only when last year's evaluation is not in KotaCerdas; otherwise it is taken from there."),
    )
    evaluators = EvaluatorsField(
        label=_("Evaluators (ministry staff)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    panel = forms.CharField(
        label=_("Evaluation panel"),
        required=False,
        max_length=500,
        help_text=_("Names of the evaluators without an account, or the panel's name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = ministry_staff()  # type: ignore[attr-defined]


class ScoresForm(VersionedFormMixin, forms.Form):
    """The whole draft at once: five evaluation dimensions (score, note, evidence), each smart
    city dimension (score, programmes evaluated), evaluators, previous index and conclusion."""

    def __init__(self, *args: Any, page: EvaluationPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        evaluation = page.evaluation
        self.fields["version"].initial = evaluation.version
        for row in page.rows:
            name = row.dimension
            self.fields[f"score_{name}"] = forms.CharField(
                label=_("Score"), required=False, max_length=40, help_text=SCORE_HELP, initial=row.score
            )
            self.fields[f"score_{name}"].widget.attrs.update({"inputmode": "decimal", "class": "narrow"})
            self.fields[f"note_{name}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), initial=row.note
            )
            self.fields[f"link_{name}"] = forms.URLField(
                label=_("Evidence link"),
                required=False,
                max_length=500,
                initial=row.evidence_link,
                assume_scheme="https",
            )
            self.fields[f"file_{name}"] = forms.FileField(label=_("Evidence file"), required=False)
            files.describe_file_field(self.fields[f"file_{name}"], row.evidence_file)
            if row.evidence_file:
                self.initial[f"file_{name}"] = _StoredName(row.evidence_file)
        for area in page.areas:
            self.fields[f"area_{area.code}"] = forms.CharField(
                label=_("Score"), required=False, max_length=40, help_text=SCORE_HELP, initial=area.score
            )
            self.fields[f"area_{area.code}"].widget.attrs.update({"inputmode": "decimal", "class": "narrow"})
            self.fields[f"programmes_{area.code}"] = forms.IntegerField(
                label=_("Programmes evaluated"), required=False, min_value=0, max_value=100000, initial=area.programmes
            )
        self.fields["previous_index"] = forms.CharField(
            label=_("Previous year's index"),
            required=False,
            max_length=40,
            initial=evaluation.previous_index if evaluation.previous_source == PreviousSource.ENTERED else None,
            help_text=_("Only when last year's evaluation is not in KotaCerdas; otherwise it is taken from there."),
        )
        if evaluation.previous_source == PreviousSource.RECORD:
            self.fields["previous_index"].disabled = True
            self.fields["previous_index"].initial = evaluation.previous_index
        self.fields["evaluators"] = EvaluatorsField(
            label=_("Evaluators (ministry staff)"),
            queryset=ministry_staff(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=list(evaluation.evaluators.values_list("pk", flat=True)),
        )
        self.fields["panel"] = forms.CharField(
            label=_("Evaluation panel"),
            required=False,
            max_length=500,
            initial=evaluation.panel,
            help_text=_("Names of the evaluators without an account, or the panel's name."),
        )
        self.fields["conclusion"] = forms.CharField(
            label=_("Conclusion and recommendations"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            initial=evaluation.conclusion,
        )

    def groups(self) -> list[dict[str, Any]]:
        """The fields of each evaluation dimension with the row it edits (for the template)."""
        return [
            {"row": row, "fields": [self[f"{prefix}_{row.dimension}"] for prefix in ("score", "note", "link", "file")]}
            for row in self.page.rows
        ]

    def area_groups(self) -> list[dict[str, Any]]:
        return [{"area": a, "fields": [self[f"area_{a.code}"], self[f"programmes_{a.code}"]]} for a in self.page.areas]

    def other_fields(self) -> list[Any]:
        return [self[name] for name in ("previous_index", "evaluators", "panel", "conclusion")]

    def to_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "scores": {
                row.dimension: {
                    "score": cleaned.get(f"score_{row.dimension}"),
                    "note": cleaned.get(f"note_{row.dimension}"),
                    "evidence_link": cleaned.get(f"link_{row.dimension}"),
                    "evidence_file": cleaned.get(f"file_{row.dimension}"),
                }
                for row in self.page.rows
            },
            "areas": {
                area.entry_id: {
                    "score": cleaned.get(f"area_{area.code}"),
                    "programmes": cleaned.get(f"programmes_{area.code}"),
                }
                for area in self.page.areas
            },
            "evaluators": cleaned.get("evaluators") or [],
            "panel": cleaned.get("panel", ""),
            "conclusion": cleaned.get("conclusion", ""),
        }
        if not self.fields["previous_index"].disabled:
            data["previous_index"] = cleaned.get("previous_index")
        return data


class _StoredName:
    """What the file widget is given for a stored file: something with the original name."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.url = "stored"  # the widget asks for one to show "currently"; its template never prints it

    def __str__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return True
