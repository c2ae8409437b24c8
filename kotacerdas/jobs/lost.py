"""What a job's own records do when its worker died: each app registers a handler for its task.

The reaper knows only django-tasks-db's queue rows; the page of a document or a robustness run
reads the app's own row (``DocumentJob``, ``RobustnessRun``), which would otherwise stay
"running 40 %". A handler receives the task's arguments and whether the job was queued again
(``retried=True``) or given up (``retried=False``), and runs inside the reaper's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_HANDLERS: dict[str, Handler] = {}


def when_lost(task: Any) -> Callable[[Handler], Handler]:
    """Register ``handler(*task_args, retried=…, **task_kwargs)`` for ``task`` (a django-tasks Task)."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[task.module_path] = handler
        return handler

    return register


def handler_for(task_path: str) -> Handler | None:
    return _HANDLERS.get(task_path)
