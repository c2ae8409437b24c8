"""Forms of the plan pages. They parse and present; the services validate and write."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, SipdLevel, Status
from kotacerdas.frameworks.sipd import level_of
from kotacerdas.lib.forms import DateInput, RowForm, RowsFormSet, RupiahField, VersionedFormMixin
from kotacerdas.plans import fields as programme_fields
from kotacerdas.plans.models import (
    MAX_BUDGET_AMOUNT,
    AdoptionInstrument,
    BudgetSource,
    Direction,
    DispositionKind,
    Edition,
    ElementWaiver,
    FindingWaiver,
    Goal,
    Horizon,
    Indicator,
    Mission,
    Programme,
    ProgrammeStatus,
    ReviewState,
    Section,
    Strategy,
    SwotItem,
)
from kotacerdas.plans.notstated import NOT_STATED
from kotacerdas.regions.models import OPD, Region
from kotacerdas.reports.richtext import editor_elements

BASELINE_SALT = "kotacerdas.plans.baseline"

# Where each database constraint of the plan models is caught first, with a sentence on a field,
# so that no one meets the constraint's name (tests/test_issue11_forms.py checks the list is
# complete). Constraints no form can break name the service or view that keeps them.
CONSTRAINT_CHECKS: dict[str, str] = {
    "edition_year_per_plan": "services.editions (year)",
    "edition_period": "EditionForm.clean (end_year)",
    "section_key_per_edition": "chapters are created by the edition services, never typed",
    "mission_number_per_edition": "MissionForm.clean_number",
    "goal_code_per_edition": "GoalForm.clean_code",
    "strategy_code_per_edition": "StrategyForm.clean_code",
    "one_waiver_per_element": "WaiverForm.clean_element",
    "programme_code_per_edition": "ProgrammeForm.clean_code",
    "programme_years": "ProgrammeForm.clean (end_year)",
    "one_quick_win_flag_per_year": "ProgrammeForm.quick_win_years is a set of years",
    "budget_year_source": "BudgetFormSet.clean (year)",
    "budget_not_negative": "RupiahField (amount)",
    "one_target_per_year": "IndicatorForm has one target field per year",
    "target_range_in_order": "IndicatorForm.clean (upper_<year>) and services.programmes._targets",
    "action_item_dates": "ActionItemForm.clean (ends_on)",
    "one_disposition_per_previous_programme": "dispositions are created by the review services, never typed",
    "one_new_disposition_per_programme": "services.review.set_disposition (kind)",
    "thread_has_one_anchor": "the thread views set exactly one anchor",
    "one_waiver_per_finding": "services.waivers.waive_findings edits the waiver of a rule and subject",
}


def _unique_in_edition(form: forms.ModelForm, field: str, edition: Edition, message: Any) -> Any:
    """The cleaned ``field``, or a field error when another row of ``edition`` already has it."""
    value = form.cleaned_data.get(field)
    if value in (None, ""):
        return value
    rows = form._meta.model.objects.filter(edition=edition, **{field: value})
    if form.instance.pk:
        rows = rows.exclude(pk=form.instance.pk)
    if rows.exists():
        raise forms.ValidationError(message % {"value": value})
    return value


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A choice field of ``form`` whose queryset the form narrows to the edition or region."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _multiple(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def sign_baseline(data: dict[str, Any]) -> str:
    return signing.dumps(data, salt=BASELINE_SALT, compress=True)


def read_baseline(token: str | None) -> dict[str, Any] | None:
    """The programme as it was when the form was opened (for the edit-conflict view)."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=BASELINE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) else None


