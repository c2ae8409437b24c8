"""Settings for the worker started as a subprocess by test_worker_process.py: the real settings
with only the apps the queue needs, so the throwaway database migrates in a second."""

import os

os.environ.setdefault("KOTACERDAS_DEBUG", "true")

from kotacerdas.settings import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django_tasks",
    "kotacerdas.jobs",
    "django_tasks_db",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "kotacerdas.jobs.tests.worker_settings"
urlpatterns: list[object] = []
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"
