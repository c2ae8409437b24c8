"""Regions (kabupaten/kota) and how they are organised: territory, agencies, governance bodies.

Every row that belongs to a region carries its ``region`` so that access can be checked by
filtering, never after the fact. Rows edited through forms carry a ``version`` so that two
people saving the same form cannot silently overwrite each other.
"""

from __future__ import annotations

import datetime

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.files import RandomName, download_name
from kotacerdas.lib.models import SampleMarked, Versioned

KEMENDAGRI_CODE = RegexValidator(
    r"^\d{2}\.\d{2}$",
    _("Use the Kemendagri code of a kabupaten/kota: two digits, a dot, two digits (e.g. 13.72)."),
)


class RegionKind(models.TextChoices):
    KOTA = "kota", _("kota (city)")
    KABUPATEN = "kabupaten", _("kabupaten (regency)")


class TimeZoneName(models.TextChoices):
    WIB = "WIB", _("WIB (UTC+7)")
    WITA = "WITA", _("WITA (UTC+8)")
    WIT = "WIT", _("WIT (UTC+9)")


TZ_BY_NAME = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


class Region(Versioned, SampleMarked):
    """A kabupaten or kota taking part in the programme."""

    code = models.CharField(_("Kemendagri code"), max_length=5, unique=True, validators=[KEMENDAGRI_CODE])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=RegionKind.choices)
    province = models.CharField(_("province"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=4, choices=TimeZoneName.choices, default=TimeZoneName.WIB)
    area_km2 = models.DecimalField(
        _("area (km²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    vision = models.TextField(_("regional vision"), blank=True)
    is_published = models.BooleanField(
        _("public profile"), default=False, help_text=_("Citizens can see the region's public page.")
    )
    # Opt-in: the region's own admin decides (see accounts.access.may_set_peer_sharing); off by
    # default and for every region that existed before the choice was asked.
    shares_peer_scores = models.BooleanField(
        _("Share our accepted assessment scores, anonymised, in peer comparisons of regions of the same size class"),
        default=False,
        help_text=_("Other regions see only figures of a whole group, never this region's name or its own scores."),
    )
    # The region's own rule for its plans: the plan check asks every budget line for its SIPD
    # sub kegiatan code (rule PC038). Set on the region's profile by its administrators.
    requires_sipd_codes = models.BooleanField(
        _("Budget lines must carry a SIPD sub-activity code"),
        default=False,
        help_text=_("The plan check then lists every programme with a budget line without one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name with its type, "Kota Solok" or "Kabupaten Solok": the bare name is ambiguous
        (both exist), so every page, list and document names a region by this label."""
        return f"{self.kind.title()} {self.name}"

    @property
    def tz_name(self) -> str:
        return TZ_BY_NAME[self.time_zone]


class Population(Versioned):
    """Population of a region in a year (census or estimate)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="populations", verbose_name=_("region"))
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(1900)])
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_estimate = models.BooleanField(_("estimate"), default=False)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="one_population_per_year",
                violation_error_message=_("The population of this year is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.population}"


class Kecamatan(SampleMarked):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="kecamatan", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("kecamatan (district)")
        verbose_name_plural = _("kecamatan (districts)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="kecamatan_name_per_region",
                violation_error_message=_("A kecamatan with this name already exists in the region."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Kelurahan(SampleMarked):
    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("kelurahan")
        DESA = "desa", _("desa")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="kelurahan", verbose_name=_("region"))
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.CASCADE, related_name="kelurahan", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.KELURAHAN)

    class Meta:
        verbose_name = _("kelurahan/desa (village)")
        verbose_name_plural = _("kelurahan/desa (villages)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "name"],
                name="kelurahan_name_per_kecamatan",
                violation_error_message=_("A kelurahan with this name already exists in the kecamatan."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class OPDKind(models.TextChoices):
    DINAS = "dinas", _("dinas (service agency)")
    BADAN = "badan", _("badan (board)")
    SEKRETARIAT = "sekretariat", _("sekretariat (secretariat)")
    INSPEKTORAT = "inspektorat", _("inspektorat (inspectorate)")
    KECAMATAN = "kecamatan", _("kecamatan (district office)")
    BAGIAN = "bagian", _("bagian (section)")
    RSUD = "rsud", _("rumah sakit daerah (RSUD, regional hospital)")
    UPTD = "uptd", _("UPTD (technical implementation unit)")
    BUMD = "bumd", _("BUMD (region-owned enterprise, a partner)")


# Kinds that work with the region without being part of its government (perangkat daerah): a
# BUMD is a company the region owns. It is listed apart, may support a programme as a partner,
# but never leads one nor answers for the region's budget (docs/data-model.md).
PARTNER_KINDS = frozenset({OPDKind.BUMD})


def valid_on(day: datetime.date) -> models.Q:
    """Agencies that exist on ``day`` (from ``valid_from`` up to and including ``valid_to``)."""
    return models.Q(valid_from__lte=day) & (models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


def valid_during(first: datetime.date, last: datetime.date) -> models.Q:
    """Agencies that exist on at least one day from ``first`` to ``last``."""
    return models.Q(valid_from__lte=last) & (models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=first))


class OPDQuerySet(models.QuerySet["OPD"]):
    def valid_on(self, day: datetime.date) -> OPDQuerySet:
        """The one "agency valid on a date" query; :meth:`OPD.is_valid_on` is its twin in Python."""
        return self.filter(valid_on(day))

    def government(self) -> OPDQuerySet:
        """The perangkat daerah proper, without partners (BUMD): the agencies that may lead a
        programme or be counted as the region's structure."""
        return self.exclude(kind__in=PARTNER_KINDS)

    def partners(self) -> OPDQuerySet:
        return self.filter(kind__in=PARTNER_KINDS)


class OPD(Versioned, SampleMarked):
    """A regional agency (perangkat daerah). Agencies merge and split, so each has a validity range."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="opds", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=OPDKind.choices)
    head_name = models.CharField(_("head"), max_length=200, blank=True)
    head_title = models.CharField(_("head's title"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty while the agency exists."))
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("predecessors")
    )

    objects = OPDQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency (OPD)")
        verbose_name_plural = _("agencies (OPD)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="opd_valid_range",
                violation_error_message=_("The end of validity cannot be before its start."),
            )
        ]
        indexes = [models.Index(fields=["region", "valid_to"], name="opd_region_current")]

    def __str__(self) -> str:
        return self.abbreviation or self.name

    @property
    def is_partner(self) -> bool:
        """A partner of the region (a BUMD), not one of its government agencies."""
        return self.kind in PARTNER_KINDS

    def is_valid_on(self, day: datetime.date) -> bool:
        """Whether the agency exists on ``day`` (the same rule as :func:`valid_on`, on a loaded row)."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def is_valid_during(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether the agency exists on at least one day from ``first`` to ``last``."""
        return self.valid_from <= last and (self.valid_to is None or self.valid_to >= first)


class GovernanceBody(Versioned, SampleMarked):
    """The Dewan Smart City or the Tim Pelaksana, established by a decree of the head of region."""

    class Kind(models.TextChoices):
        DEWAN = "dewan", _("Dewan Smart City (smart city council)")
        TIM_PELAKSANA = "tim_pelaksana", _("Tim Pelaksana (implementation team)")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="governance_bodies", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    decree_number = models.CharField(_("decree number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_file = models.FileField(_("decree file"), upload_to=RandomName("decrees"), blank=True, max_length=300)
    decree_name = models.CharField(_("decree file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def decree_filename(self) -> str:
        """The decree file's name as uploaded (the stored name is random)."""
        return download_name(self.decree_file, self.decree_name)


class BodyMember(Versioned, SampleMarked):
    class Role(models.TextChoices):
        PEMBINA = "pembina", _("pembina (patron)")
        PENGARAH = "pengarah", _("pengarah (steering)")
        KETUA = "ketua", _("ketua (chair)")
        SEKRETARIS = "sekretaris", _("sekretaris (secretary)")
        ANGGOTA = "anggota", _("anggota (member)")

    ROLE_ORDER = ["pembina", "pengarah", "ketua", "sekretaris", "anggota"]

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members", verbose_name=_("body"))
    person_name = models.CharField(_("person"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True, help_text=_("Jabatan, e.g. Kepala Dinas."))
    opd = models.ForeignKey(
        OPD, on_delete=models.SET_NULL, null=True, blank=True, related_name="body_seats", verbose_name=_("agency (OPD)")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()})"
