"""The plan check: rules from the master plan guide run over an interchange document.

Pure Python (no Django): the same code runs beside the plan in the web, in ``kotacerdas plan
check FILE`` with no server, and under hypothesis. Entry point: :func:`run_checks`.
"""

from kotacerdas.plans.checks.findings import RULES, Finding, Rule, Severity
from kotacerdas.plans.checks.groups import Group
from kotacerdas.plans.checks.rules import CheckReport, apply_waivers, run_checks

__all__ = ["RULES", "CheckReport", "Finding", "Group", "Rule", "Severity", "apply_waivers", "run_checks"]
