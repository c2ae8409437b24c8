"""Settings for the test suite: the real settings with fast hashing and plain static storage."""

import os
import tempfile

os.environ.setdefault("KOTACERDAS_DEBUG", "true")

from kotacerdas.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Manifest storage has no hashed files under live_server (stack notes, gotcha 2).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kotacerdas-test-media-"))  # noqa: F405
LANGUAGE_CODE = "id"
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="kotacerdas-test-static-"))  # noqa: F405
