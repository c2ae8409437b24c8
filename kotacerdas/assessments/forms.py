"""Forms of the assessment pages. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User
from kotacerdas.assessments.models import Answer, AnswerType, Item, SwotQuadrant, Template
from kotacerdas.lib import files
from kotacerdas.lib.forms import VersionedFormMixin


class RunForm(forms.Form):
    template = forms.ModelChoiceField(queryset=Template.objects.none(), label=_("Template"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the template's title.")
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class PeerSharingForm(VersionedFormMixin, forms.Form):
    """The region admin's opt-in to the anonymised peer comparisons (Region.shares_peer_scores)."""

    shares_peer_scores = forms.BooleanField(
        label=_(
            "Share our accepted assessment scores, anonymised, in peer comparisons of regions of the same size class"
        ),
        required=False,
    )

    def __init__(self, *args: Any, region: Any, minimum: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"shares_peer_scores": region.shares_peer_scores})
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = region.version
        self.fields["shares_peer_scores"].help_text = _(
            "Other regions of the same size class then see only the median of a group of at least %(n)s regions: "
            "never your region's name or its own scores. You can withdraw at any time."
        ) % {"n": minimum}


def _initial_value(item: Item, answer: Answer) -> Any:
    if answer.value is not None and item.answer_type in (AnswerType.LEVEL, AnswerType.YESNO):
        return int(answer.value)
    return answer.value


class AnswerForm(VersionedFormMixin, forms.Form):
    """One item's answer; prefixed with the item code so a section page can hold many."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
    )
    evidence_link = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")
    clear_evidence = forms.BooleanField(label=_("Remove the current evidence"), required=False)

    def __init__(
        self, *args: Any, item: Item, levels: int, answer: Answer | None, needs_evidence: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", item.code)
        initial = kwargs.setdefault("initial", {})
        if answer is not None:
            initial.update(
                {
                    "value": _initial_value(item, answer),
                    "choice": answer.choice,
                    "text": answer.text,
                    "not_applicable": answer.not_applicable,
                    "comment": answer.comment,
                    "evidence_link": answer.evidence_link,
                }
            )
        super().__init__(*args, **kwargs)
        self.item, self.answer = item, answer
        # Only the region's own answer must carry the evidence an item asks for (see missing_on_submit).
        self.needs_evidence = needs_evidence and item.evidence_required
        files.describe_file_field(self.fields["evidence_file"])
        if answer is not None:
            self.fields["version"].initial = answer.version
        else:
            self.creates_row()
            del self.fields["clear_evidence"]
        value: forms.Field | None = None
        if item.answer_type == AnswerType.LEVEL:
            rubric = list(item.rubric) + [""] * levels
            value = forms.TypedChoiceField(
                label=_("Level"),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                choices=[(n, f"{n} · {rubric[n - 1]}" if rubric[n - 1] else str(n)) for n in range(1, levels + 1)],
            )
        elif item.answer_type == AnswerType.YESNO:
            value = forms.TypedChoiceField(
                label=_("Answer"),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                choices=[(1, _("yes")), (0, _("no"))],
            )
        elif item.answer_type == AnswerType.NUMBER:
            value = forms.DecimalField(label=_("Value"), required=False, max_digits=14, decimal_places=2)
        if value is not None:
            self.fields["value"] = value
            self.order_fields(["value"])
        if item.answer_type == AnswerType.CHOICE:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Rating"),
                required=False,
                widget=forms.RadioSelect,
                choices=[(c["code"], c["label"]) for c in item.options.get("choices", [])],
            )
            self.order_fields(["choice"])
        if item.answer_type == AnswerType.TEXT:
            self.fields["text"] = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea)
            self.order_fields(["text"])
        if item.allow_na:
            self.fields["not_applicable"] = forms.BooleanField(label=_("Not applicable"), required=False)
        answer_field = self.fields.get("value") or self.fields.get("choice")
        if answer_field is not None:
            # The answer is required: the label must not call it optional. "Not applicable" stands in for it.
            answer_field.required = not self._marked_not_applicable()
            if item.allow_na:
                answer_field.help_text = _("Required, unless you mark the item not applicable.")
        if self.needs_evidence:
            hint = _("This item needs evidence: upload a file or give a link (one of the two).")
            self.fields["evidence_file"].help_text = f"{hint} {self.fields['evidence_file'].help_text}"

    def _marked_not_applicable(self) -> bool:
        field = self.fields.get("not_applicable")
        if field is None or not self.is_bound:
            return False
        return bool(field.widget.value_from_datadict(self.data, self.files, self.add_prefix("not_applicable")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_evidence and not data.get("not_applicable") and "evidence_link" not in self.errors:
            kept = self.answer is not None and self.answer.has_evidence and not data.get("clear_evidence")
            if not (kept or data.get("evidence_file") or data.get("evidence_link")):
                self.add_error("evidence_link", _("This item needs evidence: upload a file or give a link."))
        return data


class ReviewForm(VersionedFormMixin, forms.Form):
    review_comment = forms.CharField(
        label=_("Review comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you return the item."),
    )


class SwotForm(forms.Form):
    quadrant = forms.ChoiceField(label=_("Quadrant"), choices=SwotQuadrant.choices)
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence_note = forms.CharField(label=_("Evidence"), max_length=300, required=False)
    evidence_link = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")


class TargetsForm(VersionedFormMixin, forms.Form):
    """One target level per element, built from the run's scored elements."""

    def __init__(self, *args: Any, elements: list[tuple[str, str, int]], top: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label, target in elements:
            self.fields[f"t_{code}"] = forms.IntegerField(
                label=f"{code} {label}", min_value=1, max_value=top, initial=target
            )


class ProposalForm(forms.Form):
    element = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Propose as"), choices=[("programme", _("programme")), ("strategy", _("strategy"))]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssessorForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Assessor"))

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_field().queryset = users

    def user_field(self) -> forms.ModelChoiceField[Any]:
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        return field


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class TemplateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Template file"),
        help_text=_("A template workbook (.xlsx) or a template file (.toml)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".toml,.xlsx"}),
    )
