"""The fields every region-owned row repeats, once (issue 12 §8).

A model that belongs to one region, carries an edit version or can be sample data inherits the
matching abstract base instead of declaring the field again, so the definition (and its
verbose name, default and migration) is the same everywhere:

- :class:`RegionOwned`: ``region``, the region the row belongs to (every access check starts there;
  deleting a region deletes its rows);
- :class:`Versioned`: ``version``, raised by each edit and compared by ``lib.concurrency`` so a
  stale save answers 409 instead of overwriting;
- :class:`SampleMarked`: ``is_sample``, rows of the demo, shown as sample data and never counted
  as official.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionOwned(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))

    class Meta:
        abstract = True


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class SampleMarked(models.Model):
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        abstract = True
