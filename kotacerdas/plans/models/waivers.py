"""Recorded decisions to leave a plan-check finding as it is (issue 18).

A mentor and the region's team may agree that a finding does not apply ("this agency leads most
programmes because it is the only one with ICT staff"). A :class:`FindingWaiver` silences the
findings of one rule about one subject (a programme code, an agency, a vision keyword, a
dimension; "" for the plan as a whole) in one edition, and says why, who and when. The check
still finds them; the pages list them apart as waived. Element waivers
(:class:`~kotacerdas.plans.models.ElementWaiver`) stay what they are: part of Buku 2's content,
printed in the plan, not a decision about the check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, Versioned


class FindingWaiver(RegionOwned, Versioned):
    edition = models.ForeignKey(
        "plans.Edition", on_delete=models.CASCADE, related_name="finding_waivers", verbose_name=_("edition")
    )
    rule = models.CharField(_("rule"), max_length=10)
    # Programme code, agency abbreviation, vision keyword or dimension code (Finding.subject).
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("waived by"),
    )
    # The name as it was, so the record keeps it when the account goes ("system" at the console).
    waived_by_name = models.CharField(_("waived by (name)"), max_length=200)
    waived_at = models.DateTimeField(_("waived at"))

    class Meta:
        verbose_name = _("finding waiver")
        verbose_name_plural = _("finding waivers")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "rule", "subject"],
                name="one_waiver_per_finding",
                violation_error_message=_("These findings already have a waiver in this edition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}".strip()
