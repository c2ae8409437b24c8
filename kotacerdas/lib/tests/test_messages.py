"""The one message type: a code, an English msgid, values; rendered the same way everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.frameworks.problem import Problem
from kotacerdas.lib.messages import Message
from kotacerdas.plans.checks.findings import Finding, Severity
from kotacerdas.quickwins.engine.messages import Message as EngineMessage
from kotacerdas.quickwins.engine.messages import Money, Renderer

CATALOGUE = {
    "Dimension %(code)s has no elements.": "Dimensi %(code)s tidak memiliki elemen.",
    "Over %(amount)s by %(share)s%%.": "Melebihi %(amount)s sebesar %(share)s%%.",
}


def test_it_translates_the_template_first_and_fills_in_the_values_after():
    message = Message("empty_dimension", "Dimension %(code)s has no elements.", {"code": "ECO"})
    assert str(message) == "Dimension ECO has no elements."
    assert message.render(CATALOGUE.__getitem__) == "Dimensi ECO tidak memiliki elemen."
    assert message.as_dict() == {
        "code": "empty_dimension",
        "template": "Dimension %(code)s has no elements.",
        "params": {"code": "ECO"},
    }


def test_every_style_of_the_pure_modules_is_the_one_type_and_renders_alike():
    problem = Problem("empty_dimension", "Dimension %(code)s has no elements.", {"code": "ECO"})
    engine = EngineMessage("Dimension %(code)s has no elements.", {"code": "ECO"}, "empty_dimension")
    assert isinstance(problem, Message) and isinstance(engine, Message)
    assert (engine.code, engine.template, dict(engine.params)) == (problem.code, problem.template, {"code": "ECO"})
    finding = Finding("PC002", Severity.ERROR, "Dimension %(code)s has no elements.", {"code": "ECO"}, dimension="ECO")
    assert isinstance(finding.as_message, Message) and finding.as_message.code == "PC002"
    for rendered in (problem.render(CATALOGUE.__getitem__), engine.render(CATALOGUE.__getitem__)):
        assert rendered == "Dimensi ECO tidak memiliki elemen."
    assert finding.render(CATALOGUE.__getitem__) == "Dimensi ECO tidak memiliki elemen."


def test_a_finding_keeps_its_fields_and_its_json():
    finding = Finding("PC002", Severity.ERROR, "Dimension %(code)s has no elements.", {"code": "ECO"}, dimension="ECO")
    assert finding.as_dict() == {
        "rule": "PC002",
        "severity": "error",
        "message": "Dimension ECO has no elements.",
        "path": "$",
        "programme": None,
        "dimension": "ECO",
        "subject": "ECO",  # what a waiver of it names (docs/plan-checks.md)
    }
    assert finding.message == "Dimension %(code)s has no elements." and finding.params == {"code": "ECO"}


def test_the_engine_formats_money_and_nested_messages_through_its_renderer():
    inner = EngineMessage("the cap of %(amount)s", {"amount": Money(1_500_000)})
    outer = EngineMessage("Over %(amount)s by %(share)s%%.", {"amount": inner, "share": 2.5})
    indonesian = Renderer(
        translate=lambda t: CATALOGUE.get(t, t), money=lambda a: f"Rp {a:,}".replace(",", "."), number=lambda n: "2,5"
    )
    assert outer.render(indonesian) == "Melebihi the cap of Rp 1.500.000 sebesar 2,5%."
    assert str(outer) == "Over the cap of Rp 1,500,000 by 2.50%."


@given(st.text(alphabet=st.characters(blacklist_characters="%"), max_size=40), st.text(max_size=40))
def test_values_are_filled_in_verbatim_and_never_read_as_templates(prefix, value):
    message = Message("x", prefix + "%(value)s", {"value": value})
    assert message.render() == prefix + value
    assert message.render(format=lambda v: f"<{v}>") == f"{prefix}<{value}>"


def test_the_message_module_does_not_import_django():
    tree = ast.parse((Path(__file__).resolve().parents[1] / "messages.py").read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("django")]


def test_a_template_checks_problem_is_a_message_shown_in_the_readers_language(monkeypatch):
    from django.utils import translation

    from kotacerdas.assessments.definition import TemplateSpec, check

    spec = TemplateSpec("maturity", "m", 1, "M", "tax", 1, thresholds=[20, 40])
    problems = check(spec, lambda code, version: {}, lambda code, version: 5, "maturity.toml")
    found = {p.field: p for p in problems}
    message = found["thresholds"].message
    assert isinstance(message, Message) and message.template == "give %(count)s thresholds, one for each level above 1"
    assert dict(message.params) == {"count": 4}
    catalogue = {message.template: "berikan %(count)s ambang, satu untuk setiap tingkat di atas 1"}
    monkeypatch.setattr(translation, "gettext", lambda text: catalogue.get(text, text))
    assert found["thresholds"].text == "berikan 4 ambang, satu untuk setiap tingkat di atas 1"
    assert (
        str(found["thresholds"]) == "maturity.toml: thresholds: berikan 4 ambang, satu untuk setiap tingkat di atas 1"
    )


def test_the_plan_file_checker_reports_messages_with_their_path():
    from kotacerdas.plans.interchange.validate import validate

    schema = {
        "type": "object",
        "required": ["year"],
        "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "integer", "minimum": 1}},
        "additionalProperties": False,
    }
    found = validate({"kind": "c", "n": 0, "extra": 1}, schema)
    assert [(path, m.code) for path, m in found] == [
        ("$.year", "required"),
        ("$.kind", "enum"),
        ("$.n", "minimum"),
        ("$.extra", "unknown"),
    ]
    assert [str(m) for _path, m in found] == [
        "is required",
        "'c' is not one of a, b",
        "0 is below the minimum 1",
        "is not a known field",
    ]
    catalogue = {"is required": "wajib diisi"}
    assert found[0][1].render(lambda t: catalogue.get(t, t)) == "wajib diisi"


def test_an_answer_outside_the_scale_is_a_message_not_english_text():
    from kotacerdas.assessments import scoring

    problem = scoring.check_answer("number", {"min": 0, "max": 100}, 5, 101, "")
    assert isinstance(problem, Message) and problem.code == "max" and dict(problem.params) == {"high": 100}
    assert str(problem) == "number must be at most 100"
    catalogue = {"number must be at most %(high)s": "angka harus paling banyak %(high)s"}
    assert problem.render(lambda t: catalogue.get(t, t)) == "angka harus paling banyak 100"
