"""The national deployment on one machine (issue 14 §6): several app servers and workers, one PostgreSQL.

Starts a throwaway PostgreSQL cluster in a temporary folder (never a system cluster), prepares it as
an operator would (``kotacerdas setup``, ``kotacerdas demo``, ``kotacerdas collectstatic``), then
starts TWO app servers (``gunicorn kotacerdas.wsgi``, 2 workers each, different ports) and TWO job
workers (``kotacerdas db_worker``) on it, with debug off. Signed in as the demo region admin it
spreads GETs over both app servers (region home, programme table, a Bimtek session, /healthz),
queues Buku 2 jobs from two processes at once, restarts one app server and one worker in the middle
of the load (with ``--restart-database`` PostgreSQL too), and reports:

- non-2xx answers (the goal is 0, other than designed 503s), p50/p99 per page, requests per second;
- every job claimed exactly once (one worker id on its queue row, one "done" audit entry) and done.

The load generator stands in for the load balancer: a request refused because an app server is
restarting goes to the other one (as nginx's ``proxy_next_upstream error`` does) and is counted as
a fail-over, not as an error.

``--figure`` adds the load figure of the issue: one app server with 3 workers, 50 connections ×
30 s per page (with ``wrk`` when installed, otherwise the Python load generator).

    .venv/bin/python bench/national.py [--duration 60] [--connections 16] [--jobs 6] [--restart-database]
                                       [--figure] [--figure-duration 30] [--figure-connections 50]
                                       [--json OUT.json] [--keep]

Run as root (the server then runs as ``postgres``) or as a user who may run ``initdb``. The start
commands below are the ones of the container recipe (Dockerfile, compose.yaml) and of
docs/deployment.md; tests/test_deployment_recipe.py keeps them in step. Exits with status 1 when a
page answered non-2xx (other than 503) or a job was not done exactly once.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# The start commands of a deployment (also in the Dockerfile, compose.yaml and docs/deployment.md).
# gunicorn reads its number of workers from WEB_CONCURRENCY.
APP_COMMAND = ("gunicorn", "kotacerdas.wsgi", "--bind", "{bind}")
WORKER_COMMAND = ("kotacerdas", "db_worker", "--no-reload")
PREPARE_COMMANDS = (("kotacerdas", "setup"), ("kotacerdas", "collectstatic", "--noinput"))

DEMO_USER = "solok.admin"
DEMO_REGION = "13.72"

# Printed by `kotacerdas shell -c`: the pages to load, found in the demo data rather than assumed.
PAGES_SNIPPET = """
import json
from django.urls import reverse
from kotacerdas.engagements.models import Session
from kotacerdas.plans.models import Edition
code = %(region)r
edition = Edition.objects.filter(region__code=code).order_by("-year").first()
session = Session.objects.filter(engagement__region__code=code).order_by("pk").first()
print(json.dumps({
    "region home": reverse("regions:home", args=[code]),
    "programme table": reverse("plans:programmes", args=[code, edition.year]),
    "Bimtek session": reverse("engagements:session", args=[code, session.pk]),
    "/healthz": "/healthz",
    "edition": edition.year,
}))
"""

# Queues Buku 2 jobs through the service the documents page calls, as the demo region admin.
ENQUEUE_SNIPPET = """
import json
from kotacerdas.accounts.models import User
from kotacerdas.plans.models import Edition
from kotacerdas.reports.services import request_document
actor = User.objects.get(username=%(user)r)
edition = Edition.objects.get(region__code=%(region)r, year=%(edition)d)
ids = [request_document(actor=actor, region=edition.region, edition=edition, kind="buku2", fmt="pdf").pk
       for _ in range(%(count)d)]
print(json.dumps(ids))
"""

# For each job: its status, the worker ids that claimed its queue row, and its "done" audit entries.
JOBS_SNIPPET = """
import json
from django_tasks_db.models import DBTaskResult
from kotacerdas.audit.models import AuditEntry
from kotacerdas.reports.models import DocumentJob
out = []
for job in DocumentJob.objects.filter(pk__in=%(ids)r).order_by("pk"):
    row = DBTaskResult.objects.filter(pk=job.task_id).first()
    done = AuditEntry.objects.filter(
        object_type="reports.DocumentJob", object_id=str(job.pk), after__status="done"
    ).count()
    out.append({"id": job.pk, "status": job.status, "task": row.status if row else None,
                "workers": row.worker_ids if row else [], "done_entries": done, "seconds": job.seconds})
