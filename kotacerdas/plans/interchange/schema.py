"""The versioned schema of the interchange document (JSON Schema, draft 2020-12).

Plain data, no Django: the CLI prints it (``kotacerdas plan schema``) and the importer checks
documents against the same definitions. Bump ``FORMAT_VERSION`` on any incompatible change.
"""

from __future__ import annotations

from typing import Any

FORMAT = "kotacerdas.masterplan-edition"
FORMAT_VERSION = 1

_str = {"type": "string"}
_opt_str = {"type": ["string", "null"]}
_year = {"type": "integer", "minimum": 2000, "maximum": 2100}
_opt_year = {"type": ["integer", "null"], "minimum": 2000, "maximum": 2100}
_number = {"type": ["string", "number"], "format": "decimal", "description": "decimal; strings keep exact digits"}
_opt_number = {"type": ["string", "number", "null"], "format": "decimal"}
_row_id = {
    "type": ["integer", "null"],
    "minimum": 1,
    "description": "id of the row in KotaCerdas; a re-import edits that row in place, none adds a row",
}


# Satu Data metadata keys an indicator carried in files of one release (2026-12): accepted so
# those files still import, ignored with a warning (FORMAT.md, "Satu Data metadata").
LEGACY_INDICATOR_KEYS = ("definition", "method", "frequency", "data_source")
_legacy = {"type": ["string", "null"], "description": "ignored: Satu Data metadata is kept in monitoring"}


