"""Pages under load against a trivial view (issue 17 §1): p50 of each page ÷ p50 of ``/healthz``.

Sets up the demo on a throwaway SQLite file (``kotacerdas setup`` + ``kotacerdas demo`` with the
KOTACERDAS_* settings pointing at a temporary directory), starts ONE gunicorn with 2 workers on
loopback (debug off), signs in as the demo editor through the form, then loads each page in turn
with N connections for T seconds: ``wrk`` if it is installed (``apt-get install -y wrk``; the bench
only, CI does not need it), otherwise a small thread-pool client (bench/national.py's). Prints the
p50 of every page, the p50 of ``/healthz`` and the ratio; the goal is a ratio ≤ 3 for every page.
Bounded in time: 8 targets × (warm-up + T) seconds plus about 40 s of set-up.

Run::

    .venv/bin/python bench/pages_ratio.py [--seconds 5] [--connections 20] [--json]

Measured (2-core machine shared with other work, so absolute times move; the ratios are the
figure), 20 connections × 5 s per page, before any change:

    page                 wrk p50 ms  ratio   thread-pool p50 ms  ratio
    /healthz                    4.8    1.0                  6.8    1.0
    login page                 15.2    3.2                 17.8    2.6
    assessment results        234.2   48.6                225.9   33.2
    region home               221.2   45.9                227.8   33.5
    Bimtek session            235.7   48.9                237.3   34.9
    quick-win round           472.5   98.0                456.6   67.1
    programme table           171.7   35.6                175.4   25.8
    plan outline              226.4   47.0                229.2   33.7

With 20 connections on 2 workers the p50 is mostly queueing, so the ratio approaches the ratio of
server time per request (~22 ms a signed-in page, ~0.5 ms /healthz). The thread-pool client shares
the 2 cores with the server; compare runs made with the same client.

After kept pages (decision 0015) and persistent SQLite connections, wrk, quiet machine, the pages
read again by the same reader (the second column divides by /healthz with the reader's session
cookie, i.e. the cost of a signed-in request that renders nothing):

    page                 p50 ms  ratio  signed-in ratio
    /healthz                4.9    1.0        0.4
    /healthz signed in     13.2    2.7        1.0   (33.3 ms, 7.2×, with a new connection per request)
    login page             15.5    3.1        1.2
    assessment results     31.9    6.5        2.4
    region home            31.0    6.3        2.3
    Bimtek session         30.7    6.2        2.3
    quick-win round        32.5    6.6        2.5
    programme table        33.1    6.7        2.5
    plan outline           31.7    6.4        2.4

Kept pages alone (connections still opened per request) gave 11.3–12.7× (52–59 ms).

After the reads of every signed-in request as plain statements and the sign-in form kept for
visitors (decision 0018), wrk, quiet machine:

    page                 p50 ms  ratio  signed-in ratio
    /healthz                5.4    1.0        0.6
    /healthz signed in      8.6    1.6        1.0
    login page              6.5    1.2        0.8
    assessment results     11.2    2.1        1.3
    region home            10.6    2.0        1.2
    Bimtek session         11.1    2.1        1.3
    quick-win round        12.0    2.2        1.4
    programme table        11.9    2.2        1.4
    plan outline           11.1    2.1        1.3
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import national  # the bench's process and sign-in helpers

EDITOR = "solok.editor"
REGION = "13.72"

PAGES_SNIPPET = """
import json
from django.urls import reverse
from kotacerdas.assessments.models import Run
from kotacerdas.engagements.models import Session
from kotacerdas.plans.models import Edition
from kotacerdas.quickwins.models import SelectionRound
code = %(region)r
edition = Edition.objects.filter(region__code=code).order_by("-year").first()
session = Session.objects.filter(engagement__region__code=code).order_by("pk").first()
run = Run.objects.filter(region__code=code).order_by("-pk").first()
round_ = SelectionRound.objects.filter(region__code=code).order_by("-year").first()
print(json.dumps({
    "login page": "/masuk/",
    "assessment results": reverse("assessments:results", args=[code, run.pk]),
    "region home": reverse("regions:home", args=[code]),
    "Bimtek session": reverse("engagements:session", args=[code, session.pk]),
    "quick-win round": reverse("quickwins:round", args=[code, round_.year]),
    "programme table": reverse("plans:programmes", args=[code, edition.year]),
    "plan outline": reverse("plans:edition", args=[code, edition.year]),
}))
"""


def sign_in(server: tuple[str, int], username: str) -> str:
    """The Cookie header of a session signed in through the form as ``username``."""
    national.DEMO_USER = username
    return national.sign_in(server)


def with_wrk(server: tuple[str, int], path: str, cookie: str, connections: int, seconds: float) -> dict[str, Any]:
    url = f"http://{server[0]}:{server[1]}{path}"
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    threads = str(min(2, connections))
    command = ["wrk", "--latency", "-t", threads, "-c", str(connections), "-d", f"{seconds:.0f}s", *header, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = national.parse_wrk(output)
    return {"p50_ms": figures.get("p50", 0.0), "requests": int(figures.get("requests", 0)),
            "bad": int(figures["non_2xx"] + figures["socket_errors"])}  # fmt: skip


def with_threads(server: tuple[str, int], path: str, cookie: str, connections: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < stop_at:
            start = time.monotonic()
            try:
                status, _body = national.get(server, path, cookie)
            except OSError:
                status = 0
            elapsed = (time.monotonic() - start) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    threads = [threading.Thread(target=run, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bad = sum(n for status, n in statuses.items() if status != 200)
    return {"p50_ms": national.percentile(latencies, 0.5), "requests": len(latencies), "bad": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    measure = with_wrk if shutil.which("wrk") else with_threads

    work = Path(tempfile.mkdtemp(prefix="kotacerdas-pages-"))
    (work / "data").mkdir()
    (work / "logs").mkdir()
    env = national.environment(work, f"sqlite:///{work / 'db.sqlite3'}")
    app = None
    try:
        national.kotacerdas(env, "setup")
        national.kotacerdas(env, "collectstatic", "--noinput")
        national.kotacerdas(env, "demo")
        pages = national.shell(env, PAGES_SNIPPET % {"region": REGION})
        server = ("127.0.0.1", national.free_port(18300))
        command = [c.format(bind=f"{server[0]}:{server[1]}") for c in national.APP_COMMAND]
        app = national.Service("app", command, {**env, "WEB_CONCURRENCY": "2"}, work / "logs")
        app.start()
        national.wait_healthy(server)
        cookie = sign_in(server, EDITOR)
        results: dict[str, dict[str, Any]] = {}
        targets = [("/healthz", "/healthz"), ("/healthz signed in", "/healthz"), *pages.items()]
        for name, path in targets:
            page_cookie = "" if name in ("/healthz", "login page") else cookie
            measure(server, path, page_cookie, options.connections, 1)  # warm-up
            results[name] = measure(server, path, page_cookie, options.connections, options.seconds)
        floor = results["/healthz"]["p50_ms"] or 1.0
        signed_in_floor = results["/healthz signed in"]["p50_ms"] or 1.0
        for figures in results.values():
            figures["ratio"] = round(figures["p50_ms"] / floor, 1)
            figures["ratio_signed_in"] = round(figures["p50_ms"] / signed_in_floor, 1)
        report = {"client": measure.__name__, "connections": options.connections, "seconds": options.seconds,
                  "pages": results}  # fmt: skip
        if options.json:
            print(json.dumps(report, indent=2))
            return
        print(f"client {measure.__name__}, {options.connections} connections × {options.seconds:.0f} s per page")
        print(f"{'page':<20} {'p50 ms':>8} {'ratio':>6} {'signed-in ratio':>16} {'requests':>9} {'not 200':>8}")
        for name, figures in results.items():
            p50, ratio, signed, requests, bad = (
                figures[k] for k in ("p50_ms", "ratio", "ratio_signed_in", "requests", "bad")
            )
            print(f"{name:<20} {p50:>8.1f} {ratio:>6.1f} {signed:>16.1f} {requests:>9} {bad:>8}")
    finally:
        if app is not None:
            app.stop(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
