"""Guard: no edit skips its lock (issue 12, section 5).

Every POST form of the demo site that carries the version (or, in the template editor, the
revision) of the row it edits or removes is sent back as a browser would send it, but without
that hidden field, with a value that is not a number, and with another version (a stale form).
Each time the answer must be the conflict message (409 on a form page, or the message on the
page a button returns to; a stale form whose own input is refused first may say that instead)
and nothing may change: no audit entry is written, as every service
audits its writes. A new edit page whose form carries a version is covered here without being
listed anywhere. Forms for a new row carry an empty version (nothing to compare yet): left out.

Removals are edits too: every Remove button posts the version of the row it removes, and is
sent here both as the first POST (which asks) and as the confirming one (``confirmed=yes``).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import translation
from django.utils.html import escape

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.confirm import YES
from kotacerdas.lib.forms import missing_version_message
from tests.guards.machinery import (
    SKIPPED_NAMES,
    Site,
    _local,
    exceptions_caught,
    quiet_requests,
    resolve_path,
)
from tests.guards.test_forms_survive_bad_input import _base_data

LOCK_FIELDS = ("version", "revision")
# A removal's URL name says so (every one of them ends its path in ``hapus/``, "remove").
REMOVAL = re.compile(r"(remove|delete|revoke)")
# Removals the demo shows somewhere: the walk must reach them, so the guard cannot pass empty.
DEMO_REMOVALS = {
    "accounts:revoke",
    "quickwins:exclusion_delete",
    "regions:population_delete",
}


def conflict_texts() -> set[str]:
    """The first sentence of the conflict and of the missing-version message, in both languages."""
    texts = set()
    for language in ("en", "id"):
        with translation.override(language):
            texts |= {str(EditConflict()).split(".")[0], missing_version_message().split(",")[0]}
    return {escape(text) for text in texts} | texts


def versioned_forms(site: Site) -> list[tuple[str, str, str, dict[str, list[str]], str]]:
    """(role, page, action, the data a browser sends, lock field) of each versioned POST form, once per action."""
    found: dict[str, tuple[str, str, str, dict[str, list[str]], str]] = {}
    for page in site.pages:
        if page.status != 200:
            continue
        for form in page.reader.forms:
            values = {c.name: c.value for c in form.controls}
            lock = next((name for name in LOCK_FIELDS if name in values), None)
            if form.method != "post" or lock is None or not values[lock]:
                continue  # no version, or an empty one: a form that makes a new row
            action = _local(form.action or page.url, page.url)
            resolved = resolve_path(action.split("?")[0]) if action else None
            if action is None or resolved is None or resolved[0] in SKIPPED_NAMES:
                continue
            found.setdefault(action, (page.role, page.url, action, _base_data(form.controls), lock))
    return list(found.values())


def is_removal(action: str) -> bool:
    resolved = resolve_path(action.split("?")[0])
    return resolved is not None and bool(REMOVAL.search(resolved[0].rsplit(":", 1)[-1]))


def removal_forms(site: Site) -> dict[str, list[str]]:
    """URL name of each removal POST form on the demo site → where it is shown without a version."""
    found: dict[str, list[str]] = {}
    for page in site.pages:
        if page.status != 200:
            continue
        for form in page.reader.forms:
            action = _local(form.action or page.url, page.url)
            resolved = resolve_path(action.split("?")[0]) if action else None
            if form.method != "post" or resolved is None or not REMOVAL.search(resolved[0].rsplit(":", 1)[-1]):
                continue
            values = {c.name: c.value for c in form.controls}
            unlocked = [] if any(values.get(name) for name in LOCK_FIELDS) else [f"{page.role} on {page.url}"]
            found.setdefault(resolved[0], []).extend(unlocked)
    return found


def test_every_remove_button_posts_the_version_of_its_row(demo_site: Site):
    found = removal_forms(demo_site)
    assert set(found) >= DEMO_REMOVALS, f"the walk did not reach {sorted(DEMO_REMOVALS - set(found))}"
    unlocked = [f"{name}: {where}" for name, places in sorted(found.items()) for where in places]
    assert not unlocked, f"{len(unlocked)} Remove buttons post no version:\n" + "\n".join(unlocked)


def test_every_versioned_form_posted_without_its_version_changes_nothing(demo_site: Site):
    forms = versioned_forms(demo_site)
    assert len(forms) > 20, "the walk found too few versioned forms: is the demo loaded?"
    texts = conflict_texts()
    failures: list[str] = []
    with quiet_requests():
        for role, page, action, data, lock in forms:
            seen = int(data[lock][0])
            other = str(seen + 1 if seen <= 1 else seen - 1)  # a version someone else's save left behind
            variants: list[tuple[str, str | None, dict[str, str]]] = [
                ("without", None, {}),
                ("with a non-number", "x", {}),
                ("with a stale", other, {}),
            ]
            if is_removal(action):  # the confirming POST too, not only the one that asks
                variants += [(f"confirmed {label}", value, YES) for label, value, _none in variants]
            for label, value, confirmed in variants:
                sent = {k: v for k, v in data.items() if k != lock} | ({lock: value} if value is not None else {})
                sent |= confirmed
                audit_before = AuditEntry.objects.count()
                with exceptions_caught() as caught, transaction.atomic():
                    response = demo_site.clients[role].post(action, sent, follow=True)
                    written = AuditEntry.objects.count() - audit_before
                    transaction.set_rollback(True)
                body = response.content.decode(errors="replace")
                where = f"{role} on {page} → POST {action} {label} its {lock}"
                if response.status_code >= 500 or caught:
                    failures.append(f"{where}: status {response.status_code} {'; '.join(caught)}")
                elif written:
                    failures.append(f"{where}: saved anyway ({written} audit entries)")
                elif label.endswith("with a stale") and response.status_code in {200, 400}:
                    continue  # refused for another reason first (the page's own input is incomplete): nothing saved
                elif not any(text in body for text in texts):
                    failures.append(f"{where}: status {response.status_code} without the conflict message")
    assert not failures, f"{len(failures)} of {len(forms)} versioned forms skip their lock:\n" + "\n".join(failures)
