"""Indonesia's provinces and the rules of a kabupaten/kota code (pure: no database).

The Kemendagri code of a kabupaten or kota is ``PP.KK``: ``PP`` is its province's code, ``KK``
numbers it inside the province, kabupaten from 01, kota from 71 (Kota Solok is 13.72,
Kabupaten Solok 13.02). Checking a new region against this list catches the mistakes an
operator makes when typing a region in from nothing: a province spelt another way, a code of
another province, a kota given a kabupaten's number.

The list is Indonesia's 38 provinces with their Kemendagri codes, the Papua provinces formed in
2022 included (91–96); each has the time zone of its regions, used when none is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

CODE = re.compile(r"^(\d{2})\.(\d{2})$")
FIRST_KOTA_NUMBER = 71


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    time_zone: str  # WIB, WITA or WIT
    aliases: tuple[str, ...] = ()


PROVINCES: tuple[Province, ...] = (
    Province("11", "Aceh", "WIB", ("Nanggroe Aceh Darussalam",)),
    Province("12", "Sumatera Utara", "WIB", ("Sumut",)),
    Province("13", "Sumatera Barat", "WIB", ("Sumbar",)),
    Province("14", "Riau", "WIB"),
    Province("15", "Jambi", "WIB"),
    Province("16", "Sumatera Selatan", "WIB", ("Sumsel",)),
    Province("17", "Bengkulu", "WIB"),
    Province("18", "Lampung", "WIB"),
    Province("19", "Kepulauan Bangka Belitung", "WIB", ("Bangka Belitung", "Babel")),
    Province("21", "Kepulauan Riau", "WIB", ("Kepri",)),
    Province("31", "DKI Jakarta", "WIB", ("Daerah Khusus Jakarta", "Jakarta")),
    Province("32", "Jawa Barat", "WIB", ("Jabar",)),
    Province("33", "Jawa Tengah", "WIB", ("Jateng",)),
    Province("34", "DI Yogyakarta", "WIB", ("Daerah Istimewa Yogyakarta", "Yogyakarta", "DIY")),
    Province("35", "Jawa Timur", "WIB", ("Jatim",)),
    Province("36", "Banten", "WIB"),
    Province("51", "Bali", "WITA"),
    Province("52", "Nusa Tenggara Barat", "WITA", ("NTB",)),
    Province("53", "Nusa Tenggara Timur", "WITA", ("NTT",)),
    Province("61", "Kalimantan Barat", "WIB", ("Kalbar",)),
    Province("62", "Kalimantan Tengah", "WIB", ("Kalteng",)),
    Province("63", "Kalimantan Selatan", "WITA", ("Kalsel",)),
    Province("64", "Kalimantan Timur", "WITA", ("Kaltim",)),
    Province("65", "Kalimantan Utara", "WITA", ("Kaltara",)),
    Province("71", "Sulawesi Utara", "WITA", ("Sulut",)),
    Province("72", "Sulawesi Tengah", "WITA", ("Sulteng",)),
    Province("73", "Sulawesi Selatan", "WITA", ("Sulsel",)),
    Province("74", "Sulawesi Tenggara", "WITA", ("Sultra",)),
    Province("75", "Gorontalo", "WITA"),
    Province("76", "Sulawesi Barat", "WITA", ("Sulbar",)),
    Province("81", "Maluku", "WIT"),
    Province("82", "Maluku Utara", "WIT", ("Malut",)),
    Province("91", "Papua", "WIT"),
    Province("92", "Papua Barat", "WIT"),
    Province("93", "Papua Selatan", "WIT"),
    Province("94", "Papua Tengah", "WIT"),
    Province("95", "Papua Pegunungan", "WIT"),
    Province("96", "Papua Barat Daya", "WIT"),
)

BY_CODE = {p.code: p for p in PROVINCES}


def _key(text: str) -> str:
    words = " ".join(text.replace(".", " ").split()).casefold()
    return words.removeprefix("provinsi ").removeprefix("prov ")


BY_KEY = {_key(name): p for p in PROVINCES for name in (p.name, *p.aliases)}


def find(text: str) -> Province | None:
    """The province ``text`` names: its name in any case, a usual short form, or its code."""
    text = (text or "").strip()
    return BY_CODE.get(text) or BY_KEY.get(_key(text))


def names() -> list[str]:
    return [p.name for p in PROVINCES]


def problems(code: str, kind: str, province_text: str) -> dict[str, list[str]]:
    """Why ``code``, ``kind`` (kota/kabupaten) and the province do not belong together, by field.

    Empty when they do. A code that is not ``NN.NN`` is left to the model's own validator.
    """
    errors: dict[str, list[str]] = {}
    province = find(province_text)
    if province is None:
        errors["province"] = [
            _("“%(name)s” is not a province of Indonesia. Write its name as Kemendagri does, e.g. Sumatera Barat.")
            % {"name": (province_text or "").strip()[:80]}
        ]
    match = CODE.match(code or "")
    if match is None:
        return errors
    prefix, number = match.group(1), int(match.group(2))
    if province is not None and prefix != province.code:
        owner = BY_CODE.get(prefix)
        errors.setdefault("code", []).append(
            _("Codes of %(province)s begin with %(prefix)s; %(code)s belongs to %(other)s.")
            % {
                "province": province.name,
                "prefix": province.code,
                "code": code,
                "other": owner.name if owner else _("no province"),
            }
        )
    elif province is None and prefix not in BY_CODE:
        errors.setdefault("code", []).append(
            _("No province has the code %(prefix)s: the code begins with the province's two digits.")
            % {"prefix": prefix}
        )
    if number == 0:
        errors.setdefault("code", []).append(_("The number after the dot starts at 01."))
    elif kind == "kota" and number < FIRST_KOTA_NUMBER:
        errors.setdefault("code", []).append(
            _("A kota's number after the dot is 71 or more (e.g. 13.72); %(code)s is a kabupaten's.") % {"code": code}
        )
    elif kind == "kabupaten" and number >= FIRST_KOTA_NUMBER:
        errors.setdefault("code", []).append(
            _("A kabupaten's number after the dot is below 71 (e.g. 13.02); %(code)s is a kota's.") % {"code": code}
        )
    return errors
