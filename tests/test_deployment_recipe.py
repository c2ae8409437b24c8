"""The deployment recipe (Dockerfile, compose.yaml, docs/deployment.md) and bench/national.py agree.

No container runtime runs here, so the recipe is checked for what can be checked without one: its
start commands are the ones bench/national.py exercises, every ``kotacerdas`` verb it names exists,
every ``KOTACERDAS_`` variable it names is one the settings read, and compose.yaml parses. The pure
pieces of the bench script (percentiles, the wrk parser, the fail-over of its balancer) are tested
here too; the load run itself is bench/national.py's job, not the suite's.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ["Dockerfile", "compose.yaml", "deploy.env.example", "docs/deployment.md"]


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_national", ROOT / "bench" / "national.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


national = bench_module()


def dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    commands = re.findall(r"^CMD (\[.*\])$", text, flags=re.MULTILINE)
    assert len(commands) == 1
    return json.loads(commands[0])


def compose_commands() -> dict[str, list[str]]:
    """service → command, read from compose.yaml's flow-style ``command: [...]`` lines."""
    commands = {}
    service = None
    for line in (ROOT / "compose.yaml").read_text().splitlines():
        if match := re.fullmatch(r"  ([a-z]+):", line):
            service = match.group(1)
        elif service and (match := re.fullmatch(r"    command: (\[.*\])", line)):
            commands[service] = json.loads(match.group(1))
    return commands


def test_the_image_starts_the_app_server_the_bench_starts():
    assert dockerfile_cmd() == [part.format(bind="0.0.0.0:8000") for part in national.APP_COMMAND]


def test_compose_starts_the_app_server_worker_and_setup_the_bench_starts():
    commands = compose_commands()
    assert commands["app"] == [part.format(bind="0.0.0.0:8000") for part in national.APP_COMMAND]
    assert commands["worker"] == list(national.WORKER_COMMAND)
    assert tuple(commands["setup"]) in national.PREPARE_COMMANDS


def test_every_kotacerdas_verb_in_the_recipe_exists():
    known = set(get_commands())
    named = set()
    for name in RECIPE:
        text = (ROOT / name).read_text()
        named |= set(re.findall(r"(?<![\w/.-])kotacerdas(?:\", \"| )([a-z_]+)", text))
        named |= set(re.findall(r"\.venv/bin/kotacerdas ([a-z_]+)", text))
    assert named, "the pattern found no verb at all"
    assert named <= known, f"not kotacerdas verbs: {sorted(named - known)}"


def test_every_variable_the_recipe_names_is_read_by_the_settings():
    settings = (ROOT / "kotacerdas" / "settings.py").read_text()
    read = set(re.findall(r"env\.\w+\(\s*\"([A-Z_]+)\"", settings))
    assert {"SECRET_KEY", "DATABASE_URL", "BEHIND_PROXY"} <= read
    for name in RECIPE:
        named = set(re.findall(r"KOTACERDAS_([A-Z_]+[A-Z])", (ROOT / name).read_text()))
        assert named <= read, f"{name} names variables the settings do not read: {sorted(named - read)}"


def test_the_deployment_guide_lists_every_variable_of_the_settings():
    settings = (ROOT / "kotacerdas" / "settings.py").read_text()
    read = set(re.findall(r"env\.\w+\(\s*\"([A-Z_]+)\"", settings))
    guide = (ROOT / "docs" / "deployment.md").read_text()
    missing = sorted(name for name in read if f"KOTACERDAS_{name}`" not in guide)
    assert not missing, f"docs/deployment.md does not mention: {missing}"


def test_the_gunicorn_app_path_is_the_wsgi_module():
    from kotacerdas import wsgi

    module, _, attribute = national.APP_COMMAND[1].partition(":")
    assert module == wsgi.__name__
    assert callable(getattr(wsgi, attribute or "application"))


def test_compose_yaml_parses_with_the_services_the_guide_describes():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert set(compose["services"]) == {"db", "setup", "app", "worker"}
    for service in ("setup", "app", "worker"):
        config = compose["services"][service]
        assert config["read_only"] is True
        assert "data:/data" in config["volumes"]
    assert "/healthz" in " ".join(compose["services"]["app"]["healthcheck"]["test"])
    assert compose["services"]["app"]["depends_on"]["setup"]["condition"] == "service_completed_successfully"