def _obj(props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


PROGRAMME = _obj(
    {
        "code": _str,
        "lineage": {"type": "string", "description": "UUID shared by the copies of one programme across editions"},
        "dimension": _str,
        "element": _opt_str,
        "strategy": _opt_str,
        "name": _str,
        "description": _str,
        "problem": _str,
        "innovation_kind": {"enum": ["ict", "non_ict", "policy"]},
        "lead_opd": _opt_str,
        "supporting_opds": {"type": "array", "items": _str},
        "partners": {"type": "array", "items": _str},
        "horizon": {"enum": ["short", "medium", "long", None], "description": "null: not stated in the plan"},
        "start_year": _opt_year,
        "end_year": _opt_year,
        "status": {
            "enum": [
                "planned",
                "not_started",
                "on_track",
                "at_risk",
                "off_track",
                "achieved",
                "not_achieved",
                "cancelled",
            ]
        },
        "rpjmd_programme": _str,
        "renstra_ref": _str,
        "permendagri_code": _str,
        "spbe_indicator": _str,
        "dependencies": {"type": "array", "items": _str, "description": "codes of programmes of the same edition"},
        "quick_win_years": {"type": "array", "items": _year},
        "budgets": {
            "type": "array",
            "items": _obj(
                {
                    "id": _row_id,
                    "year": _opt_year,
                    "source": {"enum": ["apbd", "apbn", "dak", "csr", "kpbu", None]},
                    "amount": {"type": "integer", "minimum": 0, "description": "whole rupiah"},
                    "note": _str,
                    "sub_activity_code": {
                        "type": "string",
                        "description": "SIPD sub kegiatan code (Permendagri 90), e.g. 2.16.03.2.02.0001; optional",
                    },
                },
                ["amount"],
            ),
        },
        "indicators": {
            "type": "array",
            "items": _obj(
                {
                    "id": _row_id,
                    "lineage": {
                        "type": "string",
                        "description": "UUID shared by the copies of one indicator across editions",
                    },
                    "name": _str,
                    "kind": {"enum": ["output", "outcome"]},
                    "unit": _str,
                    "direction": {"enum": ["higher", "lower", "range"]},
                    "baseline": _opt_number,
                    "baseline_year": _opt_year,
                    "data_producer": _opt_str,
                    # Written by KotaCerdas 2026-12 only; read and ignored (with a warning): the
                    # Satu Data metadata is kept in monitoring, on the indicator's metadata page.
                    **dict.fromkeys(LEGACY_INDICATOR_KEYS, _legacy),
                    "targets": {
                        "type": "array",
                        "items": _obj({"year": _opt_year, "value": _number, "upper": _opt_number}, ["value"]),
                    },
                },
                ["name", "unit", "direction"],
            ),
        },
        "action_items": {
            "type": "array",
            "items": _obj(
                {
                    "id": _row_id,
                    "activity": _str,
                    "starts_on": {"type": "string", "format": "date"},
                    "ends_on": {"type": "string", "format": "date"},
                    "person_in_charge": _str,
                    "opd": _opt_str,
                    "output": _str,
                },
                ["activity", "starts_on", "ends_on"],
            ),
        },
        "order": {"type": "integer", "minimum": 0},
        "is_sample": {"type": "boolean"},
        "source_document": {"type": "string", "description": "provenance: document and page, or URL"},
        "source_note": _str,
    },
    ["code", "dimension", "name"],
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"https://kotacerdas.example/schema/{FORMAT}/v{FORMAT_VERSION}.json",
    "title": "KotaCerdas master plan edition",
    "description": "One edition of a region's smart city master plan (Buku 1 and Buku 2).",
    **_obj(
        {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "region": _obj({"code": _str, "name": _str, "kind": _str}, ["code"]),
            "edition": _obj(
                {
                    "year": _year,
                    "title": _str,
                    "start_year": _year,
                    "end_year": _year,
                    "status": _str,
                    "previous_year": _opt_year,
                    "vision": _str,
                    "vision_keywords": {"type": "array", "items": _str},
                    "rpjmd_period": _str,
                    "quick_win_limit": {"type": "integer", "minimum": 1},
                    "rpjmd_min_share": {"type": "integer", "minimum": 0, "maximum": 100},
                    "adoption": {"type": ["object", "null"]},
                },
                ["year", "title", "start_year", "end_year"],
            ),
            "taxonomy": _obj(
                {
                    "code": _str,
                    "version": {"type": "integer"},
                    "dimensions": {
                        "type": "array",
                        "items": _obj(
                            {
                                "code": _str,
                                "name": _str,
                                "elements": {"type": "array", "items": _obj({"code": _str, "name": _str}, ["code"])},
                            },
                            ["code"],
                        ),
                    },
                },
                [],  # no code: the region's default taxonomy (a plan written before taxonomies had codes)
            ),
            "opds": {
                "type": "array",
                "items": _obj(
                    {
                        "abbreviation": _str,
                        "name": _str,
                        "kind": _opt_str,
                        "valid_from": _opt_str,
                        "valid_to": _opt_str,
                    },
                    ["abbreviation"],
                ),
            },
            "sections": {
                "type": "array",
                "items": _obj(
                    {"key": _str, "book": {"enum": [1, 2]}, "title": _str, "body": _str, "review_state": _str}, ["key"]
                ),
            },
            "swot": {
                "type": "array",
                "items": _obj(
                    {"component": _opt_str, "kind": {"enum": ["S", "W", "O", "T"]}, "text": _str}, ["kind", "text"]
                ),
            },
            "missions": {
                "type": "array",
                "items": _obj({"number": {"type": "integer"}, "text": _str, "rpjmd_mission": _str}, ["number", "text"]),
            },
            "goals": {
                "type": "array",
                "items": _obj({"code": _str, "mission": {"type": ["integer", "null"]}, "text": _str}, ["code", "text"]),
            },
            "strategies": {
                "type": "array",
                "items": _obj(
                    {"code": _str, "dimension": _str, "element": _opt_str, "goal": _opt_str, "text": _str},
                    ["code", "dimension", "text"],
                ),
            },
            "waivers": {"type": "array", "items": _obj({"element": _str, "reason": _str}, ["element", "reason"])},
            "programmes": {"type": "array", "items": PROGRAMME},
            "dispositions": {
                "type": "array",
                "items": _obj(
                    {
                        "previous": {"type": ["object", "null"]},
                        "kind": {"enum": ["keep", "revise", "merge", "drop", "new"]},
                        "programme": _opt_str,
                        "merged_into": _opt_str,
                        "rationale": _str,
                        "implementation_status": _str,
                        "implementation_note": _str,
                    },
                    ["kind"],
                ),
            },
        },
        ["format", "format_version", "edition", "programmes"],
    ),
}
