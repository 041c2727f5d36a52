"""Benchmark: appending to the hash-chained audit trail and verifying it.

    python bench/bench_audit.py [--events 20000] [--batch 500]

Runs against a throwaway installation: SQLite in a temporary data directory by default, or,
with SAMSVAR_DATABASE_URL=postgres://..., a temporary `test_<name>` database that Django's test
machinery creates and drops. Prints events per second for append and for `verify_chain`, and
the time to back up and restore the resulting database.
Not a test: it asserts nothing about time.
"""

import argparse
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events to append")
    parser.add_argument("--batch", type=int, default=500, help="events per transaction")
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from samsvar.core.audit import audited, record_event, verify_chain
    from samsvar.core.backup import create_backup, restore_backup
    from samsvar.core.events import Event

    postgres = connection.vendor == "postgresql"
    if postgres:
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    try:
        start = time.perf_counter()
        written = 0
        while written < args.events:
            size = min(args.batch, args.events - written)
            with audited(actor=None, reason="benchmark"):
                for n in range(size):
                    record_event(
                        Event.RECORD_UPDATED,
                        action="update",
                        object_type="devices.device",
                        object_id=str(n % 50 + 1),
                        object_repr=f"Bench device {n % 50 + 1}",
                        changes={"model_number": [f"M-{written + n}", f"M-{written + n + 1}"]},
                    )
            written += size
        append_seconds = time.perf_counter() - start

        start = time.perf_counter()
        result = verify_chain()
        verify_seconds = time.perf_counter() - start

        with tempfile.TemporaryDirectory(prefix="samsvar-bench-backup-") as folder:
            archive = Path(folder) / "bench.tar.gz"
            start = time.perf_counter()
            create_backup(archive, media_root=Path(folder) / "media")
            backup_seconds = time.perf_counter() - start
            size = archive.stat().st_size
            start = time.perf_counter()
            restore_backup(archive, media_root=Path(folder) / "media")
            restore_seconds = time.perf_counter() - start
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}")
    print(
        f"append: {written} events in {append_seconds:.2f} s = "
        f"{written / append_seconds:,.0f} events/s (batches of {args.batch})"
    )
    state = "intact" if result.ok else f"BROKEN at {result.first_bad_seq}"
    print(
        f"verify: {result.count} events in {verify_seconds:.2f} s = "
        f"{result.count / verify_seconds:,.0f} events/s (chain {state})"
    )
    print(f"backup: {backup_seconds:.2f} s, archive {size / 1e6:.1f} MB")
    print(f"restore (checks, load, verify): {restore_seconds:.2f} s")


if __name__ == "__main__":
    main()
