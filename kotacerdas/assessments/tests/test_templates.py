"""Templates as versioned data: the three shipped templates and the checks on a template file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kotacerdas.assessments.definition import TemplateInvalid
from kotacerdas.assessments.loader import load_templates, read_file
from kotacerdas.assessments.models import Item, Section, Template
from kotacerdas.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_three_shipped_templates_load_once_linked_to_the_frameworks(frameworks):
    result = load_templates()
    assert len(result.created) == 3
    maturity = Template.objects.get(kind="maturity")
    assert maturity.taxonomy.code == "kominfo-6" and maturity.levels.code == "rkci-maturity"
    items = Item.objects.filter(template=maturity).select_related("entry__parent", "section__entry")
    assert {i.entry.code for i in items} == {
        f"{d}-{n}" for d in ("GOV", "BRD", "ECO", "LIV", "SOC", "ENV") for n in (1, 2, 3)
    }
    assert all(len(i.rubric) == 5 for i in items)
    assert all(i.entry.parent == i.section.entry for i in items)
    readiness = Template.objects.get(kind="readiness")
    assert readiness.taxonomy.code == "readiness-5"
    assert set(Section.objects.filter(template=readiness, has_swot=True).values_list("code", flat=True)) == {
        "NAT", "STR", "INF", "SUP", "CUL",
    }  # fmt: skip
    selection = Template.objects.get(kind="selection")
    assert selection.combine == "median"
    assert set(Item.objects.filter(template=selection).values_list("answer_type", flat=True)) == {
        "choice", "number", "yesno", "level",
    }  # fmt: skip
    assert AuditEntry.objects.filter(object_type="assessments.Template").count() == 3
    assert load_templates().skipped and Template.objects.count() == 3  # idempotent


BAD = """
kind = "maturity"
code = "bad"
version = 1
title = "Bad"
taxonomy = "kominfo-6"
levels = "rkci-maturity"
thresholds = [20, 40, 60]

[[sections]]
code = "GOV"
title = "Gov"
entry = "GOV"

[[sections.items]]
code = "X1"
entry = "GOV-9"
type = "level"
text = "?"
weight = 0
rubric = ["a", "b"]

[[sections.items]]
code = "X2"
type = "colour"
text = "?"
wieght = 2
"""


def test_a_bad_template_file_is_refused_with_every_problem_named(frameworks, tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(TemplateInvalid) as refused:
        read_file(path)
    fields = {(p.where.split(" item ")[-1], p.field) for p in refused.value.problems}
    assert ("X2", "type") in fields and ("X2", "wieght") in fields
    # the parse passes for X1 alone; the framework checks find the rest
    path.write_text(BAD.split('[[sections.items]]\ncode = "X2"')[0], encoding="utf-8")
    with pytest.raises(TemplateInvalid) as refused:
        load_templates(tmp_path)
    messages = " ".join(str(p) for p in refused.value.problems)
    assert "GOV-9 is not in kominfo-6" in messages
    assert "give 4 thresholds" in messages
    assert "one line for each of the 5 levels" in messages
    assert "sum to zero" in messages
    assert not Template.objects.exists()