class KeywordsField(forms.CharField):
    """Vision keywords typed as a comma-separated list."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [w.strip() for w in text.split(",") if w.strip()]


def taxonomies() -> Any:
    return Framework.objects.filter(kind=Kind.TAXONOMY, status=Status.PUBLISHED).order_by("code", "-version")


class EditionForm(VersionedFormMixin, forms.ModelForm):
    vision_keywords = KeywordsField(
        label=_("vision keywords"), required=False, help_text=_("Separate the words with commas.")
    )

    class Meta:
        model = Edition
        fields = [
            "year",
            "title",
            "start_year",
            "end_year",
            "taxonomy",
            "vision",
            "vision_keywords",
            "rpjmd_period",
            "quick_win_limit",
            "rpjmd_min_share",
        ]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "taxonomy").queryset = taxonomies()
        if self.instance.pk:
            # The taxonomy is fixed once programmes are placed in it: change it with a new edition.
            self.fields["taxonomy"].disabled = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error(
                "end_year",
                _("The plan period ends before it starts: the end year is before %(start)s.") % {"start": start},
            )
        return data


class ReviewEditionForm(forms.Form):
    year = forms.IntegerField(label=_("edition year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    start_year = forms.IntegerField(label=_("plan period from"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("plan period to"), min_value=2000, max_value=2100)


class SectionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "body"]
        # data-richtext: the editor enhances the textarea with exactly what the sanitiser keeps.
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "data-richtext": editor_elements()})}
        help_texts = {
            "body": _("Paragraphs, headings (h3, h4), lists, tables and links are kept; other markup is removed.")
        }

    class Media:
        # Rendered by plans/form.html; docs/decisions/0004-rich-text-editor.md says why TinyMCE.
        js = ["plans/vendor/tinymce/tinymce.min.js", "plans/vendor/tinymce/langs/id.js", "plans/richtext.js"]


class SectionStateForm(VersionedFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("review state"), choices=ReviewState.choices)


def _opds(region: Region) -> Any:
    return OPD.objects.filter(region=region).order_by("abbreviation", "valid_from")


class OPDChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        until = obj.valid_to.year if obj.valid_to else "…"
        return f"{obj.abbreviation} – {obj.name} ({obj.valid_from.year}–{until})"


class OPDMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.abbreviation} – {obj.name}"


class SipdCodeInput(forms.TextInput):
    """A code field with suggestions from the SIPD code list: htmx fills a ``<datalist>`` from the
    search page as the person types, and a link to that page works without JavaScript."""

    template_name = "plans/widgets/sipd_code.html"

    def __init__(self, search_url: str, list_id: str = "sipd-code-options") -> None:
        self.search_url = search_url
        super().__init__(
            attrs={
                "list": list_id,
                "autocomplete": "off",
                "hx-get": search_url,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ProgrammeForm(VersionedFormMixin, forms.ModelForm):
    baseline = forms.CharField(widget=forms.HiddenInput, required=False)
    quick_win_years = forms.TypedMultipleChoiceField(
        label=_("quick win in"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A quick win is delivered within its budget year; it is re-chosen every year."),
    )

    class Meta:
        model = Programme
        fields = list(programme_fields.FORM_FIELDS)
        field_classes = {
            "dimension": EntryChoiceField,
            "element": EntryChoiceField,
            "lead_opd": OPDChoiceField,
            "supporting_opds": OPDMultipleChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            # Long lists: a searchable checkbox list where JavaScript runs (web/static/kotacerdas/searchable-select.js).
            "supporting_opds": forms.SelectMultiple(attrs={"data-searchable": ""}),
            "dependencies": forms.SelectMultiple(attrs={"data-searchable": ""}),
        }

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        entries = FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id).order_by("order", "id")
        _choices(self, "dimension").queryset = entries.filter(parent__isnull=True)
        _choices(self, "element").queryset = entries.filter(parent__isnull=False)
        _choices(self, "strategy").queryset = Strategy.objects.filter(edition=edition).order_by("order", "code")
        _choices(self, "lead_opd").queryset = _opds(edition.region)
        _choices(self, "supporting_opds").queryset = _opds(edition.region)
        others = Programme.objects.filter(edition=edition).order_by("code").only("id", "code", "name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        _choices(self, "dependencies").queryset = others
        self.fields["permendagri_code"].widget = SipdCodeInput(
            reverse("plans:sipd_codes", args=[edition.region.code, edition.year])
        )
        self.fields["permendagri_code"].widget.attrs["maxlength"] = "40"
        _multiple(self, "quick_win_years").choices = [(y, str(y)) for y in edition.years]
        if self.instance.pk:
            self.fields["quick_win_years"].initial = [q.year for q in self.instance.quick_wins.all()]
        # What an older plan may not say is left empty, never filled with a default.
        _multiple(self, "horizon").choices = [("", NOT_STATED), *Horizon.choices]
        for name in ("horizon", "start_year", "end_year", "element", "strategy", "lead_opd"):
            self.fields[name].help_text = _("Leave empty when the plan does not state it.")

    def clean_code(self) -> Any:
        return _unique_in_edition(
            self,
            "code",
            self.edition,
            _("There is already a programme %(value)s in this edition: choose another code."),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The end year is before the start year."))
        return data


SUB_ACTIVITY_HINT = _("Write a sub kegiatan code of six parts, e.g. 2.16.03.2.02.0001.")


class BudgetLineForm(RowForm):
    # The row's id, so saving edits it in place and it keeps its identity (house style 18).
    id = forms.IntegerField(label=_("row id"), widget=forms.HiddenInput, required=False, min_value=1)
    # Empty year or source: the plan does not state it (counted in the total, in no year).
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    source = forms.ChoiceField(label=_("source"), choices=[("", NOT_STATED), *BudgetSource.choices], required=False)
    amount = RupiahField(label=_("amount (Rp)"), max_value=MAX_BUDGET_AMOUNT)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    sub_activity_code = forms.CharField(
        label=_("SIPD sub-activity code"),
        max_length=40,
        required=False,
        help_text=_("e.g. 2.16.03.2.02.0001"),
    )

    def clean_sub_activity_code(self) -> str:
        code = " ".join(str(self.cleaned_data.get("sub_activity_code") or "").split())
        if code and level_of(code) != SipdLevel.SUB_KEGIATAN:
            raise forms.ValidationError(SUB_ACTIVITY_HINT)
        return code


class BaseBudgetFormSet(RowsFormSet):
    def clean(self) -> None:
        seen: set[tuple[int, str]] = set()
        for form in self.kept_forms():
            key = (form.cleaned_data.get("year"), form.cleaned_data.get("source"))
            if None in key or not key[1]:
                continue  # a year or source not stated: nothing to collide with
            if key in seen:
                form.add_error("year", _("There is already a line for %(year)s from this source.") % {"year": key[0]})
            seen.add(key)


BudgetFormSet = forms.formset_factory(BudgetLineForm, formset=BaseBudgetFormSet, extra=2, can_delete=True)


class IndicatorForm(RowForm):
    # The row's id, so saving edits it in place and it keeps its identity (house style 18).
    id = forms.IntegerField(label=_("row id"), widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(label=_("indicator"), max_length=250, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("kind"), choices=Indicator.Kind.choices)
    unit = forms.CharField(label=_("unit"), max_length=40)
    direction = forms.ChoiceField(label=_("direction"), choices=Direction.choices)
    baseline = forms.DecimalField(label=_("baseline"), max_digits=16, decimal_places=2, required=False)
    baseline_year = forms.IntegerField(label=_("baseline year"), min_value=2000, max_value=2100, required=False)
    data_producer = OPDChoiceField(label=_("data producer (OPD)"), queryset=OPD.objects.none(), required=False)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "data_producer").queryset = _opds(edition.region)
        self.years = list(edition.years)
        for year in self.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=str(year), max_digits=16, decimal_places=2, required=False
            )
        for year in self.years:
            self.fields[f"upper_{year}"] = forms.DecimalField(
                label=_("%(year)s, upper bound") % {"year": year}, max_digits=16, decimal_places=2, required=False
            )
        # A target the plan states without a year (kept as it is until someone sets its year).
        self.fields["target_undated"] = forms.DecimalField(
            label=_("year not stated"), max_digits=16, decimal_places=2, required=False
        )
        self.fields["upper_undated"] = forms.DecimalField(
            label=_("year not stated, upper bound"), max_digits=16, decimal_places=2, required=False
        )

    def main_fields(self) -> list[Any]:
        """The indicator's own cells (not its targets). Its Satu Data metadata is edited in
        monitoring (the indicator's metadata page), the one place it is kept."""
        return [f for f in self.visible_fields() if not f.name.startswith(("target_", "upper_"))]

    def target_fields(self) -> list[Any]:
        return [self[f"target_{y}"] for y in self.years] + [self["target_undated"]]

    def upper_fields(self) -> list[Any]:
        return [self[f"upper_{y}"] for y in self.years] + [self["upper_undated"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        is_range = data.get("direction") == Direction.RANGE
        for key in [*self.years, "undated"]:
            low, high = data.get(f"target_{key}"), data.get(f"upper_{key}")
            if is_range and (low is None) != (high is None):
                self.add_error(
                    f"upper_{key}" if high is None else f"target_{key}",
                    _("A target range needs both bounds: from and to."),
                )
            elif not is_range and high is not None:
                self.add_error(
                    f"upper_{key}", _("Only an indicator whose direction is “within a range” has an upper bound.")
                )
            elif high is not None and low is not None and high < low:
                self.add_error(f"upper_{key}", _("The upper bound is below the lower bound."))
        return data

    def targets(self) -> dict[int | None, Any]:
        """Year (None: not stated) → target: a number, or (lower, upper) for an indicator within a range."""
        data = self.cleaned_data
        out: dict[int | None, Any] = {}
        for key, year in [*((y, y) for y in self.years), ("undated", None)]:
            low, high = data.get(f"target_{key}"), data.get(f"upper_{key}")
            if low is not None:
                out[year] = (low, high) if high is not None else low
        return out


class BaseEditionRowsFormSet(RowsFormSet):
    """Rows whose choices come from the edition (its agencies, its years)."""

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        self.edition = edition
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "edition": self.edition}

    @property
    def empty_form(self) -> Any:
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            edition=self.edition,
        )


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=BaseEditionRowsFormSet, extra=1, can_delete=True)


