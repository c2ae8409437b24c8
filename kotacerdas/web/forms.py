"""Forms of the pages composed in ``web``: the filters of the ministry's national view."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.engagements.models.register import ObstacleCategory
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.regions.models import RegionKind
from kotacerdas.regions.provinces import PROVINCES
from kotacerdas.web import national
from kotacerdas.web import national_figures as figures

ANY = [("", _("all"))]


class NationalFilters(forms.Form):
    """The GET form of the national view: every field optional, an unknown value an error that
    names the field (the table then shows every region for it)."""

    cohort = forms.TypedChoiceField(label=_("Cohort"), required=False, coerce=int, empty_value=None)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(label=_("Kota or kabupaten"), required=False)
    size = forms.ChoiceField(label=_("Size class"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    plan = forms.ChoiceField(label=_("Master plan"), required=False)
    predicate = forms.ChoiceField(label=_("Evaluation predicate"), required=False)
    measure = forms.ChoiceField(label=_("Colour the map by"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=[("asc", _("ascending")), ("desc", _("descending"))]
    )

    def __init__(self, *args: Any, ref: national.Reference, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = self.fields
        years = sorted({year for year, _name in ref.cohorts})
        sizes = [(b.code, b.label) for b in ref.sizes]
        predicates = [(b.code, b.label) for b in ref.predicates]
        fields["cohort"].choices = ANY + [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        fields["province"].choices = ANY + [(p.code, p.name) for p in PROVINCES]  # type: ignore[attr-defined]
        fields["kind"].choices = ANY + list(RegionKind.choices)  # type: ignore[attr-defined]
        fields["size"].choices = ANY + sizes  # type: ignore[attr-defined]
        fields["stage"].choices = ANY + [(c, label) for c, label in figures.STAGES]  # type: ignore[attr-defined]
        fields["plan"].choices = (  # type: ignore[attr-defined]
            [*ANY, (national.NO_PLAN, _("no edition yet")), *EditionStatus.choices]
        )
        fields["predicate"].choices = ANY + predicates  # type: ignore[attr-defined]
        fields["measure"].choices = list(national.MEASURES.items())  # type: ignore[attr-defined]
        fields["sort"].choices = [(c.key, c.title) for c in national.COLUMNS]  # type: ignore[attr-defined]
        # The filters arrive in the address, so anything may come: say what to do, never echo
        # the value (an address can carry thousands of characters).
        for field in fields.values():
            field.error_messages["invalid_choice"] = _("Choose one of the values in the list.")

    def filters(self) -> national.Filters:
        """The filters that are valid; a field with an error filters nothing."""
        if not self.is_bound:
            return national.Filters()
        self.is_valid()
        valid = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return national.Filters(
            cohort=valid.get("cohort"),
            province=valid.get("province") or "",
            kind=valid.get("kind") or "",
            size=valid.get("size") or "",
            stage=valid.get("stage") or "",
            plan=valid.get("plan") or "",
            predicate=valid.get("predicate") or "",
        )


class ObstacleCell(forms.Form):
    """Which heat-map cell the drill-down lists."""

    category = forms.ChoiceField(label=_("Category"), choices=ObstacleCategory.choices)
    province = forms.ChoiceField(label=_("Province"), choices=[(p.code, p.name) for p in PROVINCES])
