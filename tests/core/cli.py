"""Run `python -m samsvar` in a subprocess with a clean SAMSVAR_* environment.

The subprocess always gets its own data directory, and SQLite unless a test passes a database
URL, so it never touches the test database or another installation.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Data for an installation made on the command line: the personas' kinds of records, one of
# each, and an uploaded PDF, written through the services like any user would.
POPULATE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from samsvar.accounts.services import organisation_save, prrc_save, user_create
from samsvar.core.services import record_sign
from samsvar.devices.services import device_create, device_update

kari = user_create(actor=None, username="kari", password="Fjord-test-passord-42",
                   full_name="Kari Nordmann", role="quality_manager")
organisation_save(actor=kari, name="Fjordmed AS", address="Storgata 1, 0155 Oslo")
prrc_save(actor=kari, full_name="Per Hansen", qualification_route="degree", degree="MSc",
          years_experience=3, evidence="Diploma and CV",
          evidence_file=SimpleUploadedFile("diploma.pdf", b"%PDF-1.7 Per Hansen diploma"))
pump = device_create(actor=kari, name="InsuPump 3", model_number="IP-3", regime="mdr",
                     intended_purpose="Insulin infusion", intended_users="lay")
record_sign(actor=kari, record=pump, meaning="approved", password="Fjord-test-passord-42")
device_update(actor=kari, device=pump, model_number="IP-3b", reason="Model number corrected")
"""


def samsvar_env(data_dir, **overrides) -> dict[str, str]:
    """The current environment without SAMSVAR_* and DJANGO_* variables (the test run sets
    some), plus a dev installation in data_dir.

    An override of None removes the variable.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMSVAR_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="samsvar.settings",
        SAMSVAR_MODE="dev",
        SAMSVAR_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_samsvar(*args: str, env: dict[str, str], input: str = "", timeout: int = 180):
    """Run the command with `input` as its standard input (empty: end of file at once)."""
    return subprocess.run(
        [sys.executable, "-m", "samsvar", *args],
        input=input,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def installation(data_dir, populate: bool = True) -> dict[str, str]:
    """A migrated SQLite installation in data_dir (with POPULATE's records); returns its env."""
    env = samsvar_env(data_dir)
    steps = [["migrate", "--skip-checks", "-v", "0"]]
    if populate:
        steps.append(["shell", "-c", POPULATE])
    for args in steps:
        done = run_samsvar(*args, env=env)
        assert done.returncode == 0, done.stderr
    return env