class ActionItemForm(RowForm):
    # The row's id, so saving edits it in place and it keeps its identity (house style 18).
    id = forms.IntegerField(label=_("row id"), widget=forms.HiddenInput, required=False, min_value=1)
    activity = forms.CharField(label=_("activity"), max_length=250)
    starts_on = forms.DateField(label=_("from"), widget=DateInput())
    ends_on = forms.DateField(label=_("to"), widget=DateInput())
    person_in_charge = forms.CharField(label=_("person in charge"), max_length=200, required=False)
    opd = OPDChoiceField(label=_("agency in charge"), queryset=OPD.objects.none(), required=False)
    output = forms.CharField(label=_("output"), max_length=250, required=False)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "opd").queryset = _opds(edition.region)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end is before the start."))
        return data


ActionItemFormSet = forms.formset_factory(ActionItemForm, formset=BaseEditionRowsFormSet, extra=2, can_delete=True)


class ChildrenVersionForm(VersionedFormMixin, forms.Form):
    """Carries the programme's version and baseline on the budget/indicator/action-plan pages."""

    baseline = forms.CharField(widget=forms.HiddenInput, required=False)


class DispositionForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("disposition"), choices=DispositionKind.choices)
    merged_into = forms.ModelChoiceField(label=_("merged into"), queryset=Programme.objects.none(), required=False)
    rationale = forms.CharField(label=_("rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    implementation_status = forms.ChoiceField(label=_("implementation so far"), choices=ProgrammeStatus.choices)
    implementation_note = forms.CharField(
        label=_("implementation note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "merged_into").queryset = Programme.objects.filter(edition=edition).order_by("code")


class ThreadForm(forms.Form):
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ThreadStatusForm(VersionedFormMixin, forms.Form):
    pass


class ApprovalForm(VersionedFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("date"), widget=DateInput(), initial=datetime.date.today)
    reference = forms.CharField(
        label=_("reference"), max_length=200, required=False, help_text=_("Minutes, letter or decree number.")
    )
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    adoption_instrument = forms.ChoiceField(
        label=_("adopted by"), choices=[("", "—"), *AdoptionInstrument.choices], required=False
    )
    adoption_number = forms.CharField(label=_("regulation number"), max_length=120, required=False)
    adoption_date = forms.DateField(label=_("regulation date"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, adopting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not adopting:
            for name in ("adoption_instrument", "adoption_number", "adoption_date"):
                del self.fields[name]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("edition file"),
        help_text=_(
            "A JSON document or an XLSX workbook in the KotaCerdas format, or the programme-table template filled in."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xlsx"}),
    )
    replace = forms.BooleanField(
        label=_("replace the content of an existing draft edition of the same year"), required=False
    )
    create_agencies = forms.BooleanField(
        label=_("create the agencies the file lists that the region does not have yet"),
        required=False,
        help_text=_("The import lists them first; tick this and choose the file again to create them."),
    )


# Buku 1/Buku 2 content rows ------------------------------------------------------------------


class SwotForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SwotItem
        fields = ["component", "kind", "text", "order"]
        field_classes = {"component": EntryChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "component").queryset = FrameworkEntry.objects.filter(
            framework__kind=Kind.COMPONENTS, framework__status=Status.PUBLISHED
        ).order_by("framework__code", "order")


class MissionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Mission
        fields = ["number", "text", "rpjmd_mission"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean_number(self) -> Any:
        return _unique_in_edition(
            self,
            "number",
            self.edition,
            _("There is already a mission %(value)s in this edition: choose another number."),
        )


class GoalForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["mission", "code", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "mission").queryset = Mission.objects.filter(edition=edition)
        self.edition = edition

    def clean_code(self) -> Any:
        return _unique_in_edition(
            self, "code", self.edition, _("There is already a goal %(value)s in this edition: choose another code.")
        )


class StrategyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["dimension", "element", "goal", "code", "text", "order"]
        field_classes = {"dimension": EntryChoiceField, "element": EntryChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id).order_by("order", "id")
        _choices(self, "dimension").queryset = entries.filter(parent__isnull=True)
        _choices(self, "element").queryset = entries.filter(parent__isnull=False)
        _choices(self, "goal").queryset = Goal.objects.filter(edition=edition)
        self.edition = edition

    def clean_code(self) -> Any:
        return _unique_in_edition(
            self, "code", self.edition, _("There is already a strategy %(value)s in this edition: choose another code.")
        )


class WaiverForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ElementWaiver
        fields = ["element", "reason"]
        field_classes = {"element": EntryChoiceField}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "element").queryset = FrameworkEntry.objects.filter(
            framework_id=edition.taxonomy_id, parent__isnull=False
        ).order_by("order", "id")
        self.edition = edition

    def clean_element(self) -> Any:
        return _unique_in_edition(
            self, "element", self.edition, _("This element already has a waiver in this edition: edit that one.")
        )


CONTENT_FORMS: dict[str, type[forms.ModelForm]] = {
    "swot": SwotForm,
    "mission": MissionForm,
    "goal": GoalForm,
    "strategy": StrategyForm,
    "waiver": WaiverForm,
}


class FindingWaiverForm(VersionedFormMixin, forms.Form):
    """The reason for leaving the findings of one rule about one subject as they are."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why these findings may stay, as agreed with the mentor: "
            "it is shown beside them and kept in the audit trail."
        ),
    )

    def __init__(self, *args: Any, waiver: FindingWaiver | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if waiver is None:
            self.creates_row()
        else:
            self.fields["version"].initial = waiver.version
            self.fields["reason"].initial = waiver.reason
