"""Stored results derived from an edition: what the plan pages read instead of recomputing.

See ``kotacerdas/plans/summaries.py`` for how a summary is filled and when it is stale.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned


class EditionSummary(RegionOwned):
    """The edition's interchange document, plan-check findings, counts and budget figures as they
    were when ``Edition.summary_stamp`` was ``stamp``. Derived data: deleting a row loses nothing."""

    edition = models.OneToOneField(
        "plans.Edition",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
        verbose_name=_("edition"),
    )
    stamp = models.UUIDField(_("stamp"))
    # The shape and the rules the row was computed with (``summaries.FORMAT``): a release that
    # changes a rule or a figure raises it, and older rows are recomputed on their next read.
    format = models.PositiveSmallIntegerField(_("format"))
    document = models.JSONField(_("document"))
    findings = models.JSONField(_("findings"))
    counts = models.JSONField(_("counts by severity"))
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("edition summary")
        verbose_name_plural = _("edition summaries")

    def __str__(self) -> str:
        return f"{self.edition_id} @ {self.stamp}"
