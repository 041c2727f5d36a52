"""`samsvar risk report|export|import`: files written, exit codes, nothing changed on error."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from samsvar.core.models import AuditEvent
from samsvar.regulatory.risk import default_policy, estimate
from samsvar.risk.models import Hazard, Risk
from tests.core.cli import installation, run_samsvar


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("risk", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("risk", *args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


@pytest.fixture
def risk(build):
    return build.risk(severity=3, p1=2, p2=2)


def edited(path, column, value, row=2):
    workbook = load_workbook(path)
    sheet = workbook["Risks"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1).value = value
    workbook.save(path)


def test_export_by_id_and_by_exact_name(risk, device, tmp_path):
    by_id = tmp_path / "by-id.xlsx"
    out, _err = run("export", str(device.pk), "-o", str(by_id))
    assert "1 risks" in out and str(by_id) in out
    rows = list(load_workbook(by_id)["Risks"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [risk.pk]
    by_name = tmp_path / "by-name.xlsx"
    run("export", device.name, "-o", str(by_name))
    assert load_workbook(by_name)["Risks"]["A2"].value == risk.pk


def test_unknown_and_ambiguous_devices_are_refused(device, make_device, quality, tmp_path):
    target = tmp_path / "x.xlsx"
    error, _err = refused("export", "No such pump", "-o", str(target))
    assert error.returncode == 2 and "No such pump" in str(error)
    # A name made of digits may be another device's id: which one is meant is not clear.
    twin = make_device(quality, name=str(device.pk), model_number="TWIN")
    error, _err = refused("export", twin.name, "-o", str(target))
    assert error.returncode == 2 and twin.name in str(error) and device.name in str(error)
    assert not target.exists()
    error, _err = refused("export", device.name, "-o", str(tmp_path / "table.csv"))
    assert ".xlsx" in str(error)


def test_import_applies_an_edited_table(risk, device, tmp_path, engineer):
    path = tmp_path / "table.xlsx"
    run("export", str(device.pk), "-o", str(path))
    edited(path, "P1", 4)
    out, _err = run(
        "import", device.name, str(path), "--user", engineer.username, "--reason", "Field data"
    )
    assert "1 updated" in out
    risk.refresh_from_db()
    assert (risk.p1, risk.p) == (4, estimate(default_policy(), 3, 4, 2).p)
    event = AuditEvent.objects.filter(object_type="risk.risk", object_id=str(risk.pk))
    assert event.order_by("seq").last().reason == "Field data"


def test_an_invalid_table_prints_every_error_and_changes_nothing(risk, device, tmp_path, engineer):
    path = tmp_path / "table.xlsx"
    run("export", str(device.pk), "-o", str(path))
    edited(path, "P1", 9)
    edited(path, "Hazard no.", "H-077", row=3)
    edited(path, "Hazardous situation", "New", row=3)
    trail = AuditEvent.objects.count()
    error, err = refused("import", str(device.pk), str(path), "--user", engineer.username)
    assert error.returncode == 2 and "nothing was imported" in str(error)
    lines = err.strip().splitlines()
    assert lines[0].startswith("Row 2, column “P1”:")
    assert lines[1].startswith("Row 3, column “Hazard no.”:") and "H-077" in lines[1]
    risk.refresh_from_db()
    assert risk.p1 == 2 and Hazard.objects.count() == 1
    assert AuditEvent.objects.count() == trail


def test_import_needs_a_user_who_may_change_risk_files(risk, device, tmp_path, auditor):
    path = tmp_path / "table.xlsx"
    run("export", str(device.pk), "-o", str(path))
    with pytest.raises(CommandError):
        call_command("risk", "import", str(device.pk), str(path), stdout=io.StringIO())
    error, _err = refused("import", str(device.pk), str(path), "--user", auditor.username)
    assert "may not change" in str(error)
    error, _err = refused("import", str(device.pk), str(path), "--user", "nobody")
    assert "nobody" in str(error)
    error, _err = refused(
        "import", str(device.pk), str(tmp_path / "missing.xlsx"), "--user", auditor.username
    )
    assert "Cannot read" in str(error)


def test_a_file_that_is_not_a_workbook_is_refused(risk, device, tmp_path, engineer):
    path = tmp_path / "table.xlsx"
    path.write_text("ID,P1\n1,2\n")
    error, err = refused("import", str(device.pk), str(path), "--user", engineer.username)
    assert error.returncode == 2 and "not an Excel workbook" in err


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK\x03\x04")])
def test_the_report_is_written_in_the_format_asked_for(fmt, magic, risk, device, tmp_path):
    pytest.importorskip("samsvar.risk.report", reason="the report module is not installed")
    path = tmp_path / f"report.{fmt}"
    out, _err = run("report", str(device.pk), "--format", fmt, "-o", str(path))
    assert path.read_bytes().startswith(magic)
    assert device.name in out
    error, _err = refused("report", str(device.pk), "--format", fmt, "-o", str(tmp_path / "r.txt"))
    assert f".{fmt}" in str(error)


SETUP = """
from samsvar.accounts.models import User
from samsvar.devices.models import Device
from samsvar.risk import services
kari = User.objects.get(username="kari")
pump = Device.objects.get(name="InsuPump 3")
services.plan_adopt_default(actor=kari, device=pump)
hazard = services.hazard_create(actor=kari, device=pump, origin="own", title="Over-delivery")
situation = services.situation_create(actor=kari, hazard=hazard, description="Too much insulin.")
harm = services.harm_create(actor=kari, device=pump, name="Hypoglycaemia", severity=4)
services.risk_create(actor=kari, situation=situation, harm=harm, p1=3, p2=3)
"""


def test_the_commands_run_as_samsvar_in_a_subprocess(tmp_path):
    env = installation(tmp_path / "data")
    done = run_samsvar("shell", "-c", SETUP, env=env)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "table.xlsx"
    done = run_samsvar("risk", "export", "InsuPump 3", "-o", str(path), env=env)
    assert done.returncode == 0, done.stderr
    edited(path, "P2", 1)
    done = run_samsvar("risk", "import", "InsuPump 3", str(path), "--user", "kari", env=env)
    assert done.returncode == 0, done.stderr
    assert "1 updated" in done.stdout
    edited(path, "P2", 0)
    done = run_samsvar("risk", "import", "InsuPump 3", str(path), "--user", "kari", env=env)
    assert done.returncode == 2
    assert "Row 2, column “P2”" in done.stderr and "Traceback" not in done.stderr
    done = run_samsvar("risk", "export", "No pump", "-o", str(path), env=env)
    assert done.returncode == 2 and "No pump" in done.stderr


def test_nothing_in_the_database_is_touched_by_export(risk, device, tmp_path):
    before = (AuditEvent.objects.count(), list(Risk.objects.values()))
    run("export", str(device.pk), "-o", str(tmp_path / "t.xlsx"))
    assert (AuditEvent.objects.count(), list(Risk.objects.values())) == before
