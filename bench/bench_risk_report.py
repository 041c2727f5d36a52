"""Benchmark: the risk management report (PDF and DOCX) of a file with 10,000 hazardous situations.

    python bench/bench_risk_report.py [--situations 10000] [--per-hazard 20] [--reuse]
                                      [--out DIRECTORY]

Builds one device's risk management file through the risk services (the controlled models
refuse bulk inserts, so every record has its audit event, as in real use): the default 5 x 5
plan, `situations / per-hazard` hazards over the catalogue's hazard groups, one risk per
hazardous situation with P1 and P2 and texts of realistic length, a control measure with
verified implementation and effectiveness for every third risk with its residual estimate, an
"as far as possible" justification for the others, some disclosures and post-production
information. Then times reading the file into the report (and counts its queries), the PDF and
the DOCX, and prints pages and sizes. Target from the issue: the PDF in under 60 s at 10,000
hazardous situations.

Building the file takes a few minutes on SQLite. With SAMSVAR_DATA_DIR set to a directory of
your own and `--reuse`, a second run measures the file the first one left there. `--out` keeps
the generated files for a look.

Runs against a throwaway installation: SQLite in a temporary data directory by default, or,
with SAMSVAR_DATABASE_URL=postgres://..., a temporary `test_<name>` database that Django's test
machinery creates and drops. Not a test: it asserts nothing about time.
"""

import argparse
import datetime as dt
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH_DEVICE = "Bench report pump"
BENCH_USER = "bench-report-engineer"
GROUP_CATEGORIES = ("energy", "biological_chemical", "operational", "information")
SEQUENCE = (
    "1. The {part} degrades over {months} months of daily use. 2. The self-test at start-up "
    "does not cover the {part}. 3. The user carries on with the therapy as usual."
)
SITUATION = (
    "The user receives a dose that differs from the programmed one while the {part} is "
    "degraded, and does not notice it for several hours (situation {n})."
)
PARTS = ("drive gear", "pressure sensor", "battery contact", "keypad", "reservoir seal")


