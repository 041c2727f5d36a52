"""Benchmark: the Excel round trip of a large risk table.

    python bench/bench_risk_xlsx.py [--situations 10000] [--per-hazard 20] [--controls 10]

Makes a device with the default 5 x 5 plan and `--controls` design control measures, writes a
workbook in the export's layout with `--situations` new rows (one hazardous situation and one
risk each, `--per-hazard` situations per hazard, 25 harms, every third risk controlled) and
times, each through `samsvar.risk.xlsx`:

1. importing it: every hazard, situation, harm and risk created through the services;
2. exporting the file (target from the issue: under 10 s at 10,000 hazardous situations);
3. importing that export unchanged: every row checked, nothing written;
4. importing it with P1 changed on every row: 10,000 risks updated and estimated again.

Runs against a throwaway installation: SQLite in a temporary data directory by default, or,
with SAMSVAR_DATABASE_URL=postgres://..., a temporary `test_<name>` database that Django's test
machinery creates and drops. Not a test: it asserts nothing about time.
"""

import argparse
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    sys.path[:0] = [str(REPO), str(REPO / "src")]
    os.environ.setdefault("SAMSVAR_MODE", "dev")
    os.environ.setdefault("SAMSVAR_DATA_DIR", tempfile.mkdtemp(prefix="samsvar-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "samsvar.settings"
    import django

    django.setup()


def make_device(controls: int):
    from samsvar.accounts.services import user_create
    from samsvar.devices.services import device_create
    from samsvar.risk import services

    actor = user_create(
        actor=None,
        username="bench-engineer",
        password=secrets.token_urlsafe(24),
        full_name="Bench Engineer",
        role="engineer",
        email="bench@example.no",
    )
    device = device_create(
        actor=actor,
        name="Bench infusion pump",
        model_number="BIP-1",
        regime="mdr",
        intended_purpose="Continuous subcutaneous insulin infusion.",
        intended_users="lay",
    )
    services.plan_adopt_default(actor=actor, device=device)
    for n in range(controls):
        services.control_create(
            actor=actor,
            device=device,
            kind="inherent_safety",
            description=f"Design measure {n + 1}",
            new_risks_reviewed=True,
        )
    return actor, device


def new_table(situations: int, per_hazard: int, controls: int) -> bytes:
    """A workbook in the export's layout whose rows all add new records."""
    from openpyxl import Workbook

    from samsvar.regulatory.risk import catalogue
    from samsvar.risk import xlsx

    categories = [c.key for c in catalogue.all_hazard_categories() if not c.is_group]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(xlsx.SHEET_RISKS))
    keys = [column.key for column in xlsx.COLUMNS]
    sheet.append([str(column.label) for column in xlsx.COLUMNS])
    for n in range(situations):
        hazard = n // per_hazard
        cells = {
            "category": categories[hazard % len(categories)],
            "hazard": f"Hazard {hazard + 1}",
            "sequence": f"1. Fault {n + 1} occurs. 2. It is not detected.",
            "situation": f"The patient is exposed in situation {n + 1}.",
            "harm": f"Harm {n % 25 + 1}",
            "severity": 1 + (n % 25) % 5,
            "p1": 1 + n % 5,
            "p2": 1 + (n // 7) % 5,
            "afap": "Reduced as far as possible.",
            "disclose": "no",
        }
        if n % 3 == 0 and controls:
            cells["controls"] = f"RC-{n // 3 % controls + 1:03d}"
            cells["residual_p1"], cells["residual_p2"] = 1, cells["p2"]
        sheet.append([cells.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_p1_changed(content: bytes) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("P1") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, int):
            cell.value = cell.value % 5 + 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, action):
    """Run `action`, printing wall-clock time and this process's CPU time (SQLite runs in the
    process, so on SQLite the CPU time includes the database; it stays meaningful on a busy
    machine, where the wall-clock time does not)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<40} {seconds:8.2f} s wall {cpu:8.2f} s CPU")
    return result


def imported(result) -> str:
    if not result.ok:
        errors = "; ".join(str(e) for e in result.errors[:5])
        raise SystemExit(f"the import was refused: {errors}")
    return result.summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=10_000)
    parser.add_argument("--per-hazard", type=int, default=20)
    parser.add_argument("--controls", type=int, default=10)
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from samsvar.risk import xlsx
    from samsvar.risk.models import Risk

    postgres = connection.vendor == "postgresql"
    if postgres:
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    try:
        actor, device = make_device(args.controls)
        table = new_table(args.situations, args.per_hazard, args.controls)
        print(f"database: {connection.vendor}; rows: {args.situations}")
        result = timed(
            "import (create everything)",
            lambda: xlsx.import_risk_table(actor=actor, device=device, data=table),
        )
        print(f"  {imported(result)}")
        exported = timed("export", lambda: xlsx.export_risk_table(device))
        print(f"  {len(exported) / 1e6:.1f} MB, {Risk.objects.filter(device=device).count()} risks")
        result = timed(
            "import unchanged (check only)",
            lambda: xlsx.import_risk_table(actor=actor, device=device, data=exported),
        )
        print(f"  {imported(result)}")
        changed = with_p1_changed(exported)
        result = timed(
            "import with P1 changed on every row",
            lambda: xlsx.import_risk_table(actor=actor, device=device, data=changed),
        )
        print(f"  {imported(result)}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
