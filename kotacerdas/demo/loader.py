from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from kotacerdas.accounts.models import Membership, User
from kotacerdas.demo import assessments as demo_assessments
from kotacerdas.demo import engagements as demo_engagements
from kotacerdas.demo import monitoring as demo_monitoring
from kotacerdas.demo import plans as demo_plans
from kotacerdas.demo import portal as demo_portal
from kotacerdas.demo import quickwins as demo_quickwins
from kotacerdas.demo.data import PASSWORD, SAWAHLUNTO, SOLOK, USERS
from kotacerdas.engagements import services as engagement_services
from kotacerdas.evaluation.demo import load_sample_evaluation
from kotacerdas.frameworks.loader import load_all
from kotacerdas.frameworks.sipd import load_sample as load_sipd_sample
from kotacerdas.regions import services
from kotacerdas.regions.models import OPD, Region


@dataclass
class DemoResult:
    regions_created: list[str] = field(default_factory=list)
    regions_kept: list[str] = field(default_factory=list)
    users: list[tuple[str, str]] = field(default_factory=list)  # (username, what they can do)


def _load_region(spec: dict[str, Any], sample_region: bool) -> Region:
    data = dict(spec["region"])
    data["area_km2"] = Decimal(data["area_km2"])
    region = services.create_region(actor=None, data=data, is_sample=sample_region)
    for year, population, source, estimate in spec["population"]:
        services.set_population(
            actor=None,
            region=region,
            year=year,
            population=population,
            source=source,
            is_estimate=estimate,
            expected_version=0,
        )
    for kecamatan_name, kelurahan in spec["kecamatan"].items():
        kecamatan = services.create_kecamatan(actor=None, region=region, name=kecamatan_name, is_sample=sample_region)
        for name in kelurahan:
            services.create_kelurahan(actor=None, kecamatan=kecamatan, name=name, is_sample=sample_region)
    opds: dict[str, OPD] = {}
    for abbreviation, name, kind, valid_from, valid_to, sample in spec["opds"]:
        predecessors = [opds[p] for p in spec["merges"].get(abbreviation, [])]
        opds[abbreviation] = services.create_opd(
            actor=None,
            region=region,
            data={
                "abbreviation": abbreviation,
                "name": name,
                "kind": kind,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
            predecessors=predecessors,
            is_sample=sample,
        )
    for body_spec in spec["bodies"]:
        body = services.create_body(
            actor=None,
            region=region,
            data={k: body_spec[k] for k in ("kind", "name", "decree_number", "decree_date")},
            is_sample=True,
        )
        for order, (person, position, opd, role) in enumerate(body_spec["members"], start=1):
            services.add_member(
                actor=None,
                body=body,
                data={
                    "person_name": person,
                    "position": position,
                    "opd": opds.get(opd) if opd else None,
                    "role": role,
                    "order": order,
                },
                is_sample=True,
            )
    for cohort_spec in spec["cohorts"]:
        cohort = engagement_services.ensure_cohort(
            actor=None, year=cohort_spec["year"], name=cohort_spec["name"], ministry_name=cohort_spec["ministry_name"]
        )
        engagement = engagement_services.create_engagement(
            actor=None, region=region, cohort=cohort, purpose=cohort_spec["purpose"], is_sample=False
        )
        for stage, title, starts_on, ends_on, venue, status, sample in cohort_spec["sessions"]:
            engagement_services.plan_session(
                actor=None,
                engagement=engagement,
                data={
                    "stage": stage,
                    "title": title,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "venue": venue,
                    "status": status,
                },
                is_sample=sample,
            )
    return region


def load_demo() -> DemoResult:
    """Load the reference frameworks, the two demo regions and the demo accounts (idempotent).

    The demo is written in the site's language (``LANGUAGE_CODE``, Bahasa Indonesia) whatever
    language is active when it is loaded: the names the services give (the master plan's title,
    the default quick-win criteria) are the same from the command line, a job or a test."""
    with translation.override(settings.LANGUAGE_CODE):
        return _load_demo()


@transaction.atomic
def _load_demo() -> DemoResult:
    load_all()
    load_sipd_sample()
    result = DemoResult()
    for spec, sample_region in ((SOLOK, False), (SAWAHLUNTO, True)):
        code = spec["region"]["code"]
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = _load_region(spec, sample_region)
            if spec is SOLOK:
                # Each capability adds its own demo content; order matters (quick wins need programmes).
                for extra in (demo_assessments, demo_plans, demo_quickwins, demo_engagements, demo_monitoring):
                    extra.load(region)
                # The ministry's released 2025 evaluation comes last: it reads nothing, but closes the year.
                load_sample_evaluation(region, 2025)
                demo_portal.load(region)
            result.regions_created.append(code)
        else:
            result.regions_kept.append(code)
    regions = {
        r.code: r for r in Region.objects.filter(code__in=[SOLOK["region"]["code"], SAWAHLUNTO["region"]["code"]])
    }
    for username, full_name, institution, ministry, code, role, opd_abbr in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "institution": institution, "is_ministry": ministry}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        if code:
            region = regions[code]
            opd = OPD.objects.filter(region=region, abbreviation=opd_abbr).first() if opd_abbr else None
            Membership.objects.get_or_create(user=user, region=region, defaults={"role": role, "opd": opd})
        result.users.append((username, "ministry" if ministry else f"{role} {code}"))
    return result
