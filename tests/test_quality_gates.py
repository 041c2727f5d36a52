"""Gates that keep main releasable: deploy checks, migrations, lint, format and layering."""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.cli import REPO, run_samsvar, samsvar_env


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_deploy_checks_pass_with_production_settings(tmp_path):
    env = samsvar_env(
        tmp_path,
        SAMSVAR_MODE="production",
        SAMSVAR_SECRET_KEY=secrets.token_urlsafe(45),
        SAMSVAR_ALLOWED_HOSTS="qms.example.no",
    )
    assert len(env["SAMSVAR_SECRET_KEY"]) == 60
    done = run_samsvar("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_models_need_no_new_migration(tmp_path):
    # System checks have their own gate above; this one is about the migration files only.
    done = run_samsvar(
        "makemigrations", "--check", "--dry-run", "--skip-checks", env=samsvar_env(tmp_path)
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_no_lint():
    pytest.importorskip("ruff")
    done = run(sys.executable, "-m", "ruff", "check", "src", "tests", "bench")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing_to_reformat():
    pytest.importorskip("ruff")
    done = run(sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "bench")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), "import-linter is a test dependency (pyproject.toml)"
    done = run(str(lint_imports))
    assert done.returncode == 0, done.stdout + done.stderr
