"""No one meets a database constraint's name: every constraint of every model says a sentence."""

from __future__ import annotations

from django.apps import apps
from django.db.models import BaseConstraint


def test_every_constraint_of_the_project_has_its_own_message():
    missing = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if model.__module__.startswith("kotacerdas.")
        for constraint in model._meta.constraints
        if constraint.violation_error_message in (None, BaseConstraint.default_violation_error_message)
    ]
    assert missing == []
