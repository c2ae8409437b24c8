"""Guard: every form of every page survives bad input (issue 11).

Each POST form the demo roles can see is sent back with its own hidden fields and every text-like
field set to one bad value at a time: empty, negative, a huge number, very long text, reversed
dates, a NUL character, mojibake. Whatever the answer, it is never a server error and never shows
a database constraint or a Python exception; a re-rendered form (200, 400, 409, 422) keeps what the user typed.
Each submission runs in a transaction that is rolled back, so one form's success cannot change
what the next form sees. All failures are collected and reported together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import escape

from tests.guards.machinery import (
    SKIPPED_NAMES,
    TEXT_KINDS,
    Control,
    Form,
    Page,
    Site,
    _local,
    exceptions_caught,
    quiet_requests,
    read_page,
    resolve_path,
)

BAD_VALUES: list[tuple[str, str]] = [
    ("empty", ""),
    ("negative", "-1"),
    ("huge number", "99999999999999999999999"),
    ("10 000 characters", "x" * 10_000),
    ("NUL character", "nul\x00here"),
    ("mojibake", "Ã©Ã¨ï¿½"),
]
LATE, EARLY = "2030-01-01", "2000-01-01"
# Words that only a leaking database error or exception would put on a page (English and Django's
# Indonesian: "Batasan “…” dilanggar" is Django's translated "Constraint “…” is violated").
LEAKS = [
    "IntegrityError",
    "DataError",
    "OperationalError",
    "ProgrammingError",
    "ValueError",
    "TypeError",
    "KeyError",
    "Traceback",
    "violates",
    "constraint failed",
    "is violated",
    "dilanggar",
    "Constraint “",
    "Batasan “",
    "NOT NULL",
    "null value in column",
    "duplicate key",
    "out of range",
]
# The project answers a re-rendered form with 200, or 400/422 when the input was refused, 409 on an
# edit conflict: each of these must show the user's input again.
REDISPLAY_STATUSES = {200, 400, 409, 422}
OK_STATUSES = REDISPLAY_STATUSES | {302, 303, 403, 404}


def constraint_names() -> list[str]:
    """The name of every CheckConstraint/UniqueConstraint of the project's models."""
    names: set[str] = set()
    for model in apps.get_models():
        if model.__module__.startswith("kotacerdas."):
            names.update(c.name for c in model._meta.constraints if c.name)
    return sorted(names)


@dataclass
class Submission:
    label: str
    data: dict[str, Any]
    expected: dict[str, str]  # field name → the value that must come back on a re-rendered form


def _base_data(controls: list[Control]) -> dict[str, Any]:
    """What a browser sends untouched: hidden fields, checked boxes, selected options, one button."""
    data: dict[str, list[str]] = {}
    button_done = False
    for control in controls:
        if control.kind in {"checkbox", "radio"}:
            if control.checked:
                data.setdefault(control.name, []).append(control.value)
        elif control.kind == "select":
            chosen = control.selected or ([] if control.multiple else control.options[:1])
            data.setdefault(control.name, []).extend(chosen)
        elif control.kind in {"submit", "image"}:
            if not button_done:
                data.setdefault(control.name, []).append(control.value)
                button_done = True
        elif control.kind in {"button", "reset", "file"}:
            continue
        else:
            data.setdefault(control.name, []).append(control.value)
    return dict(data)


def _text_controls(form: Form) -> list[Control]:
    return [c for c in form.controls if c.name and not c.disabled and c.kind in TEXT_KINDS]


def _files(form: Form) -> list[Control]:
    return [c for c in form.controls if c.name and not c.disabled and c.kind == "file"]


def submissions(form: Form) -> list[Submission]:
    controls = [c for c in form.controls if c.name and not c.disabled]
    texts, files = _text_controls(form), _files(form)
    base = _base_data(controls)
    result = []
    for label, value in BAD_VALUES:
        data = dict(base)
        for control in texts:
            data[control.name] = value
        for control in files:
            if value:  # an empty submission sends no file; the others a garbage one
                data[control.name] = SimpleUploadedFile("garbage.xlsx", b"\x00garbage" + value.encode()[:64])
        result.append(Submission(label, data, {c.name: value for c in texts if c.kind != "password"}))
    dates = [c for c in texts if c.kind == "date"]
    if len(dates) >= 2:
        data = dict(base)
        data[dates[0].name] = LATE
        for control in dates[1:]:
            data[control.name] = EARLY
        expected = {dates[0].name: LATE} | {c.name: EARLY for c in dates[1:]}
        result.append(Submission("reversed dates", data, expected))
    return result


