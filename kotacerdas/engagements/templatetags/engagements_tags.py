"""Small template helpers of the assistance pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


@register.filter
def days_open(obstacle: Any, today: datetime.date) -> int:
    """Days from raised to resolved (or to today while unresolved)."""
    return int(obstacle.days_open(today))