def test_the_image_runs_as_an_unprivileged_user_and_writes_only_to_data():
    text = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)$", text, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert 'VOLUME ["/data"]' in text
    assert "KOTACERDAS_DATA_DIR=/data" in text
    assert "collectstatic" in text and "compilemessages" in text
    healthcheck = re.search(r"^HEALTHCHECK .*\n\s+CMD (\[.*\])$", text, flags=re.MULTILINE)
    assert healthcheck and "/healthz" in healthcheck.group(1)


# The bench script's pure pieces ------------------------------------------------------------------


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert national.percentile(values, 0.5) == 50
    assert national.percentile(values, 0.99) == 99
    assert national.percentile([7.0], 0.99) == 7.0
    assert national.percentile([], 0.5) == 0.0


WRK_OUTPUT = """\
Running 30s test @ http://127.0.0.1:18300/wilayah/13.72/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   545.12ms  101.20ms   1.20s    70.00%
  Latency Distribution
     50%  545.00ms
     75%  600.00ms
     90%  700.00ms
     99%    1.16s
  2700 requests in 30.01s, 90.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:     89.97
Transfer/sec:      3.00MB
"""


def test_the_wrk_report_is_read():
    figures = national.parse_wrk(WRK_OUTPUT)
    assert figures == {
        "rps": 89.97,
        "p50": 545.0,
        "p99": 1160.0,
        "requests": 2700.0,
        "non_2xx": 4.0,
        "socket_errors": 3.0,
    }


def test_the_sign_in_form_token_and_cookies_are_read():
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
    assert national.csrf_token(html) == "abc123"
    with pytest.raises(ValueError, match="csrfmiddlewaretoken"):
        national.csrf_token("<form></form>")
    headers = [
        ("Set-Cookie", "csrftoken=t1; Path=/; SameSite=Lax"),
        ("Content-Type", "text/html"),
        ("set-cookie", "sessionid=s2; HttpOnly"),
    ]
    assert national.cookies(headers) == {"csrftoken": "t1", "sessionid": "s2"}


def test_the_balancer_spreads_requests_and_avoids_a_server_that_refused():
    a, b = ("127.0.0.1", 1), ("127.0.0.1", 2)
    balancer = national.Balancer([a, b], pause=60)
    assert {balancer.pick(), balancer.pick()} == {a, b}
    balancer.mark_down(b)
    assert {balancer.pick() for _ in range(4)} == {a}
    assert balancer.pick(avoid=a) == b  # with every other server down, still try one


def test_a_refused_request_goes_to_the_other_server_and_is_not_an_error():
    """The load generator against one live server and one closed port: no error, only fail-overs."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    live = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=live.serve_forever, daemon=True).start()
    closed = ("127.0.0.1", national.free_port(18900))
    try:
        balancer = national.Balancer([live.server_address[:2], closed])
        tally = national.load(balancer, {"page": "/"}, "", connections=2, seconds=0.5)
    finally:
        live.shutdown()
        live.server_close()
    result = national.summary(tally, 0.5)
    assert result["requests"] > 0
    assert result["non_2xx"] == 0
    assert result["errors"] == {}
    assert result["failovers"] >= 1
    assert result["per_server"] == {f"{live.server_address[0]}:{live.server_address[1]}": result["requests"]}


def test_cpu_time_of_a_process_tree_is_read_from_proc():
    import os

    if not os.path.exists(f"/proc/{os.getpid()}/stat"):
        pytest.skip("no /proc on this system")
    sum(i * i for i in range(200_000))  # spend a little CPU
    assert national.tree_cpu_seconds(os.getpid()) > 0
    assert national.tree_cpu_seconds(2**22 + 1) == 0.0  # no such process


def test_the_timeline_puts_each_answer_in_the_window_it_started_in():
    samples = [(0.5, 100.0, 200), (9.9, 300.0, 200), (10.0, 50.0, 500), (25.0, 10.0, 503)]
    assert national.timeline(samples, 10) == [
        {"from_s": 0, "requests": 2, "p50_ms": 100.0, "p99_ms": 300.0, "non_2xx": 0},
        {"from_s": 10, "requests": 1, "p50_ms": 50.0, "p99_ms": 50.0, "non_2xx": 1},
        {"from_s": 20, "requests": 1, "p50_ms": 10.0, "p99_ms": 10.0, "non_2xx": 1},
    ]
