"""``kotacerdas db_worker``: the same as ``kotacerdas worker`` (kept for existing set-ups).

The jobs app is listed before django_tasks_db in INSTALLED_APPS, so this command replaces
django-tasks-db's own ``db_worker``: every deployment that starts it gets the heartbeat, the
reaper and the back-off.
"""

from kotacerdas.jobs.management.commands.worker import Command

__all__ = ["Command"]
