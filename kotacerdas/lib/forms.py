"""Form helpers shared by every app: optimistic-lock version field, service error handling,
rupiah amounts and tables of rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.lib import numbers
from kotacerdas.lib.concurrency import EditConflict

T = TypeVar("T")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedFormMixin(forms.Form):
    """Carries the version of the record the form was loaded from (see lib/concurrency.py).

    The version is required whenever the form edits an existing row: a POST without it, or
    with something that is not a whole number, is refused as an edit conflict (the page answers
    409 and keeps the input), never saved over whatever the row holds now. A model form for a
    new row (no primary key yet) has nothing to compare, so there the field is optional; a plain
    form that may create its row (an answer not given yet) says so with
    :meth:`creates_row`.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=True)
    conflict = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None:
            if instance.pk:
                self.fields["version"].initial = instance.version
            else:
                self.creates_row()

    def creates_row(self) -> None:
        """This form makes a new row: there is no version to carry."""
        self.fields["version"].required = False

    def full_clean(self) -> None:
        super().full_clean()
        refuse_missing_version(self, "version")


def missing_version_message() -> str:
    return _(
        "This form did not say which version of the record it was opened at, so saving it could "
        "overwrite someone else's changes. Reload the page, then apply your changes again."
    )


def refuse_missing_version(form: forms.BaseForm, name: str) -> None:
    """Turn an error of the hidden version field ``name`` into a conflict said at the top.

    The error of a hidden field would be invisible next to it; the form is marked as a
    conflict (``form.conflict``), so the page answers 409 and keeps what was typed.
    """
    errors = form.errors
    if name not in errors:
        return
    del errors[name]
    form.cleaned_data.pop(name, None)
    form.add_error(None, ValidationError(missing_version_message(), code="version"))
    form.conflict = True  # type: ignore[attr-defined]


def describe_fields(form: forms.BaseForm) -> None:
    """Point each input at its hint and error (aria-describedby), for screen readers.

    Also drops the ``maxlength`` attribute: a browser silently cuts a pasted text at that
    length, so the form says "at most N characters" instead and keeps what was typed.
    """
    for name, field in form.fields.items():
        field.widget.attrs.pop("maxlength", None)
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}_hint")
        if form.is_bound and form.errors.get(name):
            ids.append(f"{bound.auto_id}_error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)


def submit(request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate ``form`` on POST and call ``save(cleaned_data)``; service errors land on the form.

    Returns what ``save`` returned, or None when the form must be shown (again).
    """
    result: T | None = None
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            form.conflict = True  # type: ignore[attr-defined]
    describe_fields(form)
    return result


# Whole rupiah typed by people -----------------------------------------------------------------

# Thousands grouped with dots (Indonesian) or commas (English), one kind per number: 1.500.000.
GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
CURRENCY = re.compile(r"^rp\.?", re.IGNORECASE)


class RupiahField(forms.IntegerField):
    """A whole amount of rupiah between 0 and ``max_value``, typed as people write it.

    Accepted: ``1500000``, ``1.500.000``, ``1,500,000``, with or without ``Rp`` and spaces; the
    dots or commas must group thousands (``1,5`` and ``1.500,50`` are refused: whole rupiah
    only). The value is shown grouped in the active language.
    """

    widget = forms.TextInput

    def __init__(self, *, max_value: int, **kwargs: Any) -> None:
        self.max_rupiah = max_value
        kwargs.setdefault(
            "help_text", gettext_lazy("Whole rupiah; dots or commas between thousands are allowed, e.g. 1.500.000.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return numbers.grouped(value)
        return value

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = CURRENCY.sub("", str(value).strip()).replace(" ", "").replace("\u00a0", "")
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if not digits.isdigit() and not GROUPED.match(digits):
            raise ValidationError(
                _("Enter whole rupiah, e.g. 1.500.000: digits, with dots or commas only between thousands."),
                code="invalid",
            )
        digits = digits.replace(".", "").replace(",", "")
        if len(digits.lstrip("0")) > len(str(self.max_rupiah)):
            # Too long to be an amount; also keeps int() away from Python's digit limit.
            return -(10 ** len(str(self.max_rupiah))) if negative else 10 ** len(str(self.max_rupiah))
        number = int(digits)
        return -number if negative else number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise ValidationError(_("The amount cannot be negative: enter zero or more."), code="min_value")
        if value > self.max_rupiah:
            raise ValidationError(
                _("The amount is larger than Rp %(limit)s, the most one line can hold.")
                % {"limit": numbers.grouped(self.max_rupiah)},
                code="max_value",
            )


# Tables of rows ------------------------------------------------------------------------------

# Widgets whose value is picked, not typed: a row with only these filled is still a blank row.
PICKED_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxInput, forms.HiddenInput, forms.CheckboxSelectMultiple)


def _typed(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_typed(v) for v in value)
    return value is not None and str(value).strip() != ""


class RowForm(forms.Form):
    """A row of a :class:`RowsFormSet`: a blank row counts as unchanged, so it is not validated."""

    blank_row = False

    def is_blank(self) -> bool:
        """Nothing typed in the row: only its picked values (selects, checkboxes) are filled."""
        if not self.is_bound:
            return False
        for name, field in self.fields.items():
            if isinstance(field.widget, PICKED_WIDGETS):
                continue
            if _typed(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))):
                return False
        return True

    def has_changed(self) -> bool:
        return not self.blank_row and super().has_changed()


class RowsFormSet(forms.BaseFormSet):
    """A table of rows where "empty rows are ignored" means what it says.

    A row is blank when every field a person types in (text, number, date, textarea) is empty,
    whatever its selects say: the spare rows carry select defaults (a budget source, an
    indicator kind), which made Django count them as changed and then require their other
    fields. Blank rows are not validated and :meth:`kept_forms` leaves them out, with the rows
    ticked for removal. Row forms must be :class:`RowForm` subclasses.
    """

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        if isinstance(form, RowForm) and form.is_blank():
            form.blank_row = True
            form.empty_permitted = True
        return form

    def kept_forms(self) -> list[Any]:
        """The rows to save, in order: neither blank nor ticked for removal (after is_valid())."""
        return [
            f
            for f in self.forms
            if not getattr(f, "blank_row", False)
            and not (self.can_delete and getattr(f, "cleaned_data", {}).get(forms.formsets.DELETION_FIELD_NAME))
        ]

    def describe_rows(self) -> None:
        """Name every input by row and column for screen readers ("Row 2, year"), hints, errors."""
        for n, form in enumerate(self.forms, start=1):
            for name, field in form.fields.items():
                if not isinstance(field.widget, forms.HiddenInput):
                    field.widget.attrs["aria-label"] = _("Row %(n)s, %(column)s") % {
                        "n": n,
                        "column": field.label or name,
                    }
            describe_fields(form)


class DateOrderMixin(forms.Form):
    """Pairs of (start, end) fields that must be in order: the error lands on the end field.

    Models keep the same rule as a CheckConstraint; the form says it first, next to the field.
    """

    date_order: tuple[tuple[str, str], ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for start_name, end_name in self.date_order:
            start, end = cleaned.get(start_name), cleaned.get(end_name)
            if start and end and end < start and end_name in self.fields:
                self.add_error(
                    end_name,
                    ValidationError(
                        _("This date cannot be before “%(start)s”.") % {"start": self.fields[start_name].label},
                        code="date_order",
                    ),
                )
        return cleaned
