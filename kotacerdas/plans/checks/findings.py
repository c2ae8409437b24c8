"""What a rule says: the rule catalogue and the findings it produces (pure Python)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kotacerdas.lib.messages import Format, Message, Translate, gettext_noop

__all__ = ["RULES", "Finding", "Rule", "Severity", "gettext_noop"]


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # msgid
    explanation: str  # msgid: why the guide asks for it


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # msgid with %(name)s placeholders
    params: dict[str, Any] = field(default_factory=dict)
    path: str = "$"  # JSON path into the interchange document
    programme: str | None = None  # programme code the finding points at
    dimension: str | None = None  # dimension code
    programme_name: str | None = None  # filled in by run_checks for the pages
    # What a waiver names besides the rule when the finding is about neither one programme nor
    # one dimension (an agency, a vision keyword); see :attr:`subject`.
    about: str | None = None
    # Set when a recorded waiver silences the finding: reason, by, when (and the waiver's id).
    waiver: dict[str, Any] | None = None

    @property
    def subject(self) -> str:
        """What a waiver of this finding names with its rule: the programme, else what the
        finding is about, else the dimension; "" for a finding on the plan as a whole."""
        return self.programme or self.about or self.dimension or ""

    @property
    def location(self) -> Any:
        """Where people fix it: the page and the field labels (:mod:`.locations`)."""
        from kotacerdas.plans.checks.locations import locate

        return locate(self.path)

    @property
    def as_message(self) -> Message:
        """The finding's text as the project's message type: the rule is its code."""
        return Message(self.rule, self.message, self.params)

    def render(self, translate: Translate | None = None, format: Format | None = None) -> str:
        """In the reader's language: ``finding.render(gettext)`` on a page or in a command."""
        return self.as_message.render(translate, format)

    def text(self) -> str:
        """In English (the JSON of ``as_dict``)."""
        return self.render()

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.text(),
            "path": self.path,
            "programme": self.programme,
            "dimension": self.dimension,
            "subject": self.subject,
            **({"waiver": self.waiver} if self.waiver else {}),
        }


_ = gettext_noop

RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule(
            "PC001",
            Severity.ERROR,
            _("Every dimension has a strategy"),
            _("Buku 2 sets at least one strategy for each dimension of the taxonomy."),
        ),
        Rule(
            "PC002",
            Severity.ERROR,
            _("Every dimension has a programme"),
            _("The programme plan covers every dimension of the taxonomy."),
        ),
        Rule(
            "PC003",
            Severity.WARNING,
            _("Every element is covered or waived"),
            _("Each element has a programme or strategy, or a waiver that says why it is left out."),
        ),
        Rule(
            "PC004",
            Severity.ERROR,
            _("Known dimension and element"),
            _(
                "Dimension and element codes come from the edition's taxonomy, "
                "and the element sits under the dimension."
            ),
        ),
        Rule(
            "PC005", Severity.ERROR, _("Lead agency named"), _("Every programme has a lead agency (penanggung jawab).")
        ),
        Rule(
            "PC006",
            Severity.ERROR,
            _("Agencies exist during the programme"),
            _("The lead and supporting agencies and data producers exist in the region during the programme's years."),
        ),
        Rule(
            "PC007",
            Severity.ERROR,
            _("Years inside the plan period"),
            _("Programme years, budget years and indicator targets fall inside the plan period."),
        ),
        Rule(
            "PC008",
            Severity.WARNING,
            _("Horizon agrees with the years"),
            _("Short horizon: up to 2 years; medium: 2 to 5 years; long: 5 to 10 years."),
        ),
        Rule(
            "PC009",
            Severity.ERROR,
            _("Quick wins sit in their first year"),
            _(
                "A quick win is delivered within the budget year: "
                "it starts in the year it is chosen and ends by the next."
            ),
        ),
        Rule(
            "PC010",
            Severity.ERROR,
            _("Quick wins within the configured count"),
            _("At most the configured number of quick wins per year (usually one per dimension)."),
        ),
        Rule(
            "PC011",
            Severity.ERROR,
            _("Every programme has an indicator"),
            _("Each programme has at least one output or outcome indicator."),
        ),
        Rule(
            "PC012",
            Severity.WARNING,
            _("Indicators have a baseline and targets"),
            _("Each indicator states its baseline and yearly targets, and who produces the data (Satu Data)."),
        ),
        Rule(
            "PC013",
            Severity.ERROR,
            _("Targets move in the indicator's direction"),
            _("Targets never step the wrong way from the baseline: up when higher is better, down when lower is."),
        ),
        Rule(
            "PC014",
            Severity.ERROR,
            _("Budgets are valid"),
            _("Budget amounts are whole rupiah, not negative, from a known source, within the programme's years."),
        ),
        Rule(
            "PC015",
            Severity.ERROR,
            _("Dependencies without cycles"),
            _("Programmes cannot depend on each other in a circle."),
        ),
        Rule(
            "PC016",
            Severity.ERROR,
            _("Dependencies scheduled in order"),
            _("A programme does not start before the programmes it depends on, and depends only on known programmes."),
        ),
        Rule(
            "PC017",
            Severity.ERROR,
            _("Codes are well formed"),
            _(
                "Permendagri 90 codes look like 2.16.02, 2.16.02.2.01 or 2.16.02.2.01.0001; "
                "SPBE indicators are 1–47; programme codes are unique."
            ),
        ),
        Rule(
            "PC018",
            Severity.WARNING,
            _("Programmes linked to the RPJMD"),
            _("Enough programmes name the RPJMD programme they serve, so they can get a budget."),
        ),
        Rule(
            "PC019",
            Severity.WARNING,
            _("No near-duplicate programmes"),
            _("Two programmes with almost the same name are usually one programme written twice."),
        ),
        Rule(
            "PC020",
            Severity.WARNING,
            _("Dispositions are explained"),
            _("Every programme dropped, merged or revised in a review says why."),
        ),
        Rule(
            "PC021",
            Severity.INFO,
            _("Programme code matches its dimension"),
            _("A programme code that starts with another dimension's code is confusing in tables."),
        ),
        Rule(
            "PC022",
            Severity.ERROR,
            _("Quick wins agree with the confirmed selection"),
            _(
                "Once the forum confirms a selection round, its result decides the quick wins of the budget year: "
                "the plan marks exactly the programmes it chose."
            ),
        ),
        Rule(
            "PC023",
            Severity.ERROR,
            _("Action plans inside the plan period"),
            _("Every action plan item is dated inside the plan period and ends after it starts."),
        ),
        # The rules a mentor applies when reading a plan (issue 18; docs/plan-checks.md).
        Rule(
            "PC030",
            Severity.WARNING,
            _("Every programme has a budget"),
            _(
                "A programme with no money set aside cannot start: a mentor asks who pays for it, "
                "and how much of the plan is still unfunded."
            ),
        ),
        Rule(
            "PC031",
            Severity.WARNING,
            _("Every amount in the budget names its funding source"),
            _("APBD, APBN, DAK, CSR or KPBU: without a source nobody knows which budget process to enter."),
        ),
        Rule(
            "PC032",
            Severity.WARNING,
            _("Actions dated within their programme's years"),
            _(
                "An action dated before the programme starts or after it ends belongs to another plan, "
                "or a date is wrong."
            ),
        ),
        Rule(
            "PC033",
            Severity.WARNING,
            _("No single agency leads most programmes"),
            _(
                "When one agency leads more than half of the programmes, the plan rests on its capacity "
                "and the other agencies do not own the smart city."
            ),
        ),
        Rule(
            "PC034",
            Severity.WARNING,
            _("No programmes with the same function"),
            _(
                "Programmes of one element whose descriptions say the same thing in other words "
                "are usually one function planned twice (three staff-performance systems)."
            ),
        ),
        Rule(
            "PC035",
            Severity.INFO,
            _("Dimensions in balance"),
            _("A dimension with far fewer programmes than the others is often one the team did not work through."),
        ),
        Rule(
            "PC036",
            Severity.WARNING,
            _("The vision is carried by programmes"),
            _(
                "Each keyword of the vision appears in at least one programme; "
                "otherwise the vision promises what no programme delivers."
            ),
        ),
        Rule(
            "PC037",
            Severity.WARNING,
            _("SIPD codes come from the code list of the plan's year"),
            _(
                "A programme or sub-activity code that the loaded Permendagri 90 list lacks cannot be found "
                "in SIPD: the programme will not be matched to the regional budget."
            ),
        ),
        Rule(
            "PC038",
            Severity.ERROR,
            _("Budget lines carry a SIPD sub-activity code"),
            _(
                "The region requires every budget line to name the sub kegiatan it is budgeted under, "
                "so the plan can be entered into SIPD as it is."
            ),
        ),
    ]
}
