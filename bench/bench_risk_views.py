"""Benchmark: server time of the risk register, matrix and traceability pages of a large file.

    python bench/bench_risk_views.py [--situations 10000] [--per-hazard 20] [--runs 7] [--reuse]

Builds one device's risk management file through the risk services (the controlled models
refuse bulk inserts, so every record has its audit event, as in real use): the default 5 x 5
plan, `situations / per-hazard` hazards across the catalogue's hazard groups, one risk per
hazardous situation with P1 and P2, a control measure for every third risk with a residual
estimate, and a post-production item that flags some risks. Then requests each page through
Django's test client as a signed-in engineer and prints the best and median server time of
`--runs` requests (the first request of each page is a warm-up and not counted). Target from
the issue: register page and matrix under 300 ms at 10,000 hazardous situations.

Building the file takes about two minutes on SQLite. With SAMSVAR_DATA_DIR set to a directory of
your own and `--reuse`, a second run measures the file the first one left there.

Runs against a throwaway installation: SQLite in a temporary data directory by default, or,
with SAMSVAR_DATABASE_URL=postgres://..., a temporary `test_<name>` database that Django's test
machinery creates and drops. Not a test: it asserts nothing about time.
"""

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH_DEVICE = "Bench infusion pump"
BENCH_USER = "bench-engineer"
CATEGORIES = (
    "energy.electrical",
    "energy.mechanical",
    "biological_chemical.toxic",
    "operational.incorrect_output",
    "information.labelling",
    "",
)


def setup_django() -> None:
    sys.path[:0] = [str(REPO), str(REPO / "src")]
    os.environ.setdefault("SAMSVAR_MODE", "dev")
    os.environ.setdefault("SAMSVAR_DATA_DIR", tempfile.mkdtemp(prefix="samsvar-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "samsvar.settings"
    import django

    django.setup()


def known_categories() -> list[str]:
    from samsvar.regulatory.risk import catalogue

    keys = {item.key for item in catalogue.all_hazard_categories()}
    return [key for key in CATEGORIES if not key or key in keys] or [""]


def build_file(situations: int, per_hazard: int):
    """A device with `situations` hazardous situations, built through the services."""
    from samsvar.accounts.services import user_create
    from samsvar.core.audit import audited
    from samsvar.devices.services import device_create
    from samsvar.risk import services

    actor = user_create(
        actor=None,
        username=BENCH_USER,
        password=secrets.token_urlsafe(18),
        full_name="Bench Engineer",
        role="engineer",
        email="bench@example.no",
    )
    device = device_create(
        actor=actor,
        name=BENCH_DEVICE,
        model_number="BIP-1",
        regime="mdr",
        intended_purpose="Continuous subcutaneous insulin infusion.",
        intended_users="lay",
    )
    services.plan_adopt_default(actor=actor, device=device)
    harms = [
        services.harm_create(actor=actor, device=device, name=f"Harm {n + 1}", severity=1 + n % 5)
        for n in range(25)
    ]
    categories = known_categories()
    made = 0
    controlled = []
    hazard_number = 0
    while made < situations:
        with audited(actor=actor, reason="benchmark data"):
            category = categories[hazard_number % len(categories)]
            hazard = services.hazard_create(
                actor=actor,
                device=device,
                title=f"Hazard {hazard_number + 1}",
                category_key=category,
                origin="catalogue" if category else "own",
            )
            batch = []
            for index in range(min(per_hazard, situations - made)):
                situation = services.situation_create(
                    actor=actor,
                    hazard=hazard,
                    sequence_of_events=f"1. Fault {index + 1} occurs. 2. It is not detected.",
                    description=f"The patient is exposed to hazard {hazard_number + 1} "
                    f"in situation {index + 1}.",
                )
                risk = services.risk_create(
                    actor=actor,
                    situation=situation,
                    harm=harms[(made + index) % len(harms)],
                    p1=1 + (made + index) % 5,
                    p2=1 + (made // 7 + index) % 5,
                    afap_justification="" if index % 3 == 0 else "Reduced as far as possible.",
                )
                if index % 3 == 0:
                    batch.append(risk)
            made += min(per_hazard, situations - made)
            if batch:
                services.control_create(
                    actor=actor,
                    device=device,
                    risks=batch,
                    kind="inherent_safety",
                    description=f"Design measure for hazard {hazard_number + 1}",
                    new_risks_reviewed=True,
                )
                for risk in batch:
                    services.risk_update(
                        actor=actor, risk=risk, residual_p1=1, residual_p2=risk.p2 or 1
                    )
                controlled.extend(batch)
        hazard_number += 1
        if hazard_number % 50 == 0:
            print(f"  {made} hazardous situations", flush=True)
    with audited(actor=actor, reason="benchmark data"):
        services.production_info_create(
            actor=actor,
            device=device,
            source="complaint",
            date=dt.date(2026, 5, 4),
            description="Trend of late occlusion alarms.",
            risks=controlled[:40],
            finding="probability_underestimated",
        )
    return actor, device


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=10_000)
    parser.add_argument("--per-hazard", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the file a previous run left (SQLite)"
    )
    args = parser.parse_args()

    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    postgres = connection.vendor == "postgresql"
    if postgres:
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    else:
        call_command("migrate", verbosity=0)
    # Pages are served as in production: static files collected, hashed names from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        start = time.perf_counter()
        from samsvar.devices.models import Device

        device = Device.objects.filter(name=BENCH_DEVICE).first() if args.reuse else None
        reused = device is not None
        if reused:
            actor = get_user_model().objects.get(username=BENCH_USER)
        else:
            actor, device = build_file(args.situations, args.per_hazard)
        build_seconds = time.perf_counter() - start
        from samsvar.risk.models import HazardousSituation, Risk

        count = HazardousSituation.objects.filter(device=device).count()
        risks = Risk.objects.filter(device=device).count()
        print(f"database: {connection.vendor}")
        built = "from a previous run" if reused else f"built in {build_seconds:.1f} s"
        print(f"file of {count} hazardous situations, {risks} risks, {built}")

        client = Client(HTTP_HOST="localhost")
        client.force_login(actor)
        register = reverse("risk:register", args=[device.pk])
        pages = [
            ("register", register),
            ("register, not acceptable", register + "?acceptable=no"),
            ("register, grouped by hazard", register + "?group=hazard"),
            ("register, grouped by level", register + "?group=level&sort=-p"),
            ("register, sorted by residual", register + "?sort=residual"),
            ("register, search", register + "?q=situation+17"),
            ("register, after-control cell", register + "?residual_severity=5&residual_p=1"),
            ("register, page 150", register + "?page=150"),
            ("matrix", reverse("risk:matrix", args=[device.pk])),
            ("traceability", reverse("risk:trace", args=[device.pk])),
            ("traceability, page 20", reverse("risk:trace", args=[device.pk]) + "?page=20"),
            ("post-production", reverse("risk:postmarket", args=[device.pk])),
        ]
        print(f"{'page':34} {'best ms':>9} {'median ms':>10} {'KB':>7}")
        for label, url in pages:
            best, median, size = timed(client, url, args.runs)
            print(f"{label:34} {best * 1000:9.0f} {median * 1000:10.0f} {size / 1024:7.0f}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
