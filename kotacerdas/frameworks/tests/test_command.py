"""``kotacerdas frameworks``: the verbs, their --json output, and errors that name the argument."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks import services
from kotacerdas.frameworks.models import Framework, Status

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("frameworks", *args, stdout=out)
    return out.getvalue()


def test_load_reports_what_it_created_and_then_that_everything_is_present(db):
    first = json.loads(run("load", "--json"))
    second = json.loads(run("load", "--json"))
    assert len(first["created"]) == 10 and first["skipped"] == []
    assert second["created"] == [] and sorted(second["skipped"]) == sorted(first["created"])


def test_list_and_show_print_json_for_scripts(frameworks):
    rows = json.loads(run("list", "--json"))
    assert len(rows) == 10
    rkci = next(r for r in rows if r["code"] == "ukuran-rkci")
    assert (rkci["kind"], rkci["version"], rkci["status"]) == ("size_classes", 1, "published")
    shown = json.loads(run("show", "kominfo-6", "--framework-version", "1", "--json"))
    assert shown["version"] == 1 and len(shown["entries"]) == 24
    element = next(e for e in shown["entries"] if e["code"] == "ECO-2")
    assert element["parent"] == "ECO"


def test_draft_copies_the_newest_version_and_is_audited_as_the_system(frameworks):
    payload = json.loads(run("draft", "evaluasi-tahunan", "--json"))
    assert payload["version"] == 2 and payload["status"] == "draft" and payload["source_version"] == 1
    assert payload["entries"] == 5
    draft = Framework.objects.get(code="evaluasi-tahunan", version=2)
    audit = AuditEntry.objects.get(object_type="frameworks.Framework", object_id=str(draft.pk))
    assert audit.actor is None and audit.actor_name == "system"


def test_publish_publishes_the_draft_in_text_or_json(frameworks):
    run("draft", "ukuran-rkci")
    payload = json.loads(run("publish", "ukuran-rkci", "--json"))
    assert payload["version"] == 2 and payload["status"] == "published" and payload["published_at"]
    assert Framework.objects.get(code="ukuran-rkci", version=2).status == Status.PUBLISHED
    run("draft", "ukuran-ikci-2018")
    assert run("publish", "ukuran-ikci-2018").strip() == "Published ukuran-ikci-2018 v2."
    audit = AuditEntry.objects.filter(object_type="frameworks.Framework", action="update").latest("id")
    assert audit.actor_name == "system" and audit.after["status"] == "published"


def test_publish_refuses_a_draft_with_problems_and_leaves_it_a_draft(frameworks):
    run("draft", "evaluasi-tahunan")
    draft = Framework.objects.get(code="evaluasi-tahunan", status=Status.DRAFT)
    services.update_entry(
        actor=None,
        entry=draft.entries.get(code="OUTPUT"),
        expected_version=draft.entries.get(code="OUTPUT").version,
        changes={"weight": Decimal(15)},
    )
    with pytest.raises(CommandError, match=r"^code: evaluasi-tahunan v2 cannot be published: .*95"):
        run("publish", "evaluasi-tahunan")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show",), r"^code: show needs a framework code"),
        (("draft",), r"^code: draft needs a framework code"),
        (("publish",), r"^code: publish needs a framework code"),
        (("draft", "no-such-code"), r"^code: no framework 'no-such-code'"),
        (("publish", "no-such-code"), r"^code: no framework 'no-such-code'"),
        (("publish", "kominfo-6"), r"^code: framework 'kominfo-6' has no draft to publish"),
        (("show", "kominfo-6", "--framework-version", "7"), r"^--framework-version: framework 'kominfo-6' has no"),
        (("publish", "kominfo-6", "--framework-version", "2"), r"^--framework-version: publish takes no version"),
    ],
)
def test_errors_name_the_argument_at_fault(frameworks, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_second_draft_is_refused_with_the_reason(frameworks):
    run("draft", "kominfo-6")
    with pytest.raises(CommandError, match=r"^code: "):
        run("draft", "kominfo-6")
    assert Framework.objects.filter(code="kominfo-6").count() == 2
