"""Loading the data files, and the real size-class boundaries they define."""

from __future__ import annotations

import shutil

import pytest

from kotacerdas.frameworks.bands import classify
from kotacerdas.frameworks.loader import DATA_DIR, FrameworkFileError, load_all
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Status
from kotacerdas.frameworks.selectors import bands_of, size_classes

pytestmark = pytest.mark.django_db

EVALUATION = """
kind = "evaluation"
code = "evaluasi-uji"
version = 1
title = "Skema uji"

[[entries]]
code = "BASELINE"
name = "Baseline"
weight = "{baseline}"

[[entries]]
code = "OUTPUT"
name = "Output"
weight = "90"
"""


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


def class_of(code, population):
    framework = Framework.objects.prefetch_related("entries").get(code=code, status=Status.PUBLISHED)
    band = classify(population, bands_of(framework))
    return band.code if band else None


@pytest.mark.parametrize(
    ("population", "expected"),
    [(199_999, "KECIL"), (200_000, "SEDANG"), (1_000_000, "SEDANG"), (1_000_001, "BESAR")],
)
def test_rkci_size_classes_follow_the_published_boundaries(frameworks, population, expected):
    assert class_of("ukuran-rkci", population) == expected


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (100_000, "KECIL"),
        (100_001, "SEDANG"),
        (500_000, "SEDANG"),
        (500_001, "BESAR"),
        (1_000_000, "BESAR"),
        (1_000_001, "METROPOLITAN"),
    ],
)
def test_ikci_2018_size_classes_follow_the_published_boundaries(frameworks, population, expected):
    assert class_of("ukuran-ikci-2018", population) == expected


def test_kota_solok_is_small_under_both_schemes(frameworks):
    found = {s.scheme_code: s.band.code if s.band else None for s in size_classes(73_438)}
    assert found == {"ukuran-rkci": "KECIL", "ukuran-ikci-2018": "KECIL"}


def test_loading_twice_creates_nothing_the_second_time(db):
    first = load_all()
    counts = (Framework.objects.count(), FrameworkEntry.objects.count())
    second = load_all()
    assert len(first.created) == len(list(DATA_DIR.glob("*.toml"))) and first.skipped == []
    assert second.created == [] and sorted(second.skipped) == sorted(first.created)
    assert (Framework.objects.count(), FrameworkEntry.objects.count()) == counts


def test_a_loaded_version_is_not_overwritten_by_a_later_edit_of_its_file(tmp_path):
    shutil.copy(DATA_DIR / "size-rkci.v1.toml", tmp_path)
    load_all(tmp_path)
    edited = (tmp_path / "size-rkci.v1.toml").read_text(encoding="utf-8").replace('"200000"', '"250000"')
    write(tmp_path, "size-rkci.v1.toml", edited)
    assert load_all(tmp_path).skipped == ["ukuran-rkci v1"]
    assert class_of("ukuran-rkci", 200_000) == "SEDANG"


def test_taxonomy_elements_are_loaded_under_their_dimension(frameworks):
    economy = FrameworkEntry.objects.get(framework__code="kominfo-6", code="ECO")
    assert [c.code for c in economy.children.order_by("order")] == ["ECO-1", "ECO-2", "ECO-3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EVALUATION.format(baseline="ten"), "evaluasi-uji.v1.toml entry BASELINE: weight 'ten' is not a number."),
        (EVALUATION.format(baseline="5"), "evaluasi-uji.v1.toml: Weights add up to 95%, not 100%."),
        (
            EVALUATION.format(baseline="10").replace('name = "Output"\n', ""),
            "evaluasi-uji.v1.toml entry OUTPUT: missing 'name'.",
        ),
        (
            EVALUATION.format(baseline="10").replace('code = "OUTPUT"\n', ""),
            "evaluasi-uji.v1.toml entry #2: missing 'code'.",
        ),
        (
            EVALUATION.format(baseline="10").replace('weight = "90"', 'wieght = "90"'),
            "evaluasi-uji.v1.toml entry OUTPUT: unknown key 'wieght'.",
        ),
        (EVALUATION.format(baseline="10").replace('kind = "evaluation"', 'kind = "scores"'), "unknown kind 'scores'"),
        (EVALUATION.format(baseline="10").replace("version = 1", 'version = "one"'), "version 'one' is not a whole"),
        ("kind = [", "“evaluasi-uji.v1.toml” is not valid TOML"),
        ('kind = "x"\ncode = = 1\n', "not valid TOML: it cannot be read from line 2, character 8 on."),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_entry(english, tmp_path, text, expected):
    write(tmp_path, "evaluasi-uji.v1.toml", text)
    with pytest.raises(FrameworkFileError) as error:
        load_all(tmp_path)
    assert expected in str(error.value)
    assert not Framework.objects.exists()


def test_one_bad_file_stops_the_whole_load_before_anything_is_written(tmp_path):
    shutil.copy(DATA_DIR / "size-rkci.v1.toml", tmp_path)
    write(tmp_path, "zz-bad.toml", EVALUATION.format(baseline="5"))
    with pytest.raises(FrameworkFileError, match="zz-bad.toml"):
        load_all(tmp_path)
    assert not Framework.objects.exists()


def test_two_files_with_the_same_code_and_version_are_refused(tmp_path):
    shutil.copy(DATA_DIR / "size-rkci.v1.toml", tmp_path / "a.toml")
    shutil.copy(DATA_DIR / "size-rkci.v1.toml", tmp_path / "b.toml")
    with pytest.raises(FrameworkFileError, match=r"b\.toml: ukuran-rkci v1 is also in a\.toml"):
        load_all(tmp_path)
