"""`samsvar demo`: the Fjordmed data set, loaded idempotently, with the chain intact."""

import pytest

from samsvar.core.permissions import Role
from tests.core.cli import run_samsvar, samsvar_env

DEMO_PASSWORD = "Fjordmed-demo-2026"


def count_events(env) -> int:
    done = run_samsvar(
        "shell",
        "-c",
        "from samsvar.core.models import AuditEvent; print(AuditEvent.objects.count())",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def test_demo_loads_once_prints_the_logins_and_keeps_the_chain_valid(tmp_path):
    env = samsvar_env(tmp_path, SAMSVAR_MODE=None, SAMSVAR_DEMO_PASSWORD=DEMO_PASSWORD)
    first = run_samsvar("demo", "--no-serve", "--addr", "127.0.0.1:8123", env=env)
    assert first.returncode == 0, first.stderr
    assert "Demo data loaded." in first.stdout
    assert "http://127.0.0.1:8123/" in first.stdout
    assert DEMO_PASSWORD in first.stdout
    for username in ("admin", "quality", "regulatory", "engineer", "approver", "auditor"):
        assert f"  {username} " in first.stdout
    events = count_events(samsvar_env(tmp_path))

    second = run_samsvar("demo", "--no-serve", env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    assert count_events(samsvar_env(tmp_path)) == events
    verify = run_samsvar("audit", "verify", env=samsvar_env(tmp_path))
    assert verify.returncode == 0 and f"{events} events" in verify.stdout


def test_demo_generates_a_password_and_keeps_it_private(tmp_path):
    env = samsvar_env(tmp_path, SAMSVAR_MODE=None, SAMSVAR_DEMO_PASSWORD=None)
    done = run_samsvar("demo", "--no-serve", env=env)
    assert done.returncode == 0, done.stderr
    stored = (tmp_path / "demo_password").read_text().strip()
    assert stored in done.stdout and len(stored) >= 15
    assert (tmp_path / "demo_password").stat().st_mode & 0o077 == 0
    again = run_samsvar("demo", "--no-serve", env=env)
    assert stored in again.stdout  # the same password on every start


@pytest.mark.parametrize("addr", ["8000", "localhost:", "127.0.0.1:99999", "bad host:80"])
def test_demo_refuses_a_bad_address_naming_the_option(tmp_path, addr):
    env = samsvar_env(tmp_path, SAMSVAR_MODE=None)
    done = run_samsvar("demo", "--no-serve", "--addr", addr, env=env)
    assert done.returncode != 0
    assert "--addr" in done.stderr


def test_demo_refuses_a_weak_demo_password_naming_the_variable(tmp_path):
    env = samsvar_env(tmp_path, SAMSVAR_MODE=None, SAMSVAR_DEMO_PASSWORD="1234")
    done = run_samsvar("demo", "--no-serve", env=env)
    assert done.returncode != 0
    assert "SAMSVAR_DEMO_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.django_db
def test_demo_data_gives_every_screen_real_content():
    from django.contrib.auth import get_user_model

    from samsvar.accounts.services import organisation_get
    from samsvar.core import demo
    from samsvar.core.audit import verify_chain
    from samsvar.core.models import Signature, SignatureRequest
    from samsvar.devices.models import Device

    assert demo.load(DEMO_PASSWORD) is True
    assert {u.role for u in get_user_model().objects.all()} == set(Role.values)
    organisation = organisation_get()
    assert organisation.name == "Fjordmed AS" and organisation.srn.startswith("NO-MF-")
    prrc = organisation.prrcs.get()
    assert prrc.qualification_problems() == []
    pump = Device.objects.get(regime="mdr")
    meter = Device.objects.get(regime="ivdr")
    assert "insulin" in pump.intended_purpose and pump.version == 2
    assert "glucose" in meter.intended_purpose and meter.intended_users == "lay"
    assert pump.frozen_versions().get(version=1).signatures.count() == 2
    assert (pump.device_class, pump.classification_rule) == ("IIb", "Rule 12")
    assert (meter.device_class, meter.classification_rule) == ("C", "Rule 4(a)")
    assert pump.classification.frozen_versions().get().signatures.count() == 2
    # device v1 (2), pump classification (2), meter v1 (1), the PRRC's Article 10 statement (1)
    regulatory = Signature.objects.filter(
        record_version__content_type__app_label__in=["devices", "compliance"]
    )
    assert regulatory.count() == 6
    # Risk files, documents and training bring their own signatures (approvals, reviews,
    # read-and-understood); their demo tests count them.
    assert {"risk", "documents", "training"} <= set(
        Signature.objects.values_list("record_version__content_type__app_label", flat=True)
    )
    from samsvar.compliance.models import ComplianceStatement, Obligation
    from samsvar.standards.models import AppliedStandard, GsprEntry

    statement = ComplianceStatement.objects.get()
    assert statement.frozen_versions().get().signatures.get().signer.username == "quality"
    assert Obligation.objects.filter(device=pump).exists()
    assert AppliedStandard.objects.filter(device=meter).exists()
    assert GsprEntry.objects.filter(device=pump).count() > 150
    assert SignatureRequest.objects.filter(status="open").count() == 2
    assert verify_chain().ok
    assert demo.load(DEMO_PASSWORD) is False