print(json.dumps(out))
"""


# Pure pieces (tested in tests/test_deployment_recipe.py) ------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.5 for p50, 0.99 for p99); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without float surprises
    return ordered[min(int(rank), len(ordered)) - 1]


def csrf_token(html: str) -> str:
    """The hidden ``csrfmiddlewaretoken`` of a form page."""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return match.group(1)


def cookies(headers: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Name → value of the ``Set-Cookie`` headers of a response."""
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()
    return jar


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests per second, p50/p99 (ms), requests, non-2xx and socket errors of ``wrk --latency``."""
    result: dict[str, float] = {"non_2xx": 0, "socket_errors": 0}
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(words[1])
        elif len(words) == 2 and words[0] in ("50%", "99%"):
            result["p" + words[0].rstrip("%")] = _ms(words[1])
        elif "requests in" in line:
            result["requests"] = float(words[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["non_2xx"] = float(words[-1])
        elif line.strip().startswith("Socket errors:"):
            result["socket_errors"] = float(sum(int(n) for n in re.findall(r"\d+", line)))
    return result


@dataclass
class Balancer:
    """Round-robin over app servers; one that refuses a connection is left out for a second."""

    servers: list[tuple[str, int]]
    pause: float = 1.0
    _down: dict[tuple[str, int], float] = field(default_factory=dict)
    _turn: Iterator[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, avoid: tuple[str, int] | None = None) -> tuple[str, int]:
        with self._lock:
            now = time.monotonic()
            up = [s for s in self.servers if self._down.get(s, 0) <= now and s != avoid]
            candidates = up or [s for s in self.servers if s != avoid] or self.servers
            return candidates[next(self._turn) % len(candidates)]

    def mark_down(self, server: tuple[str, int]) -> None:
        with self._lock:
            self._down[server] = time.monotonic() + self.pause


# Load ---------------------------------------------------------------------------------------------

RETRYABLE = (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError)


@dataclass
class Tally:
    """What the load generator saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    per_server: Counter[str] = field(default_factory=Counter)
    failovers: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    # (seconds since the start, milliseconds, status) of every answer, for the timeline
    samples: list[tuple[float, float, int]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


# Health probes come from the load balancer, which has no session: /healthz is asked without the cookie.
PROBES = ("/healthz",)


def get(server: tuple[str, int], path: str, cookie: str, timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*server, timeout=timeout)
    headers = {"Host": "127.0.0.1"}
    if cookie and path not in PROBES:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(balancer: Balancer, pages: dict[str, str], cookie: str, connections: int, seconds: float) -> Tally:
    """``connections`` threads GET the pages in turn over the servers for ``seconds``."""
    tally = Tally()
    stop_at = time.monotonic() + seconds
    names = list(pages)

    def run(offset: int) -> None:
        for turn in itertools.count(offset):
            if time.monotonic() >= stop_at:
                return
            name = names[turn % len(names)]
            server = balancer.pick()
            for _attempt in range(3):
                start = time.monotonic()
                try:
                    status, _body = get(server, pages[name], cookie)
                except RETRYABLE:
                    balancer.mark_down(server)
                    with tally.lock:
                        tally.failovers += 1
                    server = balancer.pick(avoid=server)
                    continue
                except OSError as error:
                    with tally.lock:
                        tally.errors[type(error).__name__] += 1
                    break
                elapsed = (time.monotonic() - start) * 1000
                with tally.lock:
                    tally.latencies[name].append(elapsed)
                    tally.samples.append((start - tally.started, elapsed, status))
                    tally.statuses[name][status] += 1
                    tally.per_server[f"{server[0]}:{server[1]}"] += 1
                break
            else:
                with tally.lock:
                    tally.errors["no server answered"] += 1

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def timeline(samples: Sequence[tuple[float, float, int]], window: float) -> list[dict[str, Any]]:
    """Requests, p50/p99 and non-2xx per ``window`` seconds, by the time each request started."""
    buckets: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for sample in samples:
        buckets[int(sample[0] // window)].append(sample)
    return [
        {
            "from_s": index * window,
            "requests": len(rows),
            "p50_ms": round(percentile([r[1] for r in rows], 0.5), 1),
            "p99_ms": round(percentile([r[1] for r in rows], 0.99), 1),
            "non_2xx": sum(1 for r in rows if not 200 <= r[2] < 300),
        }
        for index, rows in sorted(buckets.items())
    ]


def summary(tally: Tally, seconds: float, window: float = 10) -> dict[str, Any]:
    pages = {}
    for name, values in tally.latencies.items():
        pages[name] = {
            "requests": len(values),
            "rps": round(len(values) / seconds, 1),
            "p50_ms": round(percentile(values, 0.5), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
            "statuses": dict(sorted(tally.statuses[name].items())),
        }
    non_2xx = sum(n for c in tally.statuses.values() for status, n in c.items() if not 200 <= status < 300)
    designed_503 = sum(c.get(503, 0) for c in tally.statuses.values())
    total = sum(len(v) for v in tally.latencies.values())
    return {
        "seconds": round(seconds, 1),
        "requests": total,
        "rps": round(total / seconds, 1),
        "non_2xx": non_2xx,
        "non_2xx_other_than_503": non_2xx - designed_503,
        "failovers": tally.failovers,
        "errors": dict(tally.errors),
        "per_server": dict(tally.per_server),
        "pages": pages,
        "timeline": timeline(tally.samples, window),
    }


# Processes ----------------------------------------------------------------------------------------


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0 and not Path(f"/tmp/.s.PGSQL.{port}.lock").exists():
                return port
    raise SystemExit(f"no free port from {start}")


class Postgres:
    """A throwaway cluster in ``work``: run as ``postgres`` when we are root, as ourselves otherwise."""

    def __init__(self, work: Path) -> None:
        found = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
            key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()],
        )
        if not found:
            raise SystemExit("No PostgreSQL server under /usr/lib/postgresql/*/bin.")
        self.bin = found[-1].parent
        self.data = work / "pgdata"
        self.port = free_port(54339)
        self.started = False

    def _run(self, command: str) -> None:
        if os.geteuid() == 0:
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", f"cd / && {command}"], check=True)
        else:
            subprocess.run(["sh", "-c", command], check=True)

    def start(self) -> str:
        self.data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self._run(f"'{self.bin}/initdb' -D '{self.data}' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null")
        self.started = True
        self._run(
            f"'{self.bin}/pg_ctl' -D '{self.data}' -l '{self.data}/server.log' -w -t 30 "
            f"-o '-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100' "
            "start >/dev/null"
        )
        subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-qc",
             "CREATE ROLE kotacerdas LOGIN PASSWORD 'kotacerdas'", "-c", "CREATE DATABASE kotacerdas OWNER kotacerdas"],
            check=True,
        )  # fmt: skip
        return f"postgres://kotacerdas:kotacerdas@127.0.0.1:{self.port}/kotacerdas"

    def restart(self) -> None:
        """A fast restart (active connections are cut), as an operator's or a failover's."""
        self._run(f"'{self.bin}/pg_ctl' -D '{self.data}' -l '{self.data}/server.log' -m fast -w restart >/dev/null")

    def pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(f"'{self.bin}/pg_ctl' -D '{self.data}' -m fast -w stop >/dev/null")


