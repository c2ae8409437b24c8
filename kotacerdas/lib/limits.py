"""Whether an imported value fits the model field it will be stored in, said in words.

Imports build rows from files, not forms, so nothing else holds a value to the field's own
limits before the database does: SQLite stores a budget of 10^400 as infinity (and every page
showing it then fails), PostgreSQL answers a NUL character or an over-long text with an error
(a 500). :func:`field_problem` checks a value against the field's own definition (``max_length``,
``max_digits``/``decimal_places``, the integer range of the database, finite numbers, no NUL
character) with Django's own validators and messages, so the limits are never restated here.
Every importer calls it (directly or through :func:`row_problems`) and puts the answer beside the
file, sheet, row and column, or the JSON path, of the value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

TEXT_FIELDS = (models.CharField, models.TextField)
NUMBER_FIELDS = (models.DecimalField, models.FloatField, models.IntegerField)


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def field_problem(model: type[models.Model], name: str, value: Any) -> str | None:
    """Why ``value`` cannot be stored in ``model.name``, or None when it fits (or is None).

    Only the limits of storage are checked (length, digits, range, finiteness, NUL); whether a
    value is allowed (choices, required, references) stays with the importer's own checks.
    """
    if value is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, TEXT_FIELDS):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            # A number where text belongs is stored as its digits (a TOML `code = 1`): as long as those.
            try:
                value = str(value)
            except ValueError:  # more digits than Python will write out
                return _("The value is too long to store here.")
        if not isinstance(value, str):
            return None
        if "\x00" in value:
            return _("The text holds a NUL character (code 0), which cannot be stored.")
        length = field.max_length
        if length is not None and len(value) > length:
            return _("The text has %(count)s characters; at most %(limit)s fit here.") % {
                "count": len(value),
                "limit": length,
            }
        return None
    if not isinstance(field, NUMBER_FIELDS) or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return _("%(value)s is not a finite number.") % {"value": value}
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            return None  # not a number at all: the importer says so in its own words
        if not number.is_finite():
            return _("%(value)s is not a finite number.") % {"value": value[:40]}
        value = number
    if isinstance(value, Decimal) and not value.is_finite():
        return _("%(value)s is not a finite number.") % {"value": value}
    if isinstance(field, models.IntegerField) and isinstance(value, Decimal):
        if value != value.to_integral_value():
            return None  # a fraction where a whole number belongs: the importer says so
        value = int(value)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        # The ranges of PostgreSQL's columns, checked on every database: SQLite declares none (and
        # refuses more than 64 bits with an OverflowError), so a file valid on a laptop would
        # fail on the national server.
        low, high = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            return _("%(value)s is outside the range this field holds (%(low)s to %(high)s).") % {
                "value": str(value)[:40],
                "low": low,
                "high": high,
            }
    if isinstance(field, models.DecimalField) and isinstance(value, (int, float)):
        value = Decimal(str(value))
    try:
        field.run_validators(value)
    except ValidationError as error:
        return _messages(error)
    except (TypeError, ArithmeticError):
        return None
    return None


def row_problems(
    model: type[models.Model], row: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """(key, why) for each value of ``row`` that does not fit its field of ``model``.

    ``names`` maps a key of the row to the field's name where they differ; keys that are not
    fields (and are not mapped) are not checked.
    """
    names = names or {}
    for key, value in row.items():
        if isinstance(value, (dict, list)):
            continue
        problem = field_problem(model, names.get(key, key), value)
        if problem is not None:
            yield key, problem


def first_problem(checks: Iterable[tuple[type[models.Model], str, Any]]) -> tuple[str, str] | None:
    """The first (field name, why) among ``(model, field name, value)`` checks, or None."""
    for model, name, value in checks:
        problem = field_problem(model, name, value)
        if problem is not None:
            return name, problem
    return None
