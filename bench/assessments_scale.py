"""Assessments at scale (issue 3's figures): rescoring 514 regions × 200 items, page query counts.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set) and prints:

- the time to score every run of ``--regions`` regions against a synthetic ``--items``-item
  maturity template, pure scoring alone (answers already in memory) and from the database
  (:func:`assessments.selectors.rescore`: four queries in all, then the pure scoring);
- the time of the results page when it compares with the median of ``--regions`` peers (first
  call, which scores and stores runs accepted without stored scores; then from the stored
  scores; then cached until a shared run changes);
- the query count and time of the run list, run page, section, review, results and gaps pages
  for a run of the shipped 18-item template and for a run of the 200-item template (the counts
  must be equal: queries are bounded regardless of item count).

    .venv/bin/python bench/assessments_scale.py [--regions 514] [--items 200] [--repeat 3]

Exits with status 1 when a query count grows with the item count or rescoring takes 2 s or more.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

DIMENSIONS = {"GOV": 3, "BRD": 3, "ECO": 3, "LIV": 3, "SOC": 3, "ENV": 3}


def synthetic_spec(items: int) -> Any:
    """A maturity template of ``items`` level items spread over the 18 elements of kominfo-6."""
    from decimal import Decimal

    from kotacerdas.assessments.definition import ItemSpec, SectionSpec, TemplateSpec

    elements = [f"{d}-{n}" for d, count in DIMENSIONS.items() for n in range(1, count + 1)]
    sections = {d: SectionSpec(code=d, title=d, entry=d) for d in DIMENSIONS}
    for k in range(items):
        element = elements[k % len(elements)]
        sections[element[:3]].items.append(
            ItemSpec(
                code=f"{element}.{k}",
                text=f"Synthetic item {k}",
                answer_type="level",
                weight=Decimal(1 + k % 3),
                allow_na=k % 10 == 0,
                entry=element,
            )
        )
    return TemplateSpec(
        kind="maturity",
        code="bench-maturity",
        version=1,
        title="Bench maturity",
        taxonomy="kominfo-6",
        taxonomy_version=1,
        levels="rkci-maturity",
        levels_version=1,
        sections=list(sections.values()),
    )


def build(regions: int, template: Any, rng: random.Random) -> list[Any]:
    """``regions`` regions with one run each and every item answered (bulk inserts, no audit)."""
    from decimal import Decimal

    from kotacerdas.assessments.models import Answer, Assessor, Item, Run
    from kotacerdas.regions.models import Region

    made = Region.objects.bulk_create(
        Region(code=f"{90 + k // 100:02d}.{k % 100:02d}", name=f"Bench {k}", kind="kota", province="Bench")
        for k in range(regions)
    )
    runs = Run.objects.bulk_create(Run(region=r, template=template, year=2024, title="Bench") for r in made)
    slots = Assessor.objects.bulk_create(
        Assessor(region_id=run.region_id, run=run, is_region=True, name="region") for run in runs
    )
    items = list(Item.objects.filter(template=template))
    answers = []
    for run, slot in zip(runs, slots, strict=True):
        for item in items:
            na = item.allow_na and rng.random() < 0.2
            answers.append(
                Answer(
                    region_id=run.region_id,
                    run=run,
                    assessor=slot,
                    item=item,
                    value=None if na else Decimal(rng.randint(1, 5)),
                    not_applicable=na,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=5000)
    return runs


def page_queries(client: Any, urls: list[str], repeat: int) -> list[tuple[int, float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = []
    for url in urls:
        client.get(url)  # warm
        start = time.perf_counter()
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        out.append((len(queries), (time.perf_counter() - start) / repeat * 1000))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from django.urls import reverse

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    failures = []
    try:
        from kotacerdas.accounts.models import User
        from kotacerdas.assessments import scoring, selectors
        from kotacerdas.assessments.loader import load_templates
        from kotacerdas.assessments.models import Run, Template
        from kotacerdas.assessments.services import runs as run_services
        from kotacerdas.assessments.services.templates import create_template
        from kotacerdas.frameworks.loader import load_all

        rng = random.Random(514)
        load_all()
        load_templates()
        big = create_template(actor=None, spec=synthetic_spec(args.items))
        started = time.perf_counter()
        runs = build(args.regions, big, rng)
        print(f"built {len(runs)} runs × {args.items} items in {time.perf_counter() - started:.1f} s")

        # Pure scoring with the answers already in memory.
        from kotacerdas.assessments.models import Item

        items = list(Item.objects.filter(template=big).select_related("section", "entry"))
        inputs = [
            [
                scoring.ItemInput(
                    i.code, i.section.code, i.entry.code, float(i.weight), (rng.choice([0, 25, 50, 75, 100]),)
                )
                for i in items
            ]
            for _ in runs
        ]
        best_pure = best_db = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for one in inputs:
                scoring.score(one)
            best_pure = min(best_pure, time.perf_counter() - start)
            start = time.perf_counter()
            trees = selectors.rescore(Run.objects.filter(template=big))
            best_db = min(best_db, time.perf_counter() - start)
        assert len(trees) == args.regions
        print(
            f"rescoring {args.regions} runs × {args.items} items: "
            f"pure {best_pure:.2f} s; from the database {best_db:.2f} s"
        )
        if best_db >= 2:
            failures.append(f"rescoring took {best_db:.2f} s (target < 2 s)")

        # Page query counts: the shipped 18-item template against the synthetic one.
        ministry = User.objects.create_user(username="bench-ministry", password="x", is_ministry=True)
        client = Client()
        client.force_login(ministry)
        region = runs[0].region
        small = run_services.start_run(
            actor=None, region=region, template=Template.objects.get(code="kematangan-kominfo-6"), year=2023
        )
        from kotacerdas.assessments.tests.conftest import answer_all

        answer_all(small, None)
        rows = []
        for run in (small, runs[0]):
            code, pk = region.code, run.pk
            urls = [
                reverse("assessments:runs", args=[code]),
                reverse("assessments:run", args=[code, pk]),
                reverse("assessments:section", args=[code, pk, "GOV"]),
                reverse("assessments:review", args=[code, pk]),
                reverse("assessments:results", args=[code, pk]),
                reverse("assessments:gaps", args=[code, pk]),
            ]
            rows.append(page_queries(client, urls, args.repeat))
        names = ["run list", "run page", "section", "review", "results", "gaps"]
        print(f"{'page':<10} {'18 items':>22} {f'{args.items} items':>22}")
        for name, a, b in zip(names, rows[0], rows[1], strict=True):
            print(f"{name:<10} {a[0]:>5} queries {a[1]:>7.1f} ms {b[0]:>5} queries {b[1]:>7.1f} ms")
            if a[0] != b[0]:
                failures.append(f"{name}: {a[0]} queries with 18 items, {b[0]} with {args.items}")

        # The size-class median on the results page: every region small and sharing an accepted run.
        from django.core.cache import cache

        from kotacerdas.regions.models import Population, Region

        Population.objects.bulk_create(Population(region_id=r.region_id, year=2020, population=70_000) for r in runs)
        Region.objects.update(shares_peer_scores=True)  # sharing is opt-in (off by default)
        Run.objects.filter(template=big).update(status="accepted")
        cache.clear()
        url = reverse("assessments:results", args=[region.code, runs[0].pk])
        start = time.perf_counter()
        client.get(url)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        client.get(url)
        warm = time.perf_counter() - start
        cache.clear()  # the medians again, now from the scores stored when the runs were first scored
        start = time.perf_counter()
        client.get(url)
        stored = time.perf_counter() - start
        peers = selectors.size_class_peers(runs[0])
        print(
            f"results page with the median of {peers.regions if peers else 0} peer regions: "
            f"{cold * 1000:.0f} ms first (scores and stores the runs accepted without stored scores), "
            f"{stored * 1000:.0f} ms from the stored scores, {warm * 1000:.0f} ms cached"
        )
    finally:
        teardown_databases(old_config, verbosity=0)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
