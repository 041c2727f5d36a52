"""The Excel round trip of the risk table: export, edit, import; every row checked, errors by
row and column, nothing imported when any row is invalid."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook, load_workbook

from samsvar.core.models import AuditEvent
from samsvar.risk import services, xlsx
from samsvar.risk.models import ControlMeasure, Harm, Hazard, HazardousSituation, Risk
from tests.risk.conftest import approve


class Table:
    """An exported workbook opened for editing, addressed by column heading."""

    def __init__(self, content: bytes):
        self.workbook = load_workbook(io.BytesIO(content))
        self.sheet = self.workbook["Risks"]
        self.header = [cell.value for cell in self.sheet[1]]

    def column(self, heading: str) -> int:
        return self.header.index(heading) + 1

    def get(self, row: int, heading: str):
        return self.sheet.cell(row=row, column=self.column(heading)).value

    def set(self, row: int, heading: str, value) -> None:
        self.sheet.cell(row=row, column=self.column(heading)).value = value

    def rows(self) -> list[dict]:
        return [
            dict(zip(self.header, values, strict=False))
            for values in self.sheet.iter_rows(min_row=2, values_only=True)
        ]

    def row_of(self, heading: str, value) -> int:
        return next(r for r in range(2, self.sheet.max_row + 1) if self.get(r, heading) == value)

    def append(self, **cells) -> int:
        row = self.sheet.max_row + 1
        for heading, value in cells.items():
            self.set(row, heading, value)
        return row

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def snapshot():
    return (
        list(Risk.objects.order_by("pk").values()),
        list(Hazard.objects.order_by("pk").values()),
        list(HazardousSituation.objects.order_by("pk").values()),
        list(Harm.objects.order_by("pk").values()),
        sorted(ControlMeasure.risks.through.objects.values_list("risk_id", "controlmeasure_id")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def file(build, engineer, device):
    """Two hazards: one with a situation, two harms and a controlled risk; one on its own."""
    hazard = build.hazard(category_key="energy.electrical", origin="catalogue", title="Leakage")
    situation = build.situation(hazard, description="The patient touches the enclosure.")
    shock = build.harm(severity=4, name="Electric shock")
    burn = build.harm(severity=2, name="Burn")
    controlled = build.risk(situation=situation, harm=shock, p1=5, p2=4)
    plain = build.risk(situation=situation, harm=burn, p1=1, p2=1, afap_justification="Minimal.")
    control = build.control([controlled], kind="inherent_safety")
    services.risk_update(actor=engineer, risk=controlled, residual_p1=1, residual_p2=1)
    lonely = build.hazard(title="Noise")
    controlled.refresh_from_db()
    plain.refresh_from_db()
    return {
        "hazard": hazard,
        "situation": situation,
        "controlled": controlled,
        "plain": plain,
        "control": control,
        "lonely": lonely,
        "shock": shock,
    }


def run(engineer, device, content, reason="Imported from the table"):
    return xlsx.import_risk_table(actor=engineer, device=device, data=content, reason=reason)


# --- Export -----------------------------------------------------------------------------------


def test_the_export_has_a_row_per_risk_and_for_hazards_without_situations(file, device):
    table = Table(xlsx.export_risk_table(device))
    assert table.workbook.sheetnames == ["Risks", "Read me"]
    rows = table.rows()
    assert len(rows) == 3
    controlled = next(r for r in rows if r["ID"] == file["controlled"].pk)
    assert controlled["Risk no."] == "R-001"
    assert (controlled["Hazard no."], controlled["Hazard category"], controlled["Hazard"]) == (
        "H-001",
        "energy.electrical",
        "Leakage",
    )
    assert controlled["Situation no."] == "HS-001"
    assert controlled["Hazardous situation"] == "The patient touches the enclosure."
    assert (controlled["Harm"], controlled["Severity"]) == ("Electric shock", 4)
    assert (controlled["P1"], controlled["P2"], controlled["P"]) == (5, 4, 3)
    assert controlled["Level before control"] == "Not acceptable"
    assert controlled["Control measures"] == "RC-001"
    assert (controlled["Residual P1"], controlled["Residual P"]) == (1, 1)
    assert controlled["Level after control"] == "Acceptable"
    assert controlled["Disclose"] == "no"
    lonely = rows[-1]
    assert lonely["Hazard no."] == "H-002" and lonely["ID"] is None and lonely["Harm"] is None


def test_the_export_freezes_the_header_and_offers_the_policy_ranks(file, device):
    table = Table(xlsx.export_risk_table(device))
    assert table.sheet.freeze_panes == "C2"
    lists = {str(v.sqref): v.formula1 for v in table.sheet.data_validations.dataValidation}
    p1 = next(
        ref
        for ref in lists
        if ref.startswith(table.sheet.cell(1, table.column("P1")).column_letter)
    )
    assert lists[p1] == '"1,2,3,4,5"'
    readme = [
        [cell for cell in row if cell is not None]
        for row in table.workbook["Read me"].iter_rows(values_only=True)
    ]
    texts = " ".join(str(v) for row in readme for v in row)
    assert "Severity scale" in texts and "Catastrophic" in texts
    editable = {row[0]: row[1] for row in readme if len(row) == 3 and row[1] in ("yes", "no")}
    assert (editable["P1"], editable["P"], editable["ID"]) == ("yes", "no", "yes")
    assert any(row[:2] == ["energy.electrical", "Electrical energy"] for row in readme if row)


def test_text_that_looks_like_a_formula_stays_text(build, device, engineer):
    hazard = build.hazard(title='=HYPERLINK("http://example.com")')
    build.situation(hazard, description="+1 exposure")
    content = xlsx.export_risk_table(device)
    sheet = load_workbook(io.BytesIO(content))["Risks"]
    cell = sheet["E2"]
    assert cell.value == '=HYPERLINK("http://example.com")' and cell.data_type == "s"
    before = snapshot()
    result = run(engineer, device, content)
    assert result.ok, result.errors
    assert snapshot() == before


def test_the_export_follows_the_language(file, device):
    with translation.override("nb"):
        content = xlsx.export_risk_table(device)
    workbook = load_workbook(io.BytesIO(content))
    with translation.override("nb"):
        labels = [str(column.label) for column in xlsx.COLUMNS]
        sheet = str(xlsx.SHEET_RISKS)
    assert workbook.sheetnames[0] == sheet
    assert [cell.value for cell in workbook.worksheets[0][1]] == labels


# --- Round trip -------------------------------------------------------------------------------


def test_an_unchanged_export_imports_without_any_change(file, device, engineer):
    before = snapshot()
    result = run(engineer, device, xlsx.export_risk_table(device))
    assert result.ok, result.errors
    assert result.unchanged == 2
    assert sum(result.created.values()) == sum(result.updated.values()) == 0
    assert snapshot() == before


def test_text_typed_in_a_browser_round_trips_unchanged(build, device, engineer):
    hazard = build.hazard(title="Occlusion")
    situation = build.situation(hazard, sequence_of_events="1. Line kinks.\r\n2. No alarm.")
    build.risk(situation=situation, afap_justification="Alarm at\r\n2 units.")
    table = Table(xlsx.export_risk_table(device))
    # A spreadsheet program saves line ends as LF.
    for row in table.sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace("\r\n", "\n")
    assert table.get(2, "Sequence of events") == "1. Line kinks.\n2. No alarm."
    before = snapshot()
    result = run(engineer, device, table.bytes())
    assert result.ok and result.unchanged == 1, result.errors
    assert snapshot() == before


def test_a_norwegian_export_imports_too(file, device, engineer):
    with translation.override("nb"):
        content = xlsx.export_risk_table(device)
    before = snapshot()
    assert run(engineer, device, content).ok
    assert snapshot() == before


def test_edited_estimates_are_imported_and_levels_computed(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    row = table.row_of("ID", file["plain"].pk)
    table.set(row, "P1", 5)
    table.set(row, "P2", 5)
    table.set(row, "P", 1)  # computed: never read
    table.set(row, "Disclose", "yes")
    table.set(row, "Disclosure text", "Burns are possible.")
    result = run(engineer, device, table.bytes())
    assert result.ok, result.errors
    assert result.updated["risks"] == 1 and result.unchanged == 1
    risk = Risk.objects.get(pk=file["plain"].pk)
    # Severity 2 at P5 is the one cell of row S2 that the default matrix does not accept.
    assert (risk.p1, risk.p2, risk.p, risk.initial_acceptable) == (5, 5, 5, False)
    assert risk.disclose is True and risk.disclosure_text == "Burns are possible."
    events = AuditEvent.objects.filter(object_type="risk.risk", object_id=str(risk.pk))
    event = events.order_by("seq").last()
    assert event.reason == "Imported from the table"
    assert event.changes["p1"] == [1, 5]


def test_new_rows_create_hazards_situations_harms_and_risks(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    for harm, p1 in (("Crush injury", 2), ("Bruise", 3)):
        table.append(
            **{
                "Hazard category": "Mechanical force",
                "Hazard": "Moving parts",
                "Sequence of events": "1. Cover open. 2. Finger inside.",
                "Hazardous situation": "Finger near the gear.",
                "Harm": harm,
                "Severity": 3 if harm == "Bruise" else 4,
                "P1": p1,
                "P2": 2,
            }
        )
    table.append(**{"Hazard no.": "H-002", "Hazardous situation": "Loud alarm at night."})
    table.append(
        **{"Hazard no.": "H-001", "Situation no.": "HS-001", "Harm": "Bruise", "P1": 1, "P2": 1}
    )
    result = run(engineer, device, table.bytes())
    assert result.ok, result.errors
    assert result.created == {"hazards": 1, "situations": 2, "harms": 2, "risks": 3, "controls": 0}
    moving = Hazard.objects.get(title="Moving parts")
    assert (moving.code, moving.category_key, moving.origin) == (
        "H-003",
        "energy.mechanical",
        "catalogue",
    )
    situation = moving.situations.get()
    assert situation.sequence_of_events == "1. Cover open. 2. Finger inside."
    assert sorted(situation.risks.values_list("harm__name", "p")) == [
        ("Bruise", 1),
        ("Crush injury", 1),
    ]
    assert file["lonely"].situations.get().description == "Loud alarm at night."
    assert Risk.objects.filter(situation=file["situation"], harm__name="Bruise").exists()
    assert Harm.objects.get(name="Crush injury").severity == 4


def test_shared_records_change_once_for_every_row(file, device, engineer, build):
    other = build.situation(file["hazard"], description="Cable pulled out.")
    build.risk(situation=other, harm=file["shock"], p1=2, p2=2)
    table = Table(xlsx.export_risk_table(device))
    for row in range(2, table.sheet.max_row + 1):
        if table.get(row, "Hazard no.") == "H-001":
            table.set(row, "Hazard", "Leakage current")
        if table.get(row, "Harm") == "Electric shock":
            table.set(row, "Severity", 5)
    result = run(engineer, device, table.bytes())
    assert result.ok, result.errors
    assert result.updated["hazards"] == 1 and result.updated["harms"] == 1
    assert Hazard.objects.get(pk=file["hazard"].pk).title == "Leakage current"
    assert set(Risk.objects.filter(harm=file["shock"]).values_list("severity", flat=True)) == {5}


def test_rows_that_disagree_about_a_shared_record_are_refused(file, device, engineer, build):
    other = build.situation(file["hazard"], description="Cable pulled out.")
    build.risk(situation=other, harm=file["shock"], p1=2, p2=2)
    table = Table(xlsx.export_risk_table(device))
    shocks = [
        r for r in range(2, table.sheet.max_row + 1) if table.get(r, "Harm") == "Electric shock"
    ]
    table.set(shocks[0], "Severity", 5)
    table.set(shocks[1], "Severity", 3)
    before = snapshot()
    result = run(engineer, device, table.bytes())
    assert [(e.row, e.column) for e in result.errors] == [(shocks[1], "Severity")]
    assert str(shocks[0]) in result.errors[0].message
    assert snapshot() == before


# --- Controls and the rationale ---------------------------------------------------------------


def test_a_lower_priority_control_needs_the_rationale_in_the_same_row(
    file, device, engineer, build
):
    info = build.control([], kind="information")
    table = Table(xlsx.export_risk_table(device))
    row = table.row_of("ID", file["plain"].pk)
    table.set(row, "Control measures", info.code)
    before = snapshot()
    result = run(engineer, device, table.bytes())
    assert [(e.row, e.column) for e in result.errors] == [
        (row, "Rationale for the control options")
    ]
    assert snapshot() == before
    table.set(row, "Rationale for the control options", "No design change is practicable.")
    result = run(engineer, device, table.bytes())
    assert result.ok, result.errors
    risk = Risk.objects.get(pk=file["plain"].pk)
    assert list(risk.controls.all()) == [info]
    assert risk.control_option_rationale == "No design change is practicable."
    assert result.updated["controls"] == 1


def test_removing_a_lower_priority_control_and_its_rationale_together(
    file, device, engineer, build
):
    services.risk_update(actor=engineer, risk=file["plain"], control_option_rationale="IFU only.")
    info = build.control([file["plain"]], kind="information")
    design = build.control([], kind="inherent_safety")
    table = Table(xlsx.export_risk_table(device))
    row = table.row_of("ID", file["plain"].pk)
    assert table.get(row, "Control measures") == info.code
    table.set(row, "Control measures", design.code)
    table.set(row, "Rationale for the control options", None)
    result = run(engineer, device, table.bytes())
    assert result.ok, result.errors
    risk = Risk.objects.get(pk=file["plain"].pk)
    assert list(risk.controls.all()) == [design]
    assert risk.control_option_rationale == ""
    assert result.updated["risks"] == 1 and result.updated["controls"] == 2


# --- Errors: every row, nothing imported ------------------------------------------------------


def test_every_invalid_row_is_reported_and_nothing_is_imported(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    controlled = table.row_of("ID", file["controlled"].pk)
    plain = table.row_of("ID", file["plain"].pk)
    table.set(controlled, "P1", 9)  # off the scale: found by the service
    table.set(plain, "P2", "often")  # not a number: found when reading
    table.set(plain, "Residual P1", 2)  # found by the service, once the P2 error is fixed
    bad_id = table.append(
        **{"ID": 999999, "Hazard no.": "H-001", "Situation no.": "HS-001", "Harm": "Burn"}
    )
    unknown = table.append(**{"Hazard no.": "H-042", "Hazardous situation": "X", "Harm": "Y"})
    formula = table.append(**{"Hazard": "New", "Hazardous situation": "=A1", "Harm": "Burn"})
    good = table.append(
        **{
            "Hazard": "Good new hazard",
            "Hazardous situation": "Fine.",
            "Harm": "Burn",
            "P1": 1,
            "P2": 1,
        }
    )
    before = snapshot()
    result = run(engineer, device, table.bytes())
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (controlled, "P1"),
        (plain, "P2"),
        (bad_id, "ID"),
        (unknown, "Hazard no."),
        (formula, "Hazardous situation"),
    }
    assert good not in {row for row, _column in found}
    assert result.created == dict.fromkeys(xlsx.KINDS, 0)
    assert snapshot() == before
    assert "H-042" in next(e.message for e in result.errors if e.row == unknown)
    assert str(result.errors[0]).startswith(f"Row {controlled}")


def test_service_errors_of_several_rows_are_all_reported(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    for risk in ("controlled", "plain"):
        table.set(table.row_of("ID", file[risk].pk), "P2", None)
    before = snapshot()
    result = run(engineer, device, table.bytes())
    assert sorted((e.row, e.column) for e in result.errors) == [(2, "P2"), (3, "P2")]
    assert all("P1 and P2" in e.message for e in result.errors)
    assert snapshot() == before


def test_a_risk_keeps_its_situation_and_harm(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    row = table.row_of("ID", file["plain"].pk)
    table.set(row, "Harm", "Electric shock")
    result = run(engineer, device, table.bytes())
    assert [(e.row, e.column) for e in result.errors] == [(row, "Harm")]
    assert "R-002" in result.errors[0].message


def test_a_duplicate_id_is_refused(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    row = table.row_of("ID", file["plain"].pk)
    copy = table.append(**{h: table.get(row, h) for h in table.header if h})
    result = run(engineer, device, table.bytes())
    assert [(e.row, e.column) for e in result.errors] == [(copy, "ID")]


def test_a_signed_risk_needs_a_reason(file, device, engineer, approver):
    approve(file["plain"], approver)
    table = Table(xlsx.export_risk_table(device))
    table.set(table.row_of("ID", file["plain"].pk), "P1", 2)
    refused = run(engineer, device, table.bytes(), reason="")
    assert refused.errors and "reason" in refused.errors[0].message.lower()
    assert run(engineer, device, table.bytes(), reason="Re-estimated").ok
    assert Risk.objects.get(pk=file["plain"].pk).version == 2


def test_only_people_who_may_change_risk_files_may_import(file, device, auditor):
    with pytest.raises(PermissionDenied):
        xlsx.import_risk_table(actor=auditor, device=device, data=xlsx.export_risk_table(device))


# --- Bad files --------------------------------------------------------------------------------


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def only_sheet(title, header):
    def build(workbook):
        workbook.active.title = title
        workbook.active.append(header)

    return build


FULL = [str(c.label) for c in xlsx.COLUMNS]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"ID;P1\n1;2\n", "not an Excel workbook"),
        (zip_bytes(**{"word/document.xml": "<w/>"}), "not an Excel workbook"),
        (zip_bytes(**{"xl/workbook.xml": "<broken"}), "damaged"),
        (workbook_bytes(only_sheet("Sheet1", FULL)), "no sheet"),
        (workbook_bytes(only_sheet("Risks", [])), "is empty"),
        (workbook_bytes(only_sheet("Risks", FULL[:5])), "Missing columns: Situation no."),
        (workbook_bytes(only_sheet("Risks", [*FULL, "Colour"])), "Unknown column"),
        (workbook_bytes(only_sheet("Risks", [*FULL, "P1"])), "appears twice"),
    ],
)
def test_bad_files_get_a_clear_answer(data, words, file, device, engineer):
    before = snapshot()
    result = run(engineer, device, data)
    assert not result.ok
    assert any(words in e.message for e in result.errors), result.errors
    assert snapshot() == before


def test_huge_files_are_refused_before_reading(file, device, engineer, monkeypatch):
    content = xlsx.export_risk_table(device)
    monkeypatch.setattr(xlsx, "MAX_BYTES", len(content) - 1)
    assert "larger than" in run(engineer, device, content).errors[0].message
    monkeypatch.setattr(xlsx, "MAX_BYTES", 10**9)
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1000)
    assert "unpacked" in run(engineer, device, content).errors[0].message
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 10**9)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1)
    assert "more than 1 rows" in run(engineer, device, content).errors[0].message


def test_values_in_a_column_without_heading_are_refused(file, device, engineer):
    table = Table(xlsx.export_risk_table(device))
    table.sheet.cell(row=2, column=len(table.header) + 2, value="stray note")
    result = run(engineer, device, table.bytes())
    assert [(e.row, e.message) for e in result.errors] == [(2, "This column has no heading.")]
