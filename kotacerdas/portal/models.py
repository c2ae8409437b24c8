"""What a region shows the public on its portal page (``/publik/<code>/``), part by part.

The region's public page itself is switched on by ``Region.is_published`` (the region profile);
each part of the plan's story (the adopted plan, the quick wins, the indicators, the adopted
books, the evaluation results) is published separately by the region's own admin through
:func:`kotacerdas.portal.services.set_publication`. A region without a row publishes no part.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.models import RegionOwned, Versioned


class Part(models.TextChoices):
    """The parts of the public page that are published one by one (the URL and CLI names)."""

    PLAN = "plan", _("adopted master plan")
    QUICK_WINS = "quick_wins", _("quick wins and their progress")
    INDICATORS = "indicators", _("indicators, targets and actuals")
    BOOKS = "books", _("adopted books (PDF)")
    EVALUATION = "evaluation", _("evaluation results")


PARTS: tuple[str, ...] = tuple(Part.values)


class Publication(RegionOwned, Versioned):
    """The region's publication switches, one boolean per :class:`Part` (one row per region)."""

    plan = models.BooleanField(Part.PLAN.label, default=False)
    quick_wins = models.BooleanField(Part.QUICK_WINS.label, default=False)
    indicators = models.BooleanField(Part.INDICATORS.label, default=False)
    books = models.BooleanField(Part.BOOKS.label, default=False)
    evaluation = models.BooleanField(Part.EVALUATION.label, default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("publication settings")
        verbose_name_plural = _("publication settings")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                name="one_publication_per_region",
                violation_error_message=_("The region already has publication settings."),
            )
        ]

    def __str__(self) -> str:
        return str(self.region_id)

    def published(self) -> frozenset[str]:
        return frozenset(part for part in PARTS if getattr(self, part))
