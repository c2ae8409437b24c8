"""The provinces list and the rules of a kabupaten/kota code (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.regions import provinces
from kotacerdas.regions.provinces import PROVINCES


def test_there_are_38_provinces_with_distinct_codes_and_names():
    assert len(PROVINCES) == 38
    assert len({p.code for p in PROVINCES}) == 38 and len({p.name for p in PROVINCES}) == 38
    assert {p.time_zone for p in PROVINCES} == {"WIB", "WITA", "WIT"}


@given(st.sampled_from(PROVINCES), st.sampled_from([str.lower, str.upper, str.title, lambda s: f"  Provinsi {s} "]))
def test_a_province_is_found_by_its_name_in_any_case_by_its_code_and_its_short_forms(province, spell):
    assert provinces.find(spell(province.name)) == province
    assert provinces.find(province.code) == province
    for alias in province.aliases:
        assert provinces.find(alias) == province


def test_an_unknown_province_is_not_found():
    assert provinces.find("Sumatra Utara Raya") is None and provinces.find("") is None and provinces.find("99") is None


@given(st.sampled_from(PROVINCES), st.integers(1, 99))
def test_a_code_fits_its_province_and_its_type(province, number):
    code = f"{province.code}.{number:02d}"
    kind = "kota" if number >= 71 else "kabupaten"
    other = "kabupaten" if kind == "kota" else "kota"
    assert provinces.problems(code, kind, province.name) == {}
    assert set(provinces.problems(code, other, province.name)) == {"code"}


def test_the_problems_say_which_province_a_code_belongs_to(
    english,
):
    found = provinces.problems("14.72", "kota", "Sumatera Barat")
    assert found == {"code": ["Codes of Sumatera Barat begin with 13; 14.72 belongs to Riau."]}
    assert set(provinces.problems("13.72", "kota", "Atlantis")) == {"province"}
    assert set(provinces.problems("20.72", "kota", "Atlantis")) == {"province", "code"}
    assert provinces.problems("13.00", "kabupaten", "Sumatera Barat") == {
        "code": ["The number after the dot starts at 01."]
    }
    assert set(provinces.problems("1372", "kota", "Sumatera Barat")) == set()  # the model's validator says it
