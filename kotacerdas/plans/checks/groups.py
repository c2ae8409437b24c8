"""Findings grouped as a mentor reads them (pure Python).

"18 programmes have no indicator: CRB-01, CRB-02, … and 10 more" says in one line what eighteen
rows say. Findings group by rule and message (PC012 "no baseline" and "no targets" are two
groups); groups are ordered by severity, then by the first programme they name (findings on
the plan as a whole first), and the findings inside a group by programme. Each group has a
headline: the finding itself when it is alone, a counting sentence otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kotacerdas.lib.messages import Message
from kotacerdas.plans.checks.findings import RULES, Finding, Severity
from kotacerdas.plans.checks.findings import gettext_noop as _

# How many codes a headline names before "and N more" (the page's <details> and the JSON have all).
SHOWN_CODES = 8

# Counting sentences for the messages that say one thing about one programme, dimension or keyword.
HEADLINES: dict[str, str] = {
    "Programme %(code)s has budget lines without a SIPD sub-activity code.": _(
        "%(count)s programmes have budget lines without a SIPD sub-activity code: %(codes)s."
    ),
    "Dimension %(dimension)s has no strategy.": _("%(count)s dimensions have no strategy: %(codes)s."),
    "Dimension %(dimension)s has no programme.": _("%(count)s dimensions have no programme: %(codes)s."),
    "Element %(element)s has no programme or strategy and is not waived.": _(
        "%(count)s elements have no programme or strategy and are not waived: %(codes)s."
    ),
    "Programme %(code)s has no lead agency.": _("%(count)s programmes have no lead agency: %(codes)s."),
    "Programme %(code)s has no indicator.": _("%(count)s programmes have no indicator: %(codes)s."),
    "Indicator %(name)r has no baseline.": _("%(count)s indicators have no baseline, in %(codes)s."),
    "Indicator %(name)r has no targets.": _("%(count)s indicators have no targets, in %(codes)s."),
    "Indicator %(name)r names no data producer.": _("%(count)s indicators name no data producer, in %(codes)s."),
    "Programme %(code)s has no budget.": _(
        "%(count)s of %(total)s programmes (%(share)s%%) have no budget: %(codes)s."
    ),
    "The budget line of %(year)s names no funding source.": _(
        "%(count)s budget lines name no funding source, in %(codes)s."
    ),
    "Action %(activity)r runs %(begins)s–%(ends)s, outside the programme's years %(start)s–%(end)s.": _(
        "%(count)s action plan items lie outside their programme's years, in %(codes)s."
    ),
    "Action %(activity)r is dated %(date)s, outside the plan period %(first)s–%(last)s.": _(
        "%(count)s action plan items are dated outside the plan period, in %(codes)s."
    ),
    "%(codes)s (element %(element)s) describe the same function (%(score)s%% alike): merge them or tell them apart.": _(
        "%(count)s sets of programmes describe the same function, led by %(codes)s."
    ),
    "No programme takes up the vision's keyword %(keyword)r.": _(
        "%(count)s keywords of the vision are taken up by no programme: %(codes)s."
    ),
}
GENERIC = _("%(title)s: %(count)s findings, in %(codes)s.")
GENERIC_PLAN = _("%(title)s: %(count)s findings.")
MORE = _("%(codes)s and %(more)s more")


@dataclass(frozen=True)
class Group:
    rule: str
    severity: Severity
    message: str  # the msgid its findings share
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def codes(self) -> list[str]:
        """What the findings are about (programme, element, keyword, dimension), each once, in order."""
        return list(dict.fromkeys(f.subject for f in self.findings if f.subject))

    @property
    def generic(self) -> bool:
        """Whether the headline is the generic one, which names the rule's title itself."""
        return self.count > 1 and self.message not in HEADLINES

    @property
    def more(self) -> int:
        return max(0, len(self.codes) - SHOWN_CODES)

    def headline(self, limit: int | None = SHOWN_CODES) -> Message:
        """The group in one sentence; ``limit`` codes named, the rest as "and N more"."""
        if self.count == 1:
            return self.findings[0].as_message
        codes = self.codes
        named: Any = ", ".join(codes)
        if limit is not None and len(codes) > limit:
            named = Message(self.rule, MORE, {"codes": ", ".join(codes[:limit]), "more": len(codes) - limit})
        params: dict[str, Any] = {"count": self.count, "codes": named}
        template = HEADLINES.get(self.message)
        if template is None:
            params["title"] = Message(self.rule, RULES[self.rule].title) if self.rule in RULES else self.rule
            template = GENERIC if codes else GENERIC_PLAN
        total = self.findings[0].params.get("total")
        if isinstance(total, int) and total > 0:
            params["total"] = total
            params["share"] = round(100 * self.count / total)
        return Message(self.rule, template, params)

    def as_dict(self, index: dict[int, int]) -> dict[str, Any]:
        """For the JSON: the headline in English with every code, and the positions of its
        findings in the report's list of findings."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "headline": self.headline(limit=None).render(),
            "count": self.count,
            "codes": self.codes,
            "findings": [index[id(f)] for f in self.findings],
        }


def _order(finding: Finding) -> tuple[Any, ...]:
    return (finding.programme or "", finding.subject, finding.path)


def group(findings: list[Finding]) -> list[Group]:
    """The findings grouped by rule and message, groups by severity then first programme."""
    buckets: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        buckets.setdefault((f.rule, f.message), []).append(f)
    groups = [
        Group(rule, members[0].severity, message, tuple(sorted(members, key=_order)))
        for (rule, message), members in buckets.items()
    ]
    groups.sort(key=lambda g: (-g.severity, g.findings[0].programme or "", g.rule, g.message))
    return groups