class Service:
    """One app server or worker, in its own process group, its output in a log file."""

    def __init__(self, name: str, command: Sequence[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.command, self.env, self.logs = name, list(command), env, logs
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = (self.logs / f"{self.name}.{self.starts}.log").open("wb")
        executable = [str(BIN / self.command[0]), *self.command[1:]]
        self.process = subprocess.Popen(
            executable, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )

    def stop(self, timeout: float = 90) -> float:
        """SIGTERM (a graceful stop: requests and the running job finish), then wait; seconds taken."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        return time.monotonic() - start


def wait_healthy(server: tuple[str, int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(server, "/healthz", "", timeout=5)[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"app server {server} did not answer /healthz within {timeout:.0f} s")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, reaped children included) of a process and its descendants.

    The machine is shared, so wall-clock figures move with whatever else runs; the CPU time the app
    server and PostgreSQL spend per request does not, and gives the rate idle cores could sustain.
    """
    total, stack, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick
        stack.extend(int(child) for child in children)
    return total


def kotacerdas(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "kotacerdas"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"kotacerdas {' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def shell(env: dict[str, str], code: str) -> Any:
    return json.loads(kotacerdas(env, "shell", "-c", code).strip().splitlines()[-1])


def sign_in(server: tuple[str, int]) -> str:
    """Sign in through the form as the demo region admin; the Cookie header to send."""
    from kotacerdas.demo.data import PASSWORD

    connection = http.client.HTTPConnection(*server, timeout=30)
    connection.request("GET", "/masuk/", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    token = csrf_token(response.read().decode())
    jar = cookies(response.getheaders())
    body = f"csrfmiddlewaretoken={quote(token)}&username={quote(DEMO_USER)}&password={quote(PASSWORD)}"
    headers = {
        "Host": "127.0.0.1",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
    }
    connection.request("POST", "/masuk/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    jar.update(cookies(response.getheaders()))
    connection.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"signing in as {DEMO_USER} failed (HTTP {response.status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def environment(work: Path, database_url: str) -> dict[str, str]:
    """A production-like environment (debug off) for every process; HTTPS is the proxy's job here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOTACERDAS_")}
    env.update(
        KOTACERDAS_DEBUG="false",
        KOTACERDAS_SECRET_KEY=secrets.token_urlsafe(50),
        KOTACERDAS_ALLOWED_HOSTS="127.0.0.1,localhost",
        KOTACERDAS_DATABASE_URL=database_url,
        KOTACERDAS_DATA_DIR=str(work / "data"),
        KOTACERDAS_SECURE_SSL_REDIRECT="false",
        KOTACERDAS_SECURE_HSTS_SECONDS="0",
        KOTACERDAS_LOG_LEVEL="WARNING",
        PATH=f"{BIN}:{os.environ.get('PATH', '')}",
    )
    return env


# The runs -----------------------------------------------------------------------------------------


def national(
    env: dict[str, str], work: Path, pages: dict[str, str], edition: int, postgres: Postgres, options: Any
) -> dict[str, Any]:
    """Two app servers, two workers, jobs queued concurrently, one of each restarted mid-load."""
    logs = work / "logs"
    servers = [("127.0.0.1", free_port(18100)), ("127.0.0.1", free_port(18200))]
    app_env = {**env, "WEB_CONCURRENCY": "2"}
    apps = [
        Service(f"app-{i}", [c.format(bind=f"{h}:{p}") for c in APP_COMMAND], app_env, logs)
        for i, (h, p) in enumerate(servers, 1)
    ]
    workers = [Service(f"worker-{i}", WORKER_COMMAND, env, logs) for i in (1, 2)]
    for service in (*apps, *workers):
        service.start()
    try:
        for server in servers:
            wait_healthy(server)
        cookie = sign_in(servers[0])
        balancer = Balancer(servers)
        events: list[str] = []
        job_ids: list[int] = []
        started = time.monotonic()

        def at(fraction: float) -> None:
            time.sleep(max(0.0, started + options.duration * fraction - time.monotonic()))

        def enqueue(count: int) -> None:
            ids = shell(
                env, ENQUEUE_SNIPPET % {"user": DEMO_USER, "region": DEMO_REGION, "edition": edition, "count": count}
            )
            job_ids.extend(ids)

        def stamp(text: str) -> None:
            events.append(f"{time.monotonic() - started:5.1f} s  {text}")

        def queue_jobs() -> None:
            at(0.05)
            halves = [n for n in (options.jobs // 2, options.jobs - options.jobs // 2) if n]
            queuers = [threading.Thread(target=enqueue, args=(n,)) for n in halves]
            for thread in queuers:
                thread.start()
            for thread in queuers:
                thread.join()
            stamp(f"{len(job_ids)} Buku 2 jobs queued from {len(queuers)} processes at once")

        def restart_app() -> None:
            at(0.3)
            took = apps[1].stop()
            stamp(f"app-2 stopped (SIGTERM: a graceful stop, {took:.1f} s)")
            apps[1].start()
            wait_healthy(servers[1])
            stamp("app-2 started again and answers /healthz")

        def restart_worker() -> None:
            at(0.5)
            took = workers[1].stop()
            stamp(f"worker-2 stopped (SIGTERM: it finishes its job first, {took:.1f} s)")
            workers[1].start()
            stamp("worker-2 started again")

        def restart_database() -> None:
            at(0.7)
            stamp("PostgreSQL restarting (pg_ctl restart -m fast)")
            postgres.restart()
            stamp("PostgreSQL answers again")

        plan = [queue_jobs, restart_app, restart_worker] + ([restart_database] if options.restart_database else [])
        directors = [threading.Thread(target=f, daemon=True) for f in plan]
        for director in directors:
            director.start()
        tally = load(balancer, pages, cookie, options.connections, options.duration)
        elapsed = time.monotonic() - started
        for director in directors:
            director.join()
        result = summary(tally, elapsed)
        deadline = time.monotonic() + options.job_timeout
        while True:
            jobs = shell(env, JOBS_SNIPPET % {"ids": job_ids})
            if all(j["status"] in ("done", "failed") for j in jobs) or time.monotonic() > deadline:
                break
            time.sleep(2)
        events.append(f"{time.monotonic() - started:5.1f} s  jobs settled")
        result["events"] = events
        result["jobs"] = jobs
        result["jobs_queued"] = len(job_ids)
        result["jobs_done_once"] = sum(
            1 for j in jobs if j["status"] == "done" and len(j["workers"]) == 1 and j["done_entries"] == 1
        )
        result["jobs_by_worker"] = dict(Counter(j["workers"][0] if j["workers"] else "-" for j in jobs))
        return result
    finally:
        for service in (*apps, *workers):
            service.stop(timeout=30)


def figure(env: dict[str, str], work: Path, pages: dict[str, str], database_pid: int, options: Any) -> dict[str, Any]:
    """The issue's load figure: one app server with 3 workers, N connections × T seconds per page."""
    server = ("127.0.0.1", free_port(18300))
    command = [c.format(bind=f"{server[0]}:{server[1]}") for c in APP_COMMAND]
    app = Service("figure-app", command, {**env, "WEB_CONCURRENCY": "3"}, work / "logs")
    app.start()
    try:
        wait_healthy(server)
        cookie = sign_in(server)
        wrk = shutil.which("wrk")
        out: dict[str, Any] = {"tool": "wrk" if wrk else "python", "pages": {}}
        assert app.process is not None
        pids = (app.process.pid, database_pid)
        for name, path in pages.items():
            cpu_before = sum(tree_cpu_seconds(pid) for pid in pids)
            if wrk:
                session = [] if path in PROBES else ["-H", f"Cookie: {cookie}"]
                run = subprocess.run(
                    [wrk, "--latency", "-t", "2", "-c", str(options.figure_connections), "-d",
                     f"{options.figure_duration}s", "--timeout", "30s", *session,
                     f"http://{server[0]}:{server[1]}{path}"],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                out["pages"][name] = parse_wrk(run.stdout)
            else:
                tally = load(
                    Balancer([server]), {name: path}, cookie, options.figure_connections, options.figure_duration
                )
                page = summary(tally, options.figure_duration)["pages"].get(name, {})
                bad = sum(n for status, n in page.get("statuses", {}).items() if not 200 <= status < 300)
                out["pages"][name] = {**page, "non_2xx": bad}
            figures = out["pages"][name]
            requests = figures.get("requests") or 1
            cpu_ms = (sum(tree_cpu_seconds(pid) for pid in pids) - cpu_before) * 1000 / requests
            figures["cpu_ms"] = round(cpu_ms, 1)
            figures["idle_rps"] = round((os.cpu_count() or 1) * 1000 / cpu_ms, 0) if cpu_ms else 0
        return out
    finally:
        app.stop(timeout=30)


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['cores']} cores; load average {result['load_average_before']:.1f} before, "
        f"{result.get('load_average_after', 0):.1f} after (other processes of the machine count too)"
    ]
    if "national" in result:
        n = result["national"]
        lines += [
            f"National: 2 app servers × 2 workers, 2 job workers, {n['seconds']} s, {n['connections']} connections",
            f"  {n['requests']} requests, {n['rps']} req/s; non-2xx {n['non_2xx']} "
            f"(other than 503: {n['non_2xx_other_than_503']}); fail-overs to the other server {n['failovers']}; "
            f"errors {n['errors'] or 0}; per server {n['per_server']}",
            f"  {'page':<18}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}  statuses",
        ]
        for name, page in n["pages"].items():
            lines.append(f"  {name:<18}{page['rps']:>8}{page['p50_ms']:>9}{page['p99_ms']:>9}  {page['statuses']}")
        seconds = [j["seconds"] for j in n["jobs"] if j["seconds"]]
        lines.append(
            f"  jobs: {n['jobs_queued']} queued, {n['jobs_done_once']} done and claimed exactly once; "
            f"by worker {n['jobs_by_worker']}; {min(seconds, default=0):.1f}–{max(seconds, default=0):.1f} s each"
        )
        lines += [f"  {event}" for event in n["events"]]
        lines.append(
            "  timeline (by request start): "
            + "; ".join(
                f"{b['from_s']:.0f} s: {b['requests']} req p50 {b['p50_ms']:.0f} p99 {b['p99_ms']:.0f} ms"
                + (f" non-2xx {b['non_2xx']}" if b["non_2xx"] else "")
                for b in n["timeline"]
            )
        )
    if "figure" in result:
        f = result["figure"]
        lines += [
            f"Figure: 1 app server × 3 workers, {f['connections']} connections × {f['duration']} s "
            f"per page ({f['tool']})",
            f"  {'page':<18}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}"
            f"{'CPU ms/req':>12}{'idle-core req/s':>17}",
        ]
        for name, page in f["pages"].items():
            p50 = page.get("p50", page.get("p50_ms", 0))
            p99 = page.get("p99", page.get("p99_ms", 0))
            lines.append(
                f"  {name:<18}{page.get('rps', 0):>8}{p50:>9.1f}{p99:>9.1f}{int(page.get('non_2xx', 0)):>9}"
                f"{page.get('cpu_ms', 0):>12}{page.get('idle_rps', 0):>17.0f}"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load on the two app servers")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections of that load")
    parser.add_argument("--jobs", type=int, default=6, help="Buku 2 jobs queued during the load")
    parser.add_argument("--job-timeout", type=float, default=180, help="seconds to wait for the jobs after the load")
    parser.add_argument(
        "--restart-database",
        action="store_true",
        help="also restart PostgreSQL at 70 %% of the load (answers should be designed 503s, not 500s)",
    )
    parser.add_argument("--figure", action="store_true", help="also the issue's load figure, page by page")
    parser.add_argument("--figure-only", action="store_true", help="only the load figure")
    parser.add_argument("--figure-duration", type=int, default=30)
    parser.add_argument("--figure-connections", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kotacerdas-national-"))
    work.chmod(0o755)  # the postgres user must reach its data folder
    (work / "logs").mkdir()
    postgres = Postgres(work)
    result: dict[str, Any] = {"cores": os.cpu_count(), "load_average_before": os.getloadavg()[0]}
    try:
        t0 = time.monotonic()
        env = environment(work, postgres.start())
        for command in PREPARE_COMMANDS:
            kotacerdas(env, *command[1:])
        kotacerdas(env, "demo")
        found = shell(env, PAGES_SNIPPET % {"region": DEMO_REGION})
        edition = found.pop("edition")
        took = time.monotonic() - t0
        print(f"PostgreSQL on port {postgres.port} prepared (setup, collectstatic, demo) in {took:.0f} s", flush=True)
        print(f"pages: {found}", flush=True)
        if not options.figure_only:
            result["national"] = {
                **national(env, work, found, edition, postgres, options),
                "connections": options.connections,
            }
        if options.figure or options.figure_only:
            result["figure"] = {
                **figure(env, work, found, postgres.pid(), options),
                "connections": options.figure_connections,
                "duration": options.figure_duration,
            }
        result["load_average_after"] = os.getloadavg()[0]
    finally:
        postgres.stop()
        if options.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(result))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, default=str))
    n = result.get("national")
    if n and (n["non_2xx_other_than_503"] or n["errors"] or n["jobs_done_once"] != n["jobs_queued"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
