"""Form helpers shared by every app: optimistic-lock version field and service error handling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from kotacerdas.lib.concurrency import EditConflict

T = TypeVar("T")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedFormMixin(forms.Form):
    """Carries the version of the record the form was loaded from (see lib/concurrency.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["version"].initial = instance.version


def describe_fields(form: forms.BaseForm) -> None:
    """Point each input at its hint and error (aria-describedby), for screen readers."""
    for name, field in form.fields.items():
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
