"""Region-owned rows take the fields every one of them repeats from ``kotacerdas/lib/models.py``
(issue 12 §8): a model that declares one of them again, word for word, is pointed at its base."""

from __future__ import annotations

from pathlib import Path

from kotacerdas.lib.models import RegionOwned, SampleMarked, Versioned

ROOT = Path(__file__).resolve().parents[2] / "kotacerdas"
REPEATED = {
    'region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", '
    'verbose_name=_("region"))': RegionOwned,
    "version = models.PositiveIntegerField(default=1, editable=False)": Versioned,
    'is_sample = models.BooleanField(_("sample data"), default=False)': SampleMarked,
}


def test_no_model_declares_a_field_its_base_gives():
    found = []
    for path in [*ROOT.glob("*/models.py"), *ROOT.glob("*/models/*.py")]:
        if path.parent.name == "lib":
            continue  # where the bases are declared
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            base = REPEATED.get(line.strip())
            if base is not None:
                found.append(f"{path.relative_to(ROOT)}:{number}: inherit {base.__name__} instead")
    assert not found, "\n".join(found)


def test_the_bases_give_what_the_rows_had():
    assert RegionOwned._meta.abstract and Versioned._meta.abstract and SampleMarked._meta.abstract
    assert Versioned._meta.get_field("version").default == 1
    region = RegionOwned._meta.get_field("region")
    assert region.remote_field.related_name == "+"
