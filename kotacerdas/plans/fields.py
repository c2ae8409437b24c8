"""The fields of a programme, written down once (pure Python).

The programme form, the services, the plain-data document (serialise), the interchange file
(JSON and the XLSX "programmes" sheet), the importer and the change log between editions all
take their field lists from :data:`PROGRAMME`, so a new field is added here and nowhere is
left behind. The order is the order of the interchange document and the workbook's columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "code",
    "identity",
    "entry",
    "strategy",
    "text",
    "choice",
    "opd",
    "opds",
    "lines",
    "year",
    "programmes",
    "years",
    "order",
    "flag",
]


@dataclass(frozen=True)
class ProgrammeField:
    """One field of a programme.

    ``name`` is the key in the programme document and, for a field stored on the row, the
    model attribute; ``column`` is what ``QuerySet.values`` reads for the document (a code or
    abbreviation through a foreign key), None for many-to-many and derived lists.
    """

    name: str
    kind: Kind
    column: str | None
    in_form: bool = True
    # False for what the plan does not decide: a programme's status comes from monitoring (the
    # latest accepted update, ``monitoring.services.accept_update``), or from an imported record.
    planned: bool = True

    @property
    def on_row(self) -> bool:
        """Stored on the ``Programme`` row itself (not a many-to-many or a derived list)."""
        return self.column is not None

    @property
    def edited(self) -> bool:
        """Set by the edit services; the lineage and the sample flag are fixed when created."""
        return self.on_row and self.planned and self.kind not in ("identity", "flag")

    @property
    def compared(self) -> bool:
        """Shown in the change log between editions (identity, ordering and flags are not)."""
        return self.kind not in ("identity", "order", "flag")


PROGRAMME: tuple[ProgrammeField, ...] = (
    ProgrammeField("code", "code", "code"),
    ProgrammeField("lineage", "identity", "lineage", in_form=False),
    ProgrammeField("dimension", "entry", "dimension__code"),
    ProgrammeField("element", "entry", "element__code"),
    ProgrammeField("strategy", "strategy", "strategy__code"),
    ProgrammeField("name", "text", "name"),
    ProgrammeField("description", "text", "description"),
    ProgrammeField("problem", "text", "problem"),
    ProgrammeField("innovation_kind", "choice", "innovation_kind"),
    ProgrammeField("lead_opd", "opd", "lead_opd__abbreviation"),
    ProgrammeField("supporting_opds", "opds", None),
    ProgrammeField("partners", "lines", "partners"),
    ProgrammeField("horizon", "choice", "horizon"),
    ProgrammeField("start_year", "year", "start_year"),
    ProgrammeField("end_year", "year", "end_year"),
    ProgrammeField("status", "choice", "status", in_form=False, planned=False),
    ProgrammeField("rpjmd_programme", "text", "rpjmd_programme"),
    ProgrammeField("renstra_ref", "text", "renstra_ref"),
    ProgrammeField("permendagri_code", "text", "permendagri_code"),
    ProgrammeField("spbe_indicator", "text", "spbe_indicator"),
    ProgrammeField("dependencies", "programmes", None),
    # Chosen in the form by its own checkbox field (years of the plan period), not a model field.
    ProgrammeField("quick_win_years", "years", None, in_form=False),
    ProgrammeField("order", "order", "order", in_form=False),
    ProgrammeField("is_sample", "flag", "is_sample", in_form=False),
    # Provenance last, so workbooks written before these columns existed still line up.
    ProgrammeField("source_document", "text", "source_document"),
    ProgrammeField("source_note", "text", "source_note"),
)

# The scalar and list fields of the document, in order (budgets, indicators and action items
# are child rows with their own fields).
DOCUMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in PROGRAMME)
# What ``QuerySet.values`` reads to build documents for many programmes at once.
COLUMNS: tuple[str, ...] = ("id", *(f.column for f in PROGRAMME if f.column is not None))
# Row fields the edit services set from the form or a command.
EDITED_FIELDS: tuple[str, ...] = tuple(f.name for f in PROGRAMME if f.edited)
# Row fields an import writes (a re-import may also turn a programme into sample data or back).
IMPORTED_FIELDS: tuple[str, ...] = tuple(f.name for f in PROGRAMME if f.on_row and f.kind != "identity")
# Free text, taken as it is by the importer ("" when absent).
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in PROGRAMME if f.kind == "text")
# Stored codes with a display label.
CHOICE_FIELDS: tuple[str, ...] = tuple(f.name for f in PROGRAMME if f.kind == "choice")
# Left out of the change log between editions.
UNCOMPARED_FIELDS: frozenset[str] = frozenset(f.name for f in PROGRAMME if not f.compared)
# The programme form asks for the name right after the code; the rest in document order.
FORM_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    *(f.name for f in PROGRAMME if f.in_form and f.name not in ("code", "name")),
)
