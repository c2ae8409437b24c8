"""Typed readers for ``KOTACERDAS_*`` environment variables.

Every reader names the variable in its error, so a bad deployment stops at start-up with a
message an operator can act on instead of a stack trace somewhere later.
"""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PREFIX = "KOTACERDAS_"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


@dataclass
class Env:
    """Reads prefixed variables from a mapping (``os.environ`` by default)."""

    environ: Mapping[str, str]

    def _raw(self, name: builtins.str) -> builtins.str | None:
        return self.environ.get(PREFIX + name)

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str:
        value = self._raw(name)
        if value is None:
            if default is None:
                raise ConfigError(f"{PREFIX}{name} is required but not set.")
            return default
        return value

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{PREFIX}{name}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off.")

    def int(self, name: builtins.str, default: builtins.int, *, minimum: builtins.int | None = None) -> builtins.int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ConfigError(f"{PREFIX}{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{PREFIX}{name}={number} is below the minimum of {minimum}.")
        return number

    def list(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def timezone(self, name: builtins.str, default: builtins.str) -> builtins.str:
        value = self._raw(name) or default
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{PREFIX}{name}={value!r} is not a known time zone (for example Asia/Jakarta)."
            ) from None
        return value

    def json_object(self, name: builtins.str) -> dict[builtins.str, object]:
        """A JSON object (``{"key": value, …}``); empty when the variable is not set."""
        value = self._raw(name)
        if not value:
            return {}
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ConfigError(f"{PREFIX}{name} is not valid JSON.") from None
        if not isinstance(parsed, dict):
            raise ConfigError(f'{PREFIX}{name} must be a JSON object, such as {{"bucket_name": "kotacerdas"}}.')
        return parsed

    def choice(self, name: builtins.str, default: builtins.str, choices: tuple[builtins.str, ...]) -> builtins.str:
        value = (self._raw(name) or default).strip().lower()
        if value not in choices:
            raise ConfigError(f"{PREFIX}{name}={value!r} must be one of {', '.join(choices)}.")
        return value

    def database(self, name: builtins.str, default_sqlite: Path) -> dict[builtins.str, object]:
        value = self._raw(name)
        if not value:
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
        return parse_database_url(value, variable=PREFIX + name)


def parse_database_url(url: str, *, variable: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name?opt=v`` or ``sqlite:///path`` into Django's form."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as dj-database-url reads them.
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ConfigError(f"{variable}: a sqlite URL needs a file path, e.g. sqlite:///kotacerdas.db")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"{variable}: the PostgreSQL URL names no database (…/dbname).")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{variable}: the port in the URL is not a number.") from None
        options = dict(parse_qsl(parts.query))
        try:
            conn_max_age = int(options.pop("conn_max_age", "60"))
        except ValueError:
            raise ConfigError(f"{variable}: conn_max_age must be a whole number of seconds.") from None
        config: dict[str, object] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(port or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
        }
        if options:
            config["OPTIONS"] = options
        return config
    raise ConfigError(f"{variable}: unsupported database scheme {scheme!r}; use postgres://… or sqlite:///…")


env = Env(os.environ)
