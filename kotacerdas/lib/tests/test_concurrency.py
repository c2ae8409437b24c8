"""The optimistic lock cannot be skipped: not by a service caller, not by a form (issue 12, section 5)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import RequestFactory

import kotacerdas
from kotacerdas.lib.concurrency import EditConflict, lock_current, posted_version
from kotacerdas.lib.forms import VersionedFormMixin
from kotacerdas.regions.models import OPD

# Services whose version may be None, and why: None there means "I saw no such row yet".
MAY_CREATE = {
    "kotacerdas.assessments.services.runs.save_answer": "an answer not given yet is created",
    "kotacerdas.plans.services.editions.save_content": "without a row it creates one; with a row None is refused",
    "kotacerdas.plans.services.waivers.waive_findings": "a first waiver is created; changing one without it is refused",
}


def service_functions() -> list[tuple[str, inspect.Signature]]:
    found = []
    for info in pkgutil.walk_packages(kotacerdas.__path__, "kotacerdas."):
        if ".services" not in info.name or ".tests" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == info.name:
                found.append((f"{info.name}.{name}", inspect.signature(function)))
    return found


def test_every_service_requires_the_version_its_caller_saw():
    checked, loose = 0, []
    for name, signature in service_functions():
        for parameter in ("expected_version", "expected_revision"):
            if parameter not in signature.parameters:
                continue
            checked += 1
            p = signature.parameters[parameter]
            if name in MAY_CREATE:
                continue
            if p.default is not inspect.Parameter.empty or str(p.annotation) != "int":
                loose.append(f"{name}({parameter}: {p.annotation} = {p.default})")
    assert checked > 40, "found too few services: did the walk miss the service packages?"
    assert not loose, "services that let a caller skip the version:\n" + "\n".join(loose)


def test_no_form_declares_an_optional_version():
    def subclasses(cls: type) -> set[type]:
        return {s for c in cls.__subclasses__() for s in {c, *subclasses(c)}}

    for info in pkgutil.walk_packages(kotacerdas.__path__, "kotacerdas."):
        if info.name.endswith((".forms", ".views")) or ".views." in info.name:
            importlib.import_module(info.name)
    loose = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.startswith("kotacerdas.")
        for name in ("version", "revision")
        if name in getattr(cls, "base_fields", {}) and not cls.base_fields[name].required
    ]
    assert not loose, "forms whose version may be left out:\n" + "\n".join(sorted(loose))
    assert len([c for c in subclasses(VersionedFormMixin) if c.__module__.startswith("kotacerdas.")]) > 25


@pytest.mark.parametrize("expected", [None, 0, 2, "1"])
def test_lock_current_refuses_a_missing_or_other_version(cast, expected):
    with pytest.raises(EditConflict):
        lock_current(OPD.objects.all(), cast.opd_a.pk, expected)


def test_lock_current_returns_the_locked_row_at_the_version_seen(cast):
    assert lock_current(OPD.objects.all(), cast.opd_a.pk, cast.opd_a.version) == cast.opd_a


@pytest.mark.parametrize(
    ("posted", "version"),
    [({"version": "3"}, 3), ({}, 0), ({"version": ""}, 0), ({"version": "x"}, 0), ({"version": "-1"}, 0),
     ({"version": "٣"}, 0), ({"version": "9" * 40}, 0)],
)  # fmt: skip
def test_a_posted_version_is_a_whole_number_or_zero_which_no_row_has(posted, version):
    assert posted_version(RequestFactory().post("/", posted)) == version


class NoteForm(VersionedFormMixin, forms.Form):
    note = forms.CharField()


@pytest.mark.parametrize("version", [None, "", "x", "1.5"])
def test_a_form_without_a_whole_version_is_a_conflict_that_keeps_the_input(english, version):
    data = {"note": "Catatan saya"} | ({} if version is None else {"version": version})
    form = NoteForm(data)
    assert not form.is_valid() and form.conflict
    assert "version" not in form.errors
    assert form.non_field_errors()[0].startswith("This form did not say which version")
    assert form["note"].value() == "Catatan saya"


class OPDNameForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = OPD
        fields = ["name"]


def test_a_model_form_for_a_new_row_needs_no_version_and_one_for_a_stored_row_does():
    assert not OPDNameForm().fields["version"].required
    stored = OPDNameForm(instance=OPD(pk=7, version=4))
    assert stored.fields["version"].required and stored["version"].value() == 4
