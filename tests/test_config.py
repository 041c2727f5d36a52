"""Settings come from SAMSVAR_* variables and fail loudly on a bad value (STYLE 7).

A misconfigured installation stops at start with exit code 2 and a message naming the variable,
instead of running with a guess.
"""

import json
import stat

import pytest

from samsvar import config
from tests.core.cli import run_samsvar, samsvar_env

BAD_SETTINGS = {
    "SAMSVAR_DEBUG": {"SAMSVAR_DEBUG": "maybe"},
    "SAMSVAR_TIME_ZONE": {"SAMSVAR_TIME_ZONE": "Europe/Fjordheim"},
    "SAMSVAR_DATABASE_URL": {"SAMSVAR_DATABASE_URL": "mysql://root@localhost:3306/samsvar"},
    "SAMSVAR_SECRET_KEY": {"SAMSVAR_MODE": "production", "SAMSVAR_SECRET_KEY": None},
    "SAMSVAR_MODE": {"SAMSVAR_MODE": "staging"},
    "SAMSVAR_MAX_UPLOAD_MB": {"SAMSVAR_MAX_UPLOAD_MB": "lots"},
}


@pytest.mark.parametrize(("variable", "overrides"), BAD_SETTINGS.items(), ids=BAD_SETTINGS.keys())
def test_a_bad_setting_stops_samsvar_with_exit_code_2_naming_the_variable(
    tmp_path, variable, overrides
):
    done = run_samsvar("check", env=samsvar_env(tmp_path, **overrides))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("samsvar: configuration error: ")
    assert variable in done.stderr
    assert "Traceback" not in done.stderr


def test_the_secret_key_file_is_created_private_and_kept(tmp_path):
    env = samsvar_env(tmp_path, SAMSVAR_SECRET_KEY=None)
    for _ in range(2):
        done = run_samsvar("shell", "-c", "import django", env=env)
        assert done.returncode == 0, done.stderr
        key_file = tmp_path / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text()
        assert len(key) >= 50
        if _ == 0:
            first = key
    assert key == first, "the key survives a restart, so sessions and tokens stay valid"


def test_a_readable_secret_key_file_is_made_private_again(tmp_path):
    key = config.generated_secret_key(tmp_path)
    (tmp_path / "secret_key").chmod(0o644)
    assert config.generated_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


PRAGMAS = """
import json
from django.db import connection
with connection.cursor() as cursor:
    values = {}
    for pragma in ("journal_mode", "foreign_keys", "busy_timeout"):
        cursor.execute(f"PRAGMA {pragma}")
        values[pragma] = cursor.fetchone()[0]
print(json.dumps(values))
"""


def test_the_embedded_sqlite_database_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    done = run_samsvar("shell", "-c", PRAGMAS, env=samsvar_env(tmp_path))
    assert done.returncode == 0, done.stderr
    pragmas = json.loads(done.stdout.strip().splitlines()[-1])
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] >= 5000
    assert (tmp_path / "samsvar.sqlite3").exists()


def test_a_database_url_becomes_django_settings():
    database = config.database_from_url(
        "SAMSVAR_DATABASE_URL",
        "postgres://samsvar:p%40ss@db.example.no:5433/qms?sslmode=require",
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("qms", "samsvar", "p@ss")
    assert (database["HOST"], database["PORT"]) == ("db.example.no", "5433")
    assert database["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://db.example.no:5432/", "names no database"),
        ("postgres://db.example.no:99999/qms", "invalid port"),
        ("sqlite:///var/samsvar.sqlite3", "must start with postgres://"),
    ],
)
def test_a_bad_database_url_is_refused_naming_the_variable(url, message):
    with pytest.raises(config.ConfigError, match=message) as refused:
        config.database_from_url("SAMSVAR_DATABASE_URL", url)
    assert "SAMSVAR_DATABASE_URL" in str(refused.value)


def test_typed_readers_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("SAMSVAR_ALLOWED_HOSTS", " , ")
    with pytest.raises(config.ConfigError, match="SAMSVAR_ALLOWED_HOSTS"):
        config.env_list("SAMSVAR_ALLOWED_HOSTS", [])
    monkeypatch.setenv("SAMSVAR_DEBUG", "On")
    assert config.env_bool("SAMSVAR_DEBUG") is True
    monkeypatch.setenv("SAMSVAR_TIME_ZONE", "Europe/Oslo")
    assert config.env_time_zone("SAMSVAR_TIME_ZONE", "UTC") == "Europe/Oslo"
    monkeypatch.setenv("SAMSVAR_MAX_UPLOAD_MB", "40")
    assert config.env_int("SAMSVAR_MAX_UPLOAD_MB", 25, minimum=1, maximum=1024) == 40
    monkeypatch.setenv("SAMSVAR_MAX_UPLOAD_MB", "0")
    with pytest.raises(config.ConfigError, match="between 1 and 1024"):
        config.env_int("SAMSVAR_MAX_UPLOAD_MB", 25, minimum=1, maximum=1024)
