"""`samsvar documents index -o FILE.xlsx|FILE.csv` writes the document index; `samsvar documents
activate` makes effective the approved revisions whose planned date has come; `samsvar
documents reindex` rebuilds the full-text search index.

ISO 13485 4.2.4: the index (number, title, type, revision, status, effective date, owner, next
review) is the list an auditor asks for first. `activate` is meant for a daily timer, so a
revision approved for Monday is issued on Monday even if nobody opens samsvar.
"""

import csv
import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from samsvar.documents.search import reindex_all
from samsvar.documents.selectors import INDEX_HEADER, document_index
from samsvar.documents.services import revisions_activate_due

FORMATS = (".xlsx", ".csv")


class Command(BaseCommand):
    help = (
        "Document control: write the document index (index -o FILE.xlsx or FILE.csv), make "
        "due revisions effective (activate), or rebuild the search index (reindex)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{index,activate,reindex}"
        )
        index = actions.add_parser(
            "index", help="Write the document index as XLSX or CSV (by the file's suffix)."
        )
        index.add_argument("-o", "--output", required=True, help="FILE.xlsx or FILE.csv")
        index.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the column names and values (default: %(default)s).",
        )
        activate = actions.add_parser(
            "activate",
            help="Make effective every approved revision whose planned effective date has come.",
        )
        activate.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD); default: today."
        )
        actions.add_parser("reindex", help="Rebuild the full-text search index of all documents.")

    def handle(self, *args, action, **options):
        if action == "index":
            return self.index(options["output"], options["language"])
        if action == "activate":
            return self.activate(options.get("date"))
        count = reindex_all()
        self.stdout.write(f"search index rebuilt for {count} documents")

    def index(self, output: str, language: str):
        path = Path(output)
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise CommandError(
                f"cannot write {output}: the file name must end in .xlsx or .csv", returncode=2
            )
        with translation.override(language):
            header = [str(title) for title in INDEX_HEADER]
            rows = document_index()
            content = xlsx(header, rows) if suffix == ".xlsx" else csv_bytes(header, rows)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        self.stdout.write(f"{len(rows)} documents written to {output}")

    def activate(self, date: str | None):
        today = timezone.localdate()
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    f"--date {date!r} is not a date; write YYYY-MM-DD", returncode=2
                ) from None
        done = revisions_activate_due(today=today)
        for revision in done:
            self.stdout.write(f"{revision} is effective")
        self.stdout.write(f"{len(done)} revision(s) made effective")


def inert(value):
    """A cell value a spreadsheet will not run as a formula (a title may start with "=")."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx(header: list[str], rows: list[tuple]) -> bytes:
    from samsvar.reports.render import xlsx_bytes

    title = translation.gettext("Document index")
    return xlsx_bytes([(title, header, [[inert(v) for v in row] for row in rows])])


def csv_bytes(header: list[str], rows: list[tuple]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else inert(value) for value in row])
    # With a byte order mark, spreadsheet programs open the UTF-8 (æ, ø, å) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
