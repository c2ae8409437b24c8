"""Bounded framework files (issue 14 §1): any TOML file is refused by name, never a crash or a hang.

``kotacerdas frameworks load`` reads every ``*.toml`` of a directory through
:func:`kotacerdas.frameworks.loader.load_all`; values are held to the limits of their columns and
deeply nested, non-finite or malformed files end in a FrameworkFileError naming the file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.frameworks.loader import DATA_DIR, FrameworkFileError, load_all
from kotacerdas.frameworks.models import Framework
from tests.support.fuzz import FUZZ, deep_toml, hostile_values

pytestmark = pytest.mark.django_db

SHIPPED = (DATA_DIR / "size-rkci.v1.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _english(english):
    """The new sentences are asserted in English until the catalogue is merged."""


def load(directory: Path, text: str | bytes) -> str:
    path = directory / "kerangka.v1.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    with pytest.raises(FrameworkFileError) as error:
        load_all(directory)
    assert not Framework.objects.exists()
    return str(error.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace('title = "', 'title = "' + "x" * 300, 1), "title: The text has"),
        (lambda t: t.replace('title = "', 'title = "\\u0000', 1), "NUL character"),
        (lambda t: t.replace("version = 1", "version = 99999999999999", 1), "version"),
        (lambda t: t + "\nsource = inf\n", "not a finite number"),
        (lambda t: t.split("[[entries]]")[0] + "entries = 5\n", "entries is not a list of tables"),
        (lambda t: deep_toml(10_000).decode(), "more than 32 levels deep"),
    ],
)
def test_a_hostile_framework_file_is_refused_by_name(tmp_path, change, expected):
    message = load(tmp_path, change(SHIPPED))
    assert "kerangka.v1.toml" in message and expected in message, message


@FUZZ
@given(data=st.data())
def test_fuzz_hostile_framework_files_are_refused_never_crash(tmp_path_factory, data):
    directory = tmp_path_factory.mktemp("kerangka")
    lines = SHIPPED.splitlines()
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        n = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if " = " in lines[n]:
            key = lines[n].split(" = ", 1)[0]
            value = data.draw(hostile_values())
            literal = f'"{value}"' if isinstance(value, str) else str(value).lower()
            lines[n] = f"{key} = {literal}"
        else:
            lines[n] = data.draw(st.text(max_size=20))
    (directory / "kerangka.v1.toml").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    with contextlib.suppress(FrameworkFileError):
        load_all(directory)
    Framework.objects.all().delete()
