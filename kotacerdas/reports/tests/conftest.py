"""Document fixtures on top of the shared cast and the plan fixture: a small edition of region A
with rich text (including unsafe markup), a governance body, and a second programme."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kotacerdas.plans import services as plan_services
from kotacerdas.plans.models import Section
from kotacerdas.plans.tests.conftest import Plan, plan  # noqa: F401  (the fixture, re-used)


@pytest.fixture
def book(plan: Plan, cast: Any) -> Plan:  # noqa: F811
    """The plan fixture with chapter text (one with a script), SWOT and a decree."""
    Section.objects.filter(edition=plan.edition, key="b2-vision").update(
        body='<p>Teks <strong>visi</strong> daerah.</p><script>alert("x")</script><p onclick="evil()">Aman</p>'
    )
    plan_services.save_content(actor=None, edition=plan.edition, kind="swot", data={"kind": "S", "text": "SDM muda"})
    cast.body_a.decree_number = "SK Wali Kota 100/2023"
    cast.body_a.save()
    return plan


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)  # noqa: S607
    return " ".join(done.stdout.decode("utf-8").split())


def has(tool: str) -> bool:
    return shutil.which(tool) is not None
