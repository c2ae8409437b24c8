"""Forms for editing a draft framework version. Services do the validation that needs the database."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kotacerdas.frameworks.models import Framework, FrameworkEntry
from kotacerdas.frameworks.rules import ENTRY_CODE, NESTED_KINDS, NUMBERS_BY_KIND
from kotacerdas.lib.forms import VersionedFormMixin

NUMBER_HINT = _("Write numbers as this page shows them, e.g. %(whole)s or %(fraction)s.")


def number_examples() -> dict[str, str]:
    """The examples of :data:`NUMBER_HINT` in the active language (100.000 and 2,60 in Indonesian)."""
    return {
        "whole": formats.number_format(Decimal(100000), force_grouping=True),
        "fraction": formats.number_format(Decimal("2.60"), 2),
    }


class LocalDecimalField(forms.DecimalField):
    """A number typed the way the page shows numbers: ``100.000`` and ``2,60`` on an Indonesian page.

    Django's localized parsing drops every thousands separator, so on an Indonesian page ``2.60``
    would silently become 260 (and a size-class bound off by a factor of a hundred reclassifies
    every city). Here a thousands separator is accepted only between groups of three digits.
    """

    default_error_messages = {"grouping": NUMBER_HINT}

    def __init__(self, **kwargs: Any) -> None:
        kwargs["localize"] = True
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs inherit IntegerField's
        text = str(value).strip() if value is not None else ""
        thousands = str(formats.get_format("THOUSAND_SEPARATOR"))
        whole = text.lstrip("+-").split(str(formats.get_format("DECIMAL_SEPARATOR")), 1)[0]
        if thousands and thousands in whole and not re.fullmatch(rf"\d{{1,3}}({re.escape(thousands)}\d{{3}})+", whole):
            raise ValidationError(self.error_messages["grouping"], code="grouping", params=number_examples())
        return super().to_python(value)


class DraftForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["title", "title_en", "year", "source"]
        widgets = {"source": forms.Textarea(attrs={"rows": 3})}


ENTRY_HELP = {
    "code": _("A short, stable identifier, e.g. ECO-4. It cannot be changed later."),
    "parent": _("Leave empty for a dimension; choose a dimension to add one of its elements."),
    "level": _("1 for the lowest level; levels are numbered 1, 2, 3, … without gaps."),
    "weight": _("In percent; the weights of all dimensions must add up to 100."),
    "lower_inclusive": _("Untick when the band starts just above the bound, e.g. “more than 1,000,000”."),
}


class EntryForm(VersionedFormMixin, forms.ModelForm):
    """One entry of a draft. Only the numbers that mean something for the framework's kind are
    shown (a level for maturity levels, a weight for evaluation schemes, a bound for band tables);
    a new entry also gets its code and, in a taxonomy, its dimension. An existing entry is saved
    only at the version it was opened at (``VersionedFormMixin``)."""

    class Meta:
        model = FrameworkEntry
        fields = [
            "code",
            "parent",
            "name",
            "name_en",
            "description",
            "level",
            "weight",
            "lower_bound",
            "lower_inclusive",
        ]
        field_classes = {"weight": LocalDecimalField, "lower_bound": LocalDecimalField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        keep = {"name", "name_en", "description", "version"}
        if adding:
            keep.add("code")
            if framework.kind in NESTED_KINDS:
                keep.add("parent")
        if adding or self.instance.parent_id is None:
            keep.update(NUMBERS_BY_KIND.get(framework.kind, ()))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, text in ENTRY_HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text
        if "code" in self.fields:
            # The service checks it too; checking here lists it with the form's other problems.
            message = _("Use letters, digits, - and _ only, starting with a letter or digit.")
            self.fields["code"].validators.append(RegexValidator(rf"\A{ENTRY_CODE.pattern}\Z", message))
        if "parent" in self.fields:
            self.fields["parent"].queryset = framework.entries.filter(parent__isnull=True)  # type: ignore[attr-defined]
        for name in ("level", "weight"):
            if name in self.fields:
                self.fields[name].required = True  # the kind's one number; publishing needs it
        for name in ("weight", "lower_bound"):
            if name in self.fields:
                hint = NUMBER_HINT % number_examples()
                own = self.fields[name].help_text
                self.fields[name].help_text = f"{own} {hint}" if own else hint
