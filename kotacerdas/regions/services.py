"""Writes to regions and their organisation. Each service validates, writes and audits atomically.

Services take objects the view fetched through the access layer, ask the layer again with their
``actor`` (``access.check``; ``None`` is the console) and raise ``ValidationError`` with field
names, so forms and the command line report the same errors, and nothing is saved on error.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, lock_current
from kotacerdas.plans.summaries import touch_region as touch_region_summaries
from kotacerdas.regions import provinces
from kotacerdas.regions.models import (
    OPD,
    BodyMember,
    GovernanceBody,
    Kecamatan,
    Kelurahan,
    Population,
    Region,
    RegionKind,
)

REGION_FIELDS = (
    "code",
    "name",
    "kind",
    "province",
    "time_zone",
    "area_km2",
    "motto",
    "vision",
    "is_published",
    "requires_sipd_codes",
)
OPD_FIELDS = ("name", "abbreviation", "kind", "head_name", "head_title", "valid_from", "valid_to")
BODY_FIELDS = ("kind", "name", "decree_number", "decree_date")
MEMBER_FIELDS = ("person_name", "position", "opd", "role", "order")


def _apply(obj: Any, data: dict[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def _clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True)


# Regions ------------------------------------------------------------------------------------


@transaction.atomic
def create_region(*, actor: Any, data: dict[str, Any], is_sample: bool = False, strict: bool = False) -> Region:
    """Add a region. ``strict`` (the page and ``kotacerdas regions create``) also checks the code,
    type and province against each other and the list of provinces (``regions/provinces.py``),
    writes the province as Kemendagri spells it and takes its time zone when none is given;
    test and benchmark data with made-up provinces leave it off."""
    access.check(actor, access.may_add_region)
    data = dict(data)
    if strict:
        _check_new_region(data)
    region = Region(is_sample=is_sample)
    _apply(region, data, REGION_FIELDS)
    _clean(region)
    region.save()
    record(actor=actor, action="create", obj=region, region=region, after=snapshot(region))
    return region


def _check_new_region(data: dict[str, Any]) -> None:
    code = str(data.get("code") or "").strip()
    kind = str(data.get("kind") or "")
    errors = provinces.problems(code, kind, str(data.get("province") or ""))
    if kind not in RegionKind.values:
        errors.setdefault("kind", []).append(
            _("“%(kind)s” is not a type of region: use kota or kabupaten.") % {"kind": kind[:40]}
        )
    existing = Region.objects.filter(code=code).first() if code else None
    if existing is not None:
        errors.setdefault("code", []).append(
            _("%(code)s is already in KotaCerdas: %(region)s.") % {"code": code, "region": existing.label}
        )
    if errors:
        raise ValidationError(errors)
    province = provinces.find(str(data["province"]))
    assert province is not None
    data["code"] = code
    data["province"] = province.name
    if not data.get("time_zone"):
        data["time_zone"] = province.time_zone


@transaction.atomic
def update_region(*, actor: Any, region: Region, data: dict[str, Any], expected_version: int) -> Region:
    access.check(actor, access.may, region, access.Can.ADMINISTER)
    region = lock_current(Region.objects.all(), region.pk, expected_version)
    before = snapshot(region)
    _apply(region, data, REGION_FIELDS)
    _clean(region)
    region.version += 1
    region.save()
    touch_region_summaries(region.pk)
    record(actor=actor, action="update", obj=region, region=region, before=before, after=snapshot(region))
    return region


@transaction.atomic
def set_population(
    *,
    actor: Any,
    region: Region,
    year: int,
    population: int,
    expected_version: int,
    source: str = "",
    is_estimate: bool = False,
) -> Population:
    """Record (or correct) the population of ``region`` in ``year``.

    ``expected_version`` is the version of the year's figure the caller saw, 0 when it saw none
    (as ``monitoring.services.record_actual``): a figure someone else recorded or corrected
    meanwhile is never overwritten (EditConflict), and a caller without a version is refused.
    """
    access.check(actor, access.may, region, access.Can.ADMINISTER)
    if not isinstance(population, int) or isinstance(population, bool) or population < 0:
        raise ValidationError({"population": _("Population must be a whole number of zero or more.")})
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise EditConflict
    existing = Population.objects.select_for_update().filter(region=region, year=year).first()
    if existing is None and expected_version != 0:
        raise EditConflict
    if existing is not None:
        existing = lock_current(Population.objects.filter(region=region), existing.pk, expected_version)
    before = snapshot(existing) if existing else None
    figure = existing or Population(region=region, year=year)
    figure.population = population
    figure.source = source
    figure.is_estimate = is_estimate
    if existing:
        figure.version += 1
    _clean(figure, exclude=["region"])
    figure.save()
    record(
        actor=actor,
        action="update" if existing else "create",
        obj=figure,
        region=region,
        before=before,
        after=snapshot(figure),
    )
    return figure


@transaction.atomic
def delete_population(*, actor: Any, figure: Population, expected_version: int) -> None:
    """Remove a population figure, only at the version the person saw when they chose to remove it."""
    access.check(actor, access.may, figure.region, access.Can.ADMINISTER)
    figure = lock_current(
        Population.objects.filter(region_id=figure.region_id).select_related("region"), figure.pk, expected_version
    )
    before = snapshot(figure)
    record(actor=actor, action="delete", obj=figure, region=figure.region, before=before)
    figure.delete()


@transaction.atomic
def create_kecamatan(*, actor: Any, region: Region, name: str, is_sample: bool = False) -> Kecamatan:
    access.check(actor, access.may, region, access.Can.ADMINISTER)
    kecamatan = Kecamatan(region=region, name=name, is_sample=is_sample)
    _clean(kecamatan)
    kecamatan.save()
    record(actor=actor, action="create", obj=kecamatan, region=region, after=snapshot(kecamatan))
    return kecamatan


@transaction.atomic
def create_kelurahan(
    *, actor: Any, kecamatan: Kecamatan, name: str, kind: str = Kelurahan.Kind.KELURAHAN, is_sample: bool = False
) -> Kelurahan:
    access.check(actor, access.may, kecamatan.region, access.Can.ADMINISTER)
    kelurahan = Kelurahan(region_id=kecamatan.region_id, kecamatan=kecamatan, name=name, kind=kind, is_sample=is_sample)
    _clean(kelurahan)
    kelurahan.save()
    record(actor=actor, action="create", obj=kelurahan, region=kecamatan.region, after=snapshot(kelurahan))
    return kelurahan


# Agencies (OPD) -----------------------------------------------------------------------------


def _ranges_overlap(
    a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None
) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def _check_opd(opd: OPD, predecessors: list[OPD]) -> None:
    errors: dict[str, list[str]] = {}
    if opd.valid_to and opd.valid_from and opd.valid_to < opd.valid_from:
        errors.setdefault("valid_to", []).append(_("The end date is before the start date."))
    if opd.valid_from and not errors:
        namesakes = OPD.objects.filter(region_id=opd.region_id).filter(
            Q(name__iexact=opd.name) | Q(abbreviation__iexact=opd.abbreviation)
        )
        if opd.pk:
            namesakes = namesakes.exclude(pk=opd.pk)
        for other in namesakes:
            if _ranges_overlap(opd.valid_from, opd.valid_to, other.valid_from, other.valid_to):
                until = other.valid_to.isoformat() if other.valid_to else _("now")
                errors.setdefault("valid_from", []).append(
                    _(
                        "%(name)s already exists from %(start)s to %(end)s with the same name or abbreviation; "
                        "the validity ranges of one agency cannot overlap."
                    )
                    % {"name": other.name, "start": other.valid_from.isoformat(), "end": until}
                )
    for predecessor in predecessors:
        if predecessor.region_id != opd.region_id:
            errors.setdefault("predecessors", []).append(_("A predecessor must belong to the same region."))
        elif predecessor.pk == opd.pk:
            errors.setdefault("predecessors", []).append(_("An agency cannot be its own predecessor."))
        elif predecessor.valid_to is None or (opd.valid_from and predecessor.valid_to > opd.valid_from):
            errors.setdefault("predecessors", []).append(
                _("%(name)s must end on or before this agency starts (%(start)s).")
                % {"name": predecessor.name, "start": opd.valid_from.isoformat() if opd.valid_from else "?"}
            )
    if errors:
        raise ValidationError(errors)


def _opd_snapshot(opd: OPD, predecessors: list[OPD]) -> dict[str, Any]:
    data = snapshot(opd)
    data["predecessors"] = sorted(p.pk for p in predecessors)
    return data


@transaction.atomic
def create_opd(
    *, actor: Any, region: Region, data: dict[str, Any], predecessors: Iterable[OPD] = (), is_sample: bool = False
) -> OPD:
    access.check(actor, access.may_edit_agencies, region)
    opd = OPD(region=region, is_sample=is_sample)
    _apply(opd, data, OPD_FIELDS)
    _clean(opd, exclude=["region"])
    preds = list(predecessors)
    _check_opd(opd, preds)
    opd.save()
    opd.predecessors.set(preds)
    touch_region_summaries(opd.region_id)  # the plan check and figures read the agencies
    record(actor=actor, action="create", obj=opd, region=region, after=_opd_snapshot(opd, preds))
    return opd


@transaction.atomic
def update_opd(
    *,
    actor: Any,
    opd: OPD,
    data: dict[str, Any],
    expected_version: int,
    predecessors: Iterable[OPD] | None = None,
) -> OPD:
    """Change an agency: region admins every field, an editor tied to it only its head."""
    fields = [*data, *(["predecessors"] if predecessors is not None else [])]
    access.check(actor, access.may_edit_agency, opd.region, opd, fields)
    opd = lock_current(OPD.objects.filter(region_id=opd.region_id), opd.pk, expected_version)
    old_preds = list(opd.predecessors.all())
    before = _opd_snapshot(opd, old_preds)
    _apply(opd, data, OPD_FIELDS)
    _clean(opd, exclude=["region"])
    preds = old_preds if predecessors is None else list(predecessors)
    _check_opd(opd, preds)
    opd.version += 1
    opd.save()
    opd.predecessors.set(preds)
    touch_region_summaries(opd.region_id)  # the plan check and figures read the agencies
    record(actor=actor, action="update", obj=opd, region=opd.region, before=before, after=_opd_snapshot(opd, preds))
    return opd


# Governance bodies --------------------------------------------------------------------------


@transaction.atomic
def create_body(*, actor: Any, region: Region, data: dict[str, Any], is_sample: bool = False) -> GovernanceBody:
    access.check(actor, access.may, region, access.Can.ADMINISTER)
    body = GovernanceBody(region=region, is_sample=is_sample)
    _apply(body, data, BODY_FIELDS)
    files.accept_upload(body, "decree_file", "decree_name", data.get("decree_file"))
    _clean(body, exclude=["region"])
    body.save()
    record(actor=actor, action="create", obj=body, region=region, after=snapshot(body))
    return body


@transaction.atomic
def update_body(*, actor: Any, body: GovernanceBody, data: dict[str, Any], expected_version: int) -> GovernanceBody:
    access.check(actor, access.may, body.region, access.Can.ADMINISTER)
    body = lock_current(GovernanceBody.objects.filter(region_id=body.region_id), body.pk, expected_version)
    before = snapshot(body)
    _apply(body, data, BODY_FIELDS)
    files.accept_upload(body, "decree_file", "decree_name", data.get("decree_file"))
    _clean(body, exclude=["region"])
    body.version += 1
    body.save()
    record(actor=actor, action="update", obj=body, region=body.region, before=before, after=snapshot(body))
    return body


def _check_member(member: BodyMember) -> None:
    if member.opd_id is not None and member.opd is not None and member.opd.region_id != member.region_id:
        raise ValidationError({"opd": _("The agency must belong to the same region.")})


@transaction.atomic
def add_member(*, actor: Any, body: GovernanceBody, data: dict[str, Any], is_sample: bool = False) -> BodyMember:
    access.check(actor, access.may, body.region, access.Can.ADMINISTER)
    member = BodyMember(region_id=body.region_id, body=body, is_sample=is_sample)
    _apply(member, data, MEMBER_FIELDS)
    _clean(member, exclude=["region", "body"])
    _check_member(member)
    member.save()
    record(actor=actor, action="create", obj=member, region=body.region, after=snapshot(member))
    return member


@transaction.atomic
def update_member(*, actor: Any, member: BodyMember, data: dict[str, Any], expected_version: int) -> BodyMember:
    access.check(actor, access.may, member.body.region, access.Can.ADMINISTER)
    member = lock_current(BodyMember.objects.filter(region_id=member.region_id), member.pk, expected_version)
    before = snapshot(member)
    _apply(member, data, MEMBER_FIELDS)
    member.version += 1
    _clean(member, exclude=["region", "body"])
    _check_member(member)
    member.save()
    record(actor=actor, action="update", obj=member, region=member.body.region, before=before, after=snapshot(member))
    return member


@transaction.atomic
def remove_member(*, actor: Any, member: BodyMember, expected_version: int) -> None:
    """Remove a seat, only at the version the person saw when they chose to remove it."""
    access.check(actor, access.may, member.body.region, access.Can.ADMINISTER)
    member = lock_current(
        BodyMember.objects.filter(region_id=member.region_id).select_related("body__region"),
        member.pk,
        expected_version,
    )
    record(actor=actor, action="delete", obj=member, region=member.body.region, before=snapshot(member))
    member.delete()
