"""The annual evaluation index of 514 regions from one file, end to end (issue 13, section 7).

Writes a JSON and an XLSX file of ``--regions`` regions with random 1–5 scores, sets up a
throwaway laptop database (``kotacerdas setup`` on a SQLite file in a temporary directory), then
times ``kotacerdas evaluation index FILE --json`` as a user runs it: a new process, start-up,
reading, the scheme from the database, the output. Prints the median of ``--repeat`` runs.

    .venv/bin/python bench/evaluation_index.py [--regions 514] [--repeat 3]

Exits with status 1 when a run takes 2 s or more, or the output does not list every region.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KOTACERDAS = str(Path(sys.executable).parent / "kotacerdas")
LIMIT = 2.0


def data(regions: int) -> dict:
    rng = random.Random(514)
    names = ("baseline", "output", "outcome", "impact", "quick_win")
    return {
        "scheme": 2022,
        "regions": [
            {
                "code": f"{10 + n // 99:02d}.{n % 99 + 1:02d}",
                "name": f"Daerah {n + 1}",
                "previous_index": round(rng.uniform(1, 5), 2),
                "dimensions": {name: rng.randint(100, 500) / 100 for name in names},
            }
            for n in range(regions)
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KOTACERDAS_")},
            "KOTACERDAS_DEBUG": "true",
            "KOTACERDAS_DATABASE_URL": f"sqlite:///{tmp}/laptop.sqlite3",
        }
        subprocess.run([KOTACERDAS, "setup"], env=env, check=True, capture_output=True)
        from kotacerdas.evaluation.files import write_workbook

        content = data(args.regions)
        paths = {"json": Path(tmp) / "evaluasi.json", "xlsx": Path(tmp) / "evaluasi.xlsx"}
        paths["json"].write_text(json.dumps(content), encoding="utf-8")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
        os.environ.setdefault("KOTACERDAS_DEBUG", "true")
        import django

        django.setup()
        paths["xlsx"].write_bytes(write_workbook(content))
        failed = False
        for kind, path in paths.items():
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                done = subprocess.run(
                    [KOTACERDAS, "evaluation", "index", str(path), "--json"], env=env, capture_output=True, text=True
                )
                times.append(time.perf_counter() - start)
                if done.returncode != 0 or len(json.loads(done.stdout)["regions"]) != args.regions:
                    print(done.stderr[:2000])
                    failed = True
            median = statistics.median(times)
            print(f"evaluation index, {args.regions} regions, {kind}: median {median:.2f} s (limit {LIMIT:.0f} s)")
            failed = failed or median >= LIMIT
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
