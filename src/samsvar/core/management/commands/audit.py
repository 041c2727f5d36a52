"""`samsvar audit verify` proves the audit trail; `samsvar audit export` writes it as CSV.

ISO 13485 4.2.5 and Part 11 §11.10(e): the trail must be complete and unaltered, and inspectors
must be able to get a copy. `verify` recomputes the hash chain from the first event and names
the first sequence number that is wrong; it exits 1 if the chain is broken.
"""

import csv

from django.core.management.base import BaseCommand, CommandError

from samsvar.core.audit import CSV_HEADER, csv_row, verify_chain
from samsvar.core.models import AuditEvent


# The same columns as the audit log's CSV export in the web UI.
class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or export the trail as CSV."
    # An operator checks the evidence even while an unrelated system check fails.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,export}")
        actions.add_parser(
            "verify",
            help="Recompute the hash chain; exit 1 and name the first bad event if it is broken.",
        )
        export = actions.add_parser("export", help="Write the whole trail as CSV, oldest first.")
        export.add_argument(
            "-o", "--output", default="-", help="CSV file to write (default: standard output)."
        )

    def handle(self, *args, action, **options):
        if action == "verify":
            return self.verify()
        return self.export(options["output"])

    def verify(self):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit trail BROKEN at event {result.first_bad_seq}: {result.problem} "
                f"({result.count} events before it verified)",
                returncode=1,
            )
        self.stdout.write(
            f"audit trail intact: {result.count} events, head sha256 {result.head_hash}"
        )

    def export(self, output: str):
        if output == "-":
            write_csv(self.stdout)
            return
        try:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                count = write_csv(handle)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        self.stdout.write(f"{count} audit events written to {output}")


def write_csv(handle) -> int:
    """Stream the whole trail, oldest first; return the number of events written."""
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        writer.writerow(csv_row(event))
        count += 1
    return count
