"""Pages composed from several apps' selectors. The apps stay independent of each other (regions
knows nothing of engagements); what one page shows of each is put together here."""

from __future__ import annotations

from dataclasses import dataclass

from kotacerdas.engagements.models import Session
from kotacerdas.engagements.selectors import sessions_of
from kotacerdas.regions.models import Region
from kotacerdas.regions.selectors import RegionHome, region_home


@dataclass
class RegionPage:
    """The region home: the region's profile and its assistance sessions."""

    home: RegionHome
    sessions: list[Session]


def region_page(region: Region) -> RegionPage:
    """Everything the region home page shows, in a fixed number of queries whatever the data size."""
    return RegionPage(home=region_home(region), sessions=sessions_of(region))
