"""Portal fixtures: region A publishes its page; its small plan is adopted, with a quick win that
reported progress, an indicator with an actual, a released evaluation and the adopted Buku 2."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from kotacerdas.evaluation.models import DimensionScore, Evaluation
from kotacerdas.monitoring.models import IndicatorActual, ProgrammeUpdate, UpdateState
from kotacerdas.monitoring.tests.conftest import Monitored, monitored  # noqa: F401 (the fixture, shared)
from kotacerdas.plans.models import ApprovalStep, Edition, EditionStatus, Indicator
from kotacerdas.plans.tests.conftest import plan  # noqa: F401 (the fixture, shared)
from kotacerdas.portal import services
from kotacerdas.portal.models import PARTS, Publication
from kotacerdas.regions.models import Region
from kotacerdas.reports.models import DocumentJob, JobStatus

PDF = b"%PDF-1.4\n% adopted book\n"


@dataclass
class Published:
    region: Region
    edition: Edition
    publication: Publication
    book: DocumentJob
    draft_book: DocumentJob
    monitored: Monitored


def publish_all(region: Region) -> Publication:
    Region.objects.filter(pk=region.pk).update(is_published=True)
    return services.set_publication(actor=None, region=region, parts=dict.fromkeys(PARTS, True), expected_version=0)


def _book(region: Region, edition: Edition, name: str) -> DocumentJob:
    job = DocumentJob(region=region, edition=edition, kind="buku2", fmt="pdf", status=JobStatus.DONE, pages=3)
    job.file.save(name, ContentFile(PDF), save=False)
    job.size = len(PDF)
    job.finished_at = timezone.now()
    job.save()
    return job


@pytest.fixture
def published(cast: Any, monitored: Monitored) -> Published:  # noqa: F811
    edition = monitored.edition
    region = cast.region_a
    # A PDF generated while the edition was still a draft, then the adoption, then the adopted book.
    draft_book = _book(region, edition, "draft.pdf")
    DocumentJob.objects.filter(pk=draft_book.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    ApprovalStep.objects.create(
        region=region,
        edition=edition,
        step=EditionStatus.ADOPTED,
        decided_on=datetime.date(2025, 1, 10),
        reference="Perwal 1/2025",
        actor_name="system",
    )
    Edition.objects.filter(pk=edition.pk).update(
        vision="Solok kota cerdas yang melayani",
        adoption_number="Perwal Nomor 1 Tahun 2025",
        adoption_date=datetime.date(2025, 1, 10),
    )
    book = _book(region, edition, "buku2.pdf")
    ProgrammeUpdate.objects.create(
        region=region,
        programme=monitored.first,
        period=monitored.q1,
        reported_on=datetime.date(2025, 4, 5),
        status="on_track",
        progress=40,
        comment="Diuji coba.",
        state=UpdateState.ACCEPTED,
    )
    indicator = Indicator.objects.get(programme=monitored.first)
    IndicatorActual.objects.create(region=region, indicator=indicator, year=2025, value=Decimal("13.5"))
    evaluation = Evaluation.objects.create(
        region=region,
        year=2025,
        scheme_year=2025,
        taxonomy=edition.taxonomy,
        status="released",
        index=Decimal("3.456789"),
        index_2dp=Decimal("3.46"),
        predicate_name="Baik",
        released_at=timezone.now(),
    )
    DimensionScore.objects.create(region=region, evaluation=evaluation, dimension="output", score=Decimal("3.5"))
    publication = publish_all(region)
    region.refresh_from_db()
    edition.refresh_from_db()
    return Published(region, edition, publication, book, draft_book, monitored)
