"""A re-import writes only what changed (issue 17 §4): unchanged programmes, strategies and
missions keep their rows and versions; an edited one is updated in its changed columns; the
number of writes follows the edits, not the size of the edition; the audit entry stays."""

from __future__ import annotations

import copy
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.audit.models import AuditEntry
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import ImportFailed, import_document
from kotacerdas.plans.models import Mission, Programme, Strategy
from kotacerdas.plans.tests.factories import make_programme

pytestmark = pytest.mark.django_db


def _doc(edition):
    return json.loads(json.dumps(edition_document(edition)))


def _versions(edition):
    return dict(Programme.objects.filter(edition=edition).values_list("code", "version"))


def _strategy_of_first(plan):
    """The first programme under the edition's strategy (set directly: test data)."""
    strategy = Strategy.objects.get(edition=plan.edition, code="S-GOV")
    Programme.objects.filter(pk=plan.first.pk).update(strategy=strategy)
    return strategy


def test_an_unchanged_reimport_writes_no_programme_and_keeps_strategies(plan):
    strategy = _strategy_of_first(plan)
    mission = Mission.objects.get(edition=plan.edition)
    versions = _versions(plan.edition)
    import_document(actor=None, region=plan.edition.region, doc=_doc(plan.edition), replace=True)
    assert _versions(plan.edition) == versions
    kept = Strategy.objects.get(edition=plan.edition, code="S-GOV")
    assert (kept.pk, kept.version) == (strategy.pk, strategy.version)
    assert Programme.objects.get(pk=plan.first.pk).strategy_id == strategy.pk
    assert Mission.objects.get(edition=plan.edition).pk == mission.pk


def test_an_edited_programme_alone_gets_a_new_version_and_the_audit_entry_is_written(plan):
    versions = _versions(plan.edition)
    doc = _doc(plan.edition)
    next(p for p in doc["programmes"] if p["code"] == "ENV-01")["name"] = "Nama baru"
    entries = AuditEntry.objects.count()
    import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    after = _versions(plan.edition)
    assert after["ENV-01"] == versions["ENV-01"] + 1 and after["GOV-01"] == versions["GOV-01"]
    assert Programme.objects.get(edition=plan.edition, code="ENV-01").name == "Nama baru"
    assert AuditEntry.objects.count() == entries + 1


def test_an_edited_strategy_is_updated_in_place(plan):
    strategy = _strategy_of_first(plan)
    doc = _doc(plan.edition)
    doc["strategies"][0]["text"] = "Strategi baru"
    import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    kept = Strategy.objects.get(edition=plan.edition, code="S-GOV")
    assert (kept.pk, kept.text, kept.version) == (strategy.pk, "Strategi baru", strategy.version + 1)


def test_programmes_swapping_codes_are_both_written(plan):
    doc = _doc(plan.edition)
    first, second = (next(p for p in doc["programmes"] if p["code"] == c) for c in ("GOV-01", "ENV-01"))
    first["code"], second["code"] = "ENV-01", "GOV-01"
    for p in doc["programmes"]:
        p["dependencies"] = ["ENV-01" if d == "GOV-01" else "GOV-01" for d in p.get("dependencies", [])]
    import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    assert Programme.objects.get(pk=plan.first.pk).code == "ENV-01"
    assert Programme.objects.get(pk=plan.second.pk).code == "GOV-01"


def test_a_failed_reimport_leaves_everything_as_it_was(plan):
    versions = _versions(plan.edition)
    doc = _doc(plan.edition)
    doc["programmes"][0]["name"] = "Berubah"
    doc["programmes"][1]["lead_opd"] = "TIDAK-ADA"
    with pytest.raises(ImportFailed):
        import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    assert _versions(plan.edition) == versions
    assert not Programme.objects.filter(edition=plan.edition, name="Berubah").exists()


def _reimport_queries(plan, doc):
    with CaptureQueriesContext(connection) as ctx:
        import_document(actor=None, region=plan.edition.region, doc=doc, replace=True)
    return len(ctx.captured_queries)


def test_an_unchanged_reimport_costs_the_same_queries_whatever_the_number_of_programmes(plan, cast):
    few = _reimport_queries(plan, _doc(plan.edition))
    for n in range(8):
        make_programme(plan.edition, f"LIV-{n:02d}", dimension="LIV", lead_opd=cast.opd_a)
    doc = _doc(plan.edition)
    _reimport_queries(plan, copy.deepcopy(doc))  # the first import after the additions settles the rows
    assert _reimport_queries(plan, doc) == few
