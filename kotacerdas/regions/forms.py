from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib import files
from kotacerdas.lib.forms import DateInput, DateOrderMixin, VersionedFormMixin
from kotacerdas.regions.models import OPD, BodyMember, GovernanceBody, Population, Region

POPULATION_ERROR = _("Population must be a whole number of zero or more, e.g. 73438 or 73.438.")


class RegionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "kind",
            "province",
            "time_zone",
            "area_km2",
            "motto",
            "vision",
            "is_published",
            "requires_sipd_codes",
        ]
        help_texts = {
            "code": _("Two digits, a dot, two digits, e.g. 13.72."),
            "province": _("As Kemendagri writes it, e.g. Sumatera Barat."),
        }
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code is the region's address in every link; it is fixed once created.
            self.fields["code"].disabled = True


class WholeNumberField(forms.CharField):
    """A count typed the Indonesian way: ``73438`` or ``73.438``; never ``12.5`` or ``-5``.

    Django's IntegerField would read ``1.000`` as 1 (it drops a trailing ``.000``), which turns
    an Indonesian "one thousand" into one; this field reads it as 1000 and refuses the rest.
    """

    PATTERN = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")

    def __init__(self, *, message: Any, **kwargs: Any) -> None:
        self.message = message
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = str(value or "").strip().replace(" ", "")
        if not text:
            return None
        if not self.PATTERN.match(text):
            raise forms.ValidationError(self.message, code="invalid")
        return int(text.replace(".", ""))


class PopulationForm(VersionedFormMixin, forms.Form):
    """The population of a year. Its hidden version is the figure's when one is shown (a
    correction), 0 on the blank form ("saw none"): a figure recorded meanwhile is not overwritten."""

    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2100)
    population = WholeNumberField(label=_("population"), message=POPULATION_ERROR)
    source = forms.CharField(label=_("source"), max_length=200, required=False, help_text=_("E.g. BPS census 2020."))
    is_estimate = forms.BooleanField(label=_("estimate"), required=False)

    def __init__(self, *args: Any, figure: Population | None = None, **kwargs: Any) -> None:
        if figure is not None:
            kwargs.setdefault(
                "initial",
                {
                    "year": figure.year,
                    "population": figure.population,
                    "source": figure.source,
                    "is_estimate": figure.is_estimate,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = figure.version if figure is not None else 0
        if figure is not None:
            # The year names the figure being corrected; another year is another figure.
            self.fields["year"].disabled = True


class OPDForm(DateOrderMixin, VersionedFormMixin, forms.ModelForm):
    date_order = (("valid_from", "valid_to"),)

    class Meta:
        model = OPD
        fields = ["name", "abbreviation", "kind", "head_name", "head_title", "valid_from", "valid_to", "predecessors"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput(), "predecessors": forms.CheckboxSelectMultiple}
        help_texts = {"predecessors": _("For a merged agency: the agencies it replaced.")}

    def __init__(self, *args: Any, region: Region, head_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = OPD.objects.filter(region=region).order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["predecessors"].queryset = others  # type: ignore[attr-defined]
        if head_only:
            # An editor tied to this agency keeps its head up to date; structure is the admin's.
            for name in list(self.fields):
                if name not in {"head_name", "head_title", "version"}:
                    del self.fields[name]


class AgencyFileForm(forms.Form):
    file = forms.FileField(
        label=_("File of agencies (XLSX or CSV)"),
        help_text=_("The template filled in: one row per agency. At most 2 MB."),
    )


class GovernanceBodyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = GovernanceBody
        fields = ["kind", "name", "decree_number", "decree_date", "decree_file"]
        widgets = {"decree_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        files.describe_file_field(self.fields["decree_file"], self.instance.decree_filename)


class MemberForm(forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["person_name", "position", "opd", "role", "order"]

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = OPD.objects.filter(region=region).order_by("name")  # type: ignore[attr-defined]
