"""``kotacerdas jobs list|reap [--json]``: the job queue and its workers, and jobs of dead workers."""

from __future__ import annotations

from typing import Any

from kotacerdas.jobs import reaper, selectors
from kotacerdas.lib.commands import JsonCommand


class Command(JsonCommand):
    help = (
        "list: queued and running background jobs and the workers' heartbeats. "
        "reap: retry once, or fail, the running jobs whose worker stopped beating (the worker also does this)."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "reap"])
        parser.add_argument("--all", action="store_true", help="list: include finished jobs (the latest 100).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reap":
            reaped = [r.as_dict() for r in reaper.reap()]
            text = "\n".join(
                f"{r['task_id']} {r['task']}: worker {r['worker_id'] or '?'} stopped; {r['outcome']}" for r in reaped
            )
            self.emit(options, {"reaped": reaped}, text or "No job lost its worker.")
            return
        jobs = selectors.jobs(include_finished=options["all"])
        workers = selectors.workers()
        lines = [f"{j['status']:<10} {j['id']} {j['task']} args={j['args']} attempts={j['attempts']}" for j in jobs]
        lines += [
            f"worker {w['worker_id']} {w['host']}:{w['pid']} last beat {w['seconds_since_beat']} s ago"
            f"{'' if w['alive'] else ' (stopped)'}{' running ' + w['task_id'] if w['task_id'] else ''}"
            for w in workers
        ]
        self.emit(options, {"jobs": jobs, "workers": workers}, "\n".join(lines) or "No jobs queued or running.")
