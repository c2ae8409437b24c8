"""A job for the worker tests: slow the first time it runs (long enough to kill its worker), quick
after; each start is written to a file, so the test sees how often it ran."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_the_first_time(log: str, seconds: float) -> int:
    path = Path(log)
    with path.open("a") as out:
        out.write(f"started {os.getpid()}\n")
    starts = len(path.read_text().splitlines())
    time.sleep(seconds if starts == 1 else 0.1)
    return starts
