"""A restore writes a member only inside the upload storage, whatever name an archive carries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.backup import MEDIA, BackupError, safe_member_name

ROOT = Path("/srv/kotacerdas/media")
parts = st.sampled_from(["..", ".", "", "a", "decrees", "1", "x.pdf", "\\..", "/", "ü.pdf", "..\\x"])


@given(st.lists(parts, min_size=0, max_size=6).map("/".join), st.booleans())
def test_a_member_name_is_refused_or_stays_inside_the_storage(name: str, prefixed: bool) -> None:
    member = (MEDIA if prefixed else "") + name
    try:
        stored = safe_member_name(member)
    except BackupError:
        return
    assert prefixed
    resolved = Path(os.path.normpath(ROOT / stored))
    assert resolved.is_relative_to(ROOT) and resolved != ROOT
    assert stored == name


@pytest.mark.parametrize(
    "member",
    ["media/../etc/passwd", "media//abs", "media/", "database/x", "media/a/../../b", "media/a\\..\\b", "/media/a"],
)
def test_names_that_leave_the_storage_are_refused(member: str) -> None:
    with pytest.raises(BackupError):
        safe_member_name(member)


def test_a_stored_name_comes_back_as_it_was() -> None:
    assert safe_member_name("media/decrees/12/0f1e2d3c.pdf") == "decrees/12/0f1e2d3c.pdf"
