"""``kotacerdas quickwins export REGION YEAR``: the round page's solve, reproduced from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.quickwins import services
from kotacerdas.quickwins.tests.builders import make_round

pytestmark = pytest.mark.django_db


def test_the_exported_round_gives_the_same_selection_as_the_solve_in_the_browser(cast, tmp_path):
    selection_round = make_round(cast.region_a, per_dimension=2)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    for fmt in ("json", "xlsx"):
        path = tmp_path / f"round.{fmt}"
        call_command("quickwins", "export", "13.72", "2024", "--format", fmt, "--output", str(path), stderr=StringIO())
        out = StringIO()
        call_command("quickwins", "select", str(path), "--json", stdout=out)
        result = json.loads(out.getvalue())
        assert result["status"] == "optimal"
        assert sorted(result["selection"]) == sorted(solve.chosen_codes), fmt


def test_export_names_the_region_or_year_that_does_not_exist(cast, tmp_path):
    make_round(cast.region_a, per_dimension=1)
    with pytest.raises(CommandError, match="REGION"):
        call_command("quickwins", "export", "99.99", "2024", "--output", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="YEAR"):
        call_command("quickwins", "export", "13.72", "2031", "--output", str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()
