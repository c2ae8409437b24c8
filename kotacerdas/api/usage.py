"""The use of a token, not a change anyone makes: finding it, its last-used time, the rate count.

Bookkeeping of the API's own, outside the audited services (``services.py``): nobody acts here,
a request is being counted.
"""

from __future__ import annotations

import datetime
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from kotacerdas.api.models import ApiToken, RateWindow
from kotacerdas.api.services import TOKEN_START, digest

# The last-used time is written at most once a minute per token: reads stay free of writes.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def find(secret: str) -> ApiToken | None:
    """The token ``secret`` names, usable or not (None if it names none): one query."""
    if not secret.startswith(TOKEN_START) or secret.count("_") < 2 or len(secret) > 200:
        return None
    prefix = secret[len(TOKEN_START) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest(secret)):
        return None
    return token


def note_use(token: ApiToken, now: datetime.datetime) -> None:
    """Remember when ``token`` was last used, writing at most once a minute."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def count_request(key: str, now: datetime.datetime) -> tuple[bool, int]:
    """Count one request of ``key`` in the current minute: (allowed, seconds until the next minute).

    The count lives in the database all app servers share, so the limit holds across them.
    """
    window = now.replace(second=0, microsecond=0)
    rows = RateWindow.objects.filter(key=key, window=window)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window=window, count=1)
                # A new minute: the caller's old windows are no longer read.
                RateWindow.objects.filter(key=key, window__lt=window).delete()
            except IntegrityError:
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).first() or 0
    wait = 60 - now.second
    return count <= settings.API_RATE, wait
