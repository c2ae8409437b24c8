"""Guard: every write service asks the access layer itself (issue 12, section 1).

Decision 0002: a page, a command and the API cannot disagree because the write services take the
acting user (``actor``) and ask ``accounts/access.py`` themselves. This guard reads the source of
every ``kotacerdas/<app>/services.py`` and ``kotacerdas/<app>/services/*.py`` (and the plan
importer's entry point, which writes a whole edition): each public function that is atomic or
writes rows must take an ``actor`` parameter and call ``access.check(actor, ...)`` (or ask a
predicate of the layer with the actor and raise PermissionDenied itself). A function that cannot
(the audit recorder, the job workers) is named in :data:`ALLOWED` with the reason; a new write
service without a check fails here instead of waiting for a review to notice.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = {"kotacerdas/plans/interchange/importer.py": {"import_document"}}

# Write methods on a manager, a queryset or a row. ``update``/``set``/``add``/``remove``/``clear``
# count only on an attribute or a call (``programme.supporting_opds.set``,
# ``Model.objects.filter(...).update``), never on a plain name (a dict's or a set's).
ROW_WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
RELATION_WRITES = {"update", "set", "add", "remove", "clear"}

# Functions that write without asking, each with the reason. Keep this short: a function listed
# here is trusted to be reached only through one that asks.
ALLOWED = {
    "kotacerdas.audit.services.record": "the audit recorder itself: every service calls it after its own check",
    "kotacerdas.audit.services.record_all": "the audit recorder for a batch (an import): its caller checked each row",
    "kotacerdas.accounts.services.create_ministry_admin": "the console's bootstrap of the first ministry "
    "account (createadmin); nobody is signed in to be asked",
    "kotacerdas.plans.services.editions.carry_programme": "a copying step of start_review_edition and "
    "set_disposition, which check the actor and audit the copy",
    "kotacerdas.reports.services.run_job": "the worker runs a job that request_document checked and queued",
    "kotacerdas.quickwins.services.run_robustness": "the worker runs a robustness run that "
    "start_robustness checked and queued",
    "kotacerdas.reports.services.job_lost": "the reaper (kotacerdas/jobs) marks a job whose worker died; "
    "request_document checked it",
    "kotacerdas.quickwins.services.robustness_lost": "the reaper marks a robustness run whose worker died; "
    "start_robustness checked it",
}
MAX_ALLOWED = 8


def _is_atomic(node: ast.FunctionDef) -> bool:
    return any("atomic" in ast.unparse(d) for d in node.decorator_list)


def _writes(node: ast.FunctionDef) -> bool:
    for call in ast.walk(node):
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            continue
        name, receiver = call.func.attr, call.func.value
        if name in ROW_WRITES or (name in RELATION_WRITES and not isinstance(receiver, ast.Name)):
            return True
    return False


def _asks_with_actor(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "access"
        and bool(call.args)
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == "actor"
    )


def _checks(node: ast.FunctionDef) -> bool:
    """``access.check(actor, ...)``, or ``access.<predicate>(actor, ...)`` with a PermissionDenied raised."""
    calls = [c for c in ast.walk(node) if isinstance(c, ast.Call) and _asks_with_actor(c)]
    if any(isinstance(c.func, ast.Attribute) and c.func.attr == "check" for c in calls):
        return True
    raises = any(
        isinstance(r, ast.Raise) and r.exc is not None and "PermissionDenied" in ast.unparse(r.exc)
        for r in ast.walk(node)
    )
    return bool(calls) and raises


def unchecked_writes(source: str, module: str, only: set[str] | None = None) -> dict[str, str]:
    """The public write functions of ``source`` that do not ask the layer: qualified name → why."""
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        if only is not None and node.name not in only:
            continue
        if not (_is_atomic(node) or _writes(node)):
            continue
        params = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
        if "actor" not in params:
            found[f"{module}.{node.name}"] = "takes no actor"
        elif not _checks(node):
            found[f"{module}.{node.name}"] = "never calls access.check(actor, ...)"
    return found


def service_sources() -> list[tuple[Path, set[str] | None]]:
    files = sorted({*ROOT.glob("kotacerdas/*/services.py"), *ROOT.glob("kotacerdas/*/services/*.py")})
    return [(path, None) for path in files] + [(ROOT / path, names) for path, names in ENTRY_POINTS.items()]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_every_write_service_takes_the_actor_and_asks_the_access_layer():
    sources = service_sources()
    assert len(sources) > 15, "found too few service modules: did the walk miss the apps?"
    found: dict[str, str] = {}
    for path, only in sources:
        found |= unchecked_writes(path.read_text(encoding="utf-8"), _module(path), only)
    unexpected = {name: why for name, why in found.items() if name not in ALLOWED}
    assert not unexpected, "write services that do not ask the access layer:\n" + "\n".join(
        f"{name}: {why}" for name, why in sorted(unexpected.items())
    )
    stale = set(ALLOWED) - set(found)
    assert not stale, f"allowed without need (they ask the layer now, or are gone): {sorted(stale)}"


def test_the_allow_list_stays_short_and_says_why():
    assert len(ALLOWED) <= MAX_ALLOWED
    assert all(len(reason) > 30 for reason in ALLOWED.values())


GOOD = """
@transaction.atomic
def rename(*, actor, opd, name):
    access.check(actor, access.may_edit_agency, opd.region, opd)
    opd.name = name
    opd.save()

@transaction.atomic
def consent(*, actor, region):
    if not access.may_set_peer_sharing(actor, region):
        raise PermissionDenied
    region.save()

def label(opd):
    data = {}
    data.update(name=opd.name)
    return data
"""


@pytest.mark.parametrize(
    ("snippet", "why"),
    [
        ("@transaction.atomic\ndef rename(*, opd, name):\n    opd.name = name\n", "takes no actor"),
        (
            "@transaction.atomic\ndef rename(*, actor, opd):\n    record(actor=actor, obj=opd)\n",
            "never calls access.check(actor, ...)",
        ),
        ("def purge(*, actor, region):\n    Row.objects.filter(region=region).delete()\n", "never calls"),
        ("def link(*, actor, p, opds):\n    p.supporting_opds.set(opds)\n", "never calls"),
        (
            "@transaction.atomic\ndef rename(*, actor, opd):\n    access.check(None, access.may, opd.region)\n",
            "never calls",
        ),
        (
            "@atomic\ndef rename(*, actor, region):\n"
            "    if access.may(actor, region, Can.EDIT):\n        region.save()\n",
            "never calls",
        ),
    ],
)
def test_the_guard_finds_a_write_that_does_not_ask(snippet, why):
    found = unchecked_writes(snippet, "app.services")
    assert list(found) == [next(iter(found))] and why in next(iter(found.values()))
    assert unchecked_writes(GOOD, "app.services") == {}


def test_the_guard_reads_only_the_named_entry_points_of_other_modules():
    snippet = "@transaction.atomic\ndef helper(*, rows):\n    rows.delete()\n"
    assert unchecked_writes(snippet, "app.importer", only={"import_document"}) == {}
    assert unchecked_writes(snippet, "app.importer", only={"helper"}) == {"app.importer.helper": "takes no actor"}
