"""Typed readers for SAMSVAR_* environment variables.

Each reader fails with a ConfigError that names the variable and the accepted values, so a
misconfigured installation stops at start instead of running with a guess.
"""

import os
import secrets
import stat
import zoneinfo
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(Exception):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off"
    )


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}={value} must be between {minimum} and {maximum}")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ConfigError(f"{name} is set but empty; give a comma-separated list")
    return items


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name}={value!r} is not a known IANA time zone (e.g. Europe/Oslo)"
        ) from None
    return value


def env_mode(name: str) -> str:
    value = env_str(name, "production").lower()
    if value not in {"production", "demo", "dev", "test"}:
        raise ConfigError(f"{name}={value!r} must be one of production, demo, dev, test")
    return value


def data_dir(name: str, default: str) -> Path:
    path = Path(env_str(name, default) or default).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{name}={str(path)!r} cannot be created: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise ConfigError(f"{name}={str(path)!r} is not writable")
    return path


def generated_secret_key(directory: Path) -> str:
    """Return the secret key kept in the data directory, creating it with mode 0600."""
    key_file = directory / "secret_key"
    if key_file.exists():
        mode = stat.S_IMODE(key_file.stat().st_mode)
        if mode & 0o077:
            key_file.chmod(0o600)
        key = key_file.read_text().strip()
        if len(key) >= 50:
            return key
    key = secrets.token_urlsafe(64)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_from_url(name: str, url: str) -> dict:
    """Translate postgres://user:pass@host:port/db?sslmode=require into Django settings."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigError(
            f"{name} must start with postgres:// (got scheme {parts.scheme or 'none'!r}); "
            "leave it unset for the embedded SQLite database"
        )
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ConfigError(f"{name} names no database (postgres://user@host:5432/DBNAME)")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"{name} has an invalid port") from None
    options = dict(parse_qsl(parts.query))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
