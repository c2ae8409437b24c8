"""The one list of programme fields agrees with the model, the form and the interchange schema."""

from __future__ import annotations

from django.db import models

from kotacerdas.plans import fields
from kotacerdas.plans.forms import ProgrammeForm
from kotacerdas.plans.interchange.schema import PROGRAMME as SCHEMA
from kotacerdas.plans.models import Programme

CHILD_ROWS = {"budgets", "indicators", "action_items"}


def test_every_row_field_is_a_column_of_the_programme_and_every_list_a_relation() -> None:
    for field in fields.PROGRAMME:
        if field.name == "quick_win_years":
            continue  # rows of their own (QuickWinFlag), not a field of the programme
        model_field = Programme._meta.get_field(field.name)
        assert isinstance(model_field, models.ManyToManyField) != field.on_row, field.name


def test_the_interchange_schema_holds_exactly_the_document_fields() -> None:
    assert set(SCHEMA["properties"]) - CHILD_ROWS == set(fields.DOCUMENT_FIELDS)


def test_the_form_asks_for_the_form_fields_in_order() -> None:
    assert list(ProgrammeForm._meta.fields or [])[: len(fields.FORM_FIELDS)] == list(fields.FORM_FIELDS)
    assert not {"lineage", "order", "is_sample"} & set(fields.FORM_FIELDS)


def test_the_change_log_leaves_out_identity_order_and_flags_only() -> None:
    assert {"lineage", "order", "is_sample"} == fields.UNCOMPARED_FIELDS
    assert fields.CHOICE_FIELDS == ("innovation_kind", "horizon", "status")
