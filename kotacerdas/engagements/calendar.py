"""iCalendar documents of the assistance (RFC 5545), written by the ``icalendar`` library.

Pure: the feeds (:mod:`kotacerdas.engagements.feeds`) gather rows through the access layer and
turn them into :class:`CalendarEvent`; this module only renders, so the signed-in download, the
subscription address and the command line produce the same text.

Sessions and due dates are whole days (the model keeps dates, not hours), so events are
all-day ``DATE`` values, which RFC 5545 places on that day wherever the reader is. The calendar
still names the region's time zone (``X-WR-TIMEZONE`` and its ``VTIMEZONE``: WIB, WITA or WIT
from the province) so that apps creating or showing times in it use the region's clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone

PRODID = "-//KotaCerdas//Pendampingan//ID"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event. ``uid`` stays the same for the life of the row, ``sequence`` grows with
    each edit (the row's version), so a moved session replaces the old entry in the reader's app."""

    uid: str
    summary: str
    starts_on: datetime.date
    ends_on: datetime.date  # inclusive
    description: str = ""
    location: str = ""
    sequence: int = 0
    cancelled: bool = False
    url: str = ""
    busy: bool = True  # a session takes the day; a due date does not


def build(name: str, events: Iterable[CalendarEvent], stamp: datetime.datetime, tz_name: str = "") -> bytes:
    """The iCalendar document (CRLF lines, folded at 75 octets, text escaped by the library)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if tz_name:
        calendar.add("x-wr-timezone", tz_name)
        calendar.add_component(Timezone.from_tzid(tz_name))
    dtstamp = stamp.astimezone(datetime.UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", dtstamp)
        event.add("dtstart", item.starts_on)
        event.add("dtend", item.ends_on + datetime.timedelta(days=1))  # DTEND of a DATE is exclusive
        event.add("sequence", max(0, item.sequence))
        event.add("summary", item.summary)
        event.add("transp", "OPAQUE" if item.busy else "TRANSPARENT")
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