def _kept(html: str, value: str) -> bool:
    if not value:
        return True
    candidates = {escape(value), escape(value.replace("\x00", "")), escape(value).replace("&#x27;", "&#39;")}
    return any(c in html for c in candidates)


@dataclass
class Target:
    page: Page
    form: Form
    action: str
    action_name: str


def _shape(name: str, kwargs: dict[str, Any]) -> str:
    """A field name without the object it is about: "GOV-1-note" on .../GOV-1/usulan/ is "{element}-note"."""
    for key, value in kwargs.items():
        if isinstance(value, str) and value:
            name = name.replace(value, f"{{{key}}}")
    return re.sub(r"\d+", "#", name)


def targets(site: Site) -> list[Target]:
    """One of each form: the same action with the same fields is tested once, by the first role."""
    chosen: dict[tuple[str, tuple[str, ...]], Target] = {}
    for page in site.pages:
        if page.status != 200:
            continue
        for form in page.reader.forms:
            if form.method != "post":
                continue
            action = _local(form.action or page.url, page.url)
            resolved = resolve_path(action.split("?")[0]) if action else None
            if action is None or resolved is None or resolved[0] in SKIPPED_NAMES:
                continue
            if not _text_controls(form) and not _files(form):
                continue  # a bare button (delete, publish, start): nothing to type into
            fields = tuple(sorted({_shape(c.name, resolved[1]) for c in _text_controls(form) + _files(form)}))
            chosen.setdefault((resolved[0], fields), Target(page, form, action, resolved[0]))
    return list(chosen.values())


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} chars)"


def check_target(site: Site, target: Target, leaks: list[str]) -> list[str]:
    client = site.clients[target.page.role]
    baseline = target.page.html
    failures = []
    where = f"{target.page.role} on {target.page.url} → POST {target.action} ({target.action_name})"
    for submission in submissions(target.form):
        with exceptions_caught() as caught, transaction.atomic():
            response = client.post(target.action, submission.data)
            transaction.set_rollback(True)
        body = response.content.decode(errors="replace")
        status = response.status_code
        problems = []
        if status not in OK_STATUSES:
            problems.append(f"status {status}" + (f" ({'; '.join(caught)})" if caught else ""))
        found = [leak for leak in leaks if leak in body and leak not in baseline]
        if found:
            problems.append(f"shows {', '.join(found)}")
        if status in REDISPLAY_STATUSES:
            lost = [name for name, value in submission.expected.items() if not _kept(body, value)]
            if lost:
                problems.append(f"input not kept in {', '.join(sorted(lost))}")
        if problems:
            failures.append(f"{where} with {submission.label}: {'; '.join(problems)}")
    return failures


def test_every_form_survives_bad_input_without_errors_and_keeps_the_input(demo_site: Site):
    leaks = LEAKS + constraint_names()
    failures: list[str] = []
    checked = targets(demo_site)
    assert len(checked) > 30, "the walk found too few forms: is the demo loaded?"
    with quiet_requests():
        for target in checked:
            failures += check_target(demo_site, target, leaks)
    failures += [f"GET failed: {error}" for error in demo_site.errors]
    assert not failures, f"{len(failures)} bad-input failures in {len(checked)} forms:\n" + "\n".join(failures)


def test_each_submission_sets_every_typed_field_and_keeps_the_rest():
    html = """<form method="post" enctype="multipart/form-data">
      <input type="hidden" name="version" value="3"><input name="title" value="Judul">
      <input type="date" name="starts_on" value="2024-01-01"><input type="date" name="ends_on">
      <select name="source"><option value="apbd">APBD</option><option value="dak" selected>DAK</option></select>
      <input type="checkbox" name="final" checked><input type="file" name="scan">
      <textarea name="note">lama</textarea><button type="submit" name="go" value="1">Simpan</button></form>"""
    (form,) = read_page(html).forms
    made = {s.label: s for s in submissions(form)}
    assert list(made) == [label for label, _ in BAD_VALUES] + ["reversed dates"]
    long = made["10 000 characters"]
    assert {k: long.data[k] for k in ("version", "source", "final", "go")} == {
        "version": ["3"],
        "source": ["dak"],
        "final": ["on"],
        "go": ["1"],
    }
    assert long.expected == dict.fromkeys(("title", "starts_on", "ends_on", "note"), "x" * 10_000)
    assert long.data["scan"].name == "garbage.xlsx" and "scan" not in made["empty"].data
    assert made["reversed dates"].data["starts_on"] == LATE and made["reversed dates"].data["ends_on"] == EARLY
    assert made["reversed dates"].data["title"] == ["Judul"]
    assert _kept('<input value="a &lt;b&gt;">', "a <b>") and not _kept("<p>a</p>", "a <b>")
