"""The Indonesian catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "kotacerdas" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msgid|msgstr(?:\[\d\])?|msgctxt)?\s*"(.*)"$', line).group(1) for line in lines)  # type: ignore[union-attr]


def parse_po(path: Path) -> list[dict[str, object]]:
    """Entries as dicts: msgid, msgstr (list), fuzzy, context. Small reader, enough for a check."""
    entries: list[dict[str, object]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, list[str]] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) ", line)
            if match:
                key = match.group(1)
                fields[key] = [line]
            elif key:
                fields[key].append(line)
        entries.append(
            {
                "msgid": _unquote(fields["msgid"]),
                "context": _unquote(fields["msgctxt"]) if "msgctxt" in fields else None,
                "plural": "msgid_plural" in fields,
                "msgstr": [_unquote(v) for k, v in fields.items() if k.startswith("msgstr")],
                "fuzzy": fuzzy,
            }
        )
    return [e for e in entries if e["msgid"]]  # drop the header


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO)
    assert len(entries) > 200
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]  # type: ignore[union-attr]
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_source_catalogue():
    with translation.override("id"):
        for entry in parse_po(PO):
            if entry["plural"] or entry["context"] or "%" in str(entry["msgid"]):
                continue
            assert translation.gettext(str(entry["msgid"])) == entry["msgstr"][0], entry["msgid"]  # type: ignore[index]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (installed by .ci/run)")
def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT / "kotacerdas", source / "kotacerdas", ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (tmp_path / "locale").mkdir()
    (tmp_path / "i18n_check_settings.py").write_text(
        f"from kotacerdas.test_settings import *\nLOCALE_PATHS = [{str(tmp_path / 'locale')!r}]\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "i18n_check_settings"}
    environment["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-location"],
        cwd=source / "kotacerdas",
        env=environment,
        check=True,
        capture_output=True,
    )
    fresh = {(e["context"], e["msgid"]) for e in parse_po(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po")}
    committed = {(e["context"], e["msgid"]) for e in parse_po(PO)}
    missing = sorted(str(m) for _c, m in fresh - committed)
    assert missing == [], "run `make messages` and translate the new strings"
