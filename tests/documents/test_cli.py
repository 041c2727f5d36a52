"""`samsvar documents index -o FILE.xlsx|FILE.csv`, `samsvar documents activate` and
`samsvar documents reindex`."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from samsvar.documents import services
from samsvar.documents.models import Revision
from samsvar.documents.search import document_search

TODAY = timezone.localdate()


@pytest.fixture
def register(desk, users):
    effective = desk.effective_document(title="Document control")
    desk.revise(effective)
    desk.document(
        doc_type="external",
        title="Medical devices — Quality management systems",
        publisher="CEN",
        edition="EN ISO 13485:2016 + A11:2021",
        owner=users["regulatory_affairs"],
    )
    withdrawn = desk.effective_document(title='=HYPERLINK("http://example.com")')
    services.document_obsolete(actor=desk.quality, document=withdrawn, reason="Merged")
    return effective


def run(*args):
    out = io.StringIO()
    call_command("documents", *args, stdout=out)
    return out.getvalue()


def test_the_index_as_xlsx(register, tmp_path):
    target = tmp_path / "index.xlsx"
    assert "3 documents written" in run("index", "-o", str(target))
    sheet = load_workbook(target).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Number", "Title", "Type", "Revision", "Status", "Effective date", "Owner", "Next review",
    ]  # fmt: skip
    effective = rows[2]
    assert effective[:5] == ["SOP-001", "Document control", "Procedure (SOP)", "B", "Effective"]
    assert effective[5].date() == TODAY
    assert effective[6] == "Quality Manager Person"
    assert effective[7].date() == TODAY.replace(year=TODAY.year + 2)
    assert rows[1][:5] == [
        "EXT-001",
        "Medical devices — Quality management systems",
        "External document",
        "A",
        "Draft",
    ]
    assert rows[1][5] is None
    # A title that looks like a formula stays text.
    assert rows[3][1] == '\'=HYPERLINK("http://example.com")'
    assert rows[3][4] == "Obsolete"


def test_the_index_as_csv_in_norwegian(register, tmp_path):
    target = tmp_path / "index.CSV"
    run("index", "-o", str(target), "--language", "nb")
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 4
    assert rows[2][0] == "SOP-001" and rows[2][3] == "B"
    assert rows[2][5] == TODAY.isoformat()


@pytest.mark.parametrize("name", ["index.pdf", "index", "index.xlsx.txt"])
def test_an_unknown_suffix_is_refused_with_the_reason(register, tmp_path, name):
    with pytest.raises(CommandError, match=r"must end in \.xlsx or \.csv") as error:
        run("index", "-o", str(tmp_path / name))
    assert error.value.returncode == 2
    assert not (tmp_path / name).exists()


def test_an_unwritable_file_is_reported(register, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        run("index", "-o", str(tmp_path / "missing" / "index.csv"))


def test_activate_makes_due_revisions_effective(desk):
    document = desk.document(effective_date=TODAY + dt.timedelta(days=3))
    desk.approve(desk.draft(document))
    assert "0 revision(s) made effective" in run("activate")
    out = run("activate", "--date", (TODAY + dt.timedelta(days=3)).isoformat())
    assert "SOP-001 rev. A is effective" in out
    assert Revision.objects.get(document=document).status == "effective"


def test_activate_refuses_a_bad_date(desk):
    with pytest.raises(CommandError, match="not a date"):
        run("activate", "--date", "tomorrow")


def test_reindex_rebuilds_the_search_index(register, desk):
    from samsvar.documents.models import SearchEntry

    SearchEntry.objects.all().delete()
    assert len(document_search(user=desk.quality, q="control")) == 0
    assert "search index rebuilt for 3 documents" in run("reindex")
    assert [d.number for d in document_search(user=desk.quality, q="control")] == ["SOP-001"]