def setup_django() -> None:
    sys.path[:0] = [str(REPO), str(REPO / "src")]
    os.environ.setdefault("SAMSVAR_MODE", "dev")
    os.environ.setdefault("SAMSVAR_DATA_DIR", tempfile.mkdtemp(prefix="samsvar-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "samsvar.settings"
    import django

    django.setup()


def categories() -> list[str]:
    """A sub-category of each hazard group of the catalogue, and the manufacturer's own."""
    from samsvar.regulatory.risk import catalogue

    found = [
        group.subcategories[0].key
        for group in catalogue.hazard_categories()
        if group.key in GROUP_CATEGORIES and group.subcategories
    ]
    return [*found, ""]


def build_file(situations: int, per_hazard: int):
    from samsvar.accounts.services import user_create
    from samsvar.core.audit import audited
    from samsvar.devices.services import device_create
    from samsvar.risk import services

    actor = user_create(
        actor=None,
        username=BENCH_USER,
        password=secrets.token_urlsafe(24),
        full_name="Bench Engineer",
        role="engineer",
        email="bench-report@example.no",
    )
    device = device_create(
        actor=actor,
        name=BENCH_DEVICE,
        model_number="BRP-1",
        regime="mdr",
        intended_purpose="Continuous subcutaneous insulin infusion for diabetes mellitus.",
        intended_users="lay",
    )
    services.plan_adopt_default(actor=actor, device=device)
    services.risk_analysis_save(
        actor=actor, device=device, foreseeable_misuse="Use with insulin of another strength."
    )
    harms = [
        services.harm_create(
            actor=actor,
            device=device,
            name=f"Harm {n + 1}: hypoglycaemia or hyperglycaemia of grade {n % 5 + 1}",
            severity=1 + n % 5,
        )
        for n in range(25)
    ]
    kinds = categories()
    made = hazard_number = 0
    while made < situations:
        with audited(actor=actor, reason="benchmark data"):
            category = kinds[hazard_number % len(kinds)]
            part = PARTS[hazard_number % len(PARTS)]
            hazard = services.hazard_create(
                actor=actor,
                device=device,
                title=f"Hazard {hazard_number + 1}: wear of the {part}",
                description=f"The {part} wears faster than specified under heavy use.",
                category_key=category,
                origin="catalogue" if category else "own",
            )
            controlled = []
            for index in range(min(per_hazard, situations - made)):
                n = made + index
                situation = services.situation_create(
                    actor=actor,
                    hazard=hazard,
                    sequence_of_events=SEQUENCE.format(part=part, months=6 + n % 30),
                    description=SITUATION.format(part=part, n=n + 1),
                )
                risk = services.risk_create(
                    actor=actor,
                    situation=situation,
                    harm=harms[n % len(harms)],
                    p1=1 + n % 5,
                    p2=1 + (n // 7) % 5,
                    afap_justification=""
                    if index % 3 == 0
                    else "Further reduction would need a second drive, which would double the "
                    "size and weight of the pump and harm the benefit-risk ratio.",
                    disclose=index % 17 == 0,
                    disclosure_text="See the IFU, section 4 Warnings." if index % 17 == 0 else "",
                )
                if index % 3 == 0:
                    controlled.append(risk)
            made += min(per_hazard, situations - made)
            if controlled:
                control = services.control_create(
                    actor=actor,
                    device=device,
                    risks=controlled,
                    kind="inherent_safety",
                    description=f"Hardened {part} with a wear indicator checked at start-up.",
                    implementation=f"Design output DO-{hazard_number + 1} rev A.",
                    new_risks_reviewed=True,
                )
                for aspect in ("implementation", "effectiveness"):
                    services.control_verify(
                        actor=actor,
                        control=control,
                        aspect=aspect,
                        evidence=f"VER-{hazard_number + 1:04d} rev A, {aspect} test report",
                        result="pass",
                        date=dt.date(2026, 3, 1),
                        verified_by=actor,
                    )
                for risk in controlled:
                    services.risk_update(
                        actor=actor, risk=risk, residual_p1=1, residual_p2=risk.p2 or 1
                    )
        hazard_number += 1
        if hazard_number % 50 == 0:
            print(f"  {made} hazardous situations", flush=True)
    with audited(actor=actor, reason="benchmark data"):
        for n in range(20):
            services.production_info_create(
                actor=actor,
                device=device,
                source="complaint",
                date=dt.date(2026, 5, 1) + dt.timedelta(days=n),
                reference=f"CMP-2026-{n + 1:03d}",
                description="A user reported an unexpected high glucose after a pump alarm.",
            )
    return device


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=10_000)
    parser.add_argument("--per-hazard", type=int, default=20)
    parser.add_argument("--out", type=Path, help="keep the PDF and the DOCX in this directory")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the file a previous run left (SQLite)"
    )
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    postgres = connection.vendor == "postgresql"
    if postgres:
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    else:
        call_command("migrate", verbosity=0)
    try:
        from samsvar.devices.models import Device
        from samsvar.risk import report
        from samsvar.risk.models import HazardousSituation, Risk

        start = time.perf_counter()
        device = Device.objects.filter(name=BENCH_DEVICE).first() if args.reuse else None
        if device is None:
            device = build_file(args.situations, args.per_hazard)
            print(f"built the file in {time.perf_counter() - start:.0f} s")
        situations = HazardousSituation.objects.filter(device=device).count()
        risks = Risk.objects.filter(device=device).count()
        print(f"{situations} hazardous situations, {risks} risks ({connection.vendor})")

        with translation.override("en"):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                built = report.build_report(device)
            read_seconds = time.perf_counter() - start
            start = time.perf_counter()
            pdf = report.render_built(built, "pdf")
            pdf_seconds = time.perf_counter() - start
            start = time.perf_counter()
            docx = report.render_built(built, "docx")
            docx_seconds = time.perf_counter() - start
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"read the file and built the report: {read_seconds:6.1f} s, {len(queries)} queries")
        print(
            f"PDF:  {pdf_seconds:6.1f} s to render, {read_seconds + pdf_seconds:6.1f} s in all; "
            f"{pages} pages, {len(pdf) / 1e6:.1f} MB"
        )
        print(
            f"DOCX: {docx_seconds:6.1f} s to render, {read_seconds + docx_seconds:6.1f} s in "
            f"all; {len(docx) / 1e6:.1f} MB"
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / built.filename("pdf")).write_bytes(pdf)
            (args.out / built.filename("docx")).write_bytes(docx)
            print(f"kept in {args.out}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
