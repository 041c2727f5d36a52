"""The risk table of a device as an Excel workbook, and back (ISO 14971:2019 5-7).

`export_risk_table(device)` writes the sheet "Risks" (one row per risk: hazard, hazardous
situation, harm, the estimate before control, the control measures, the estimate after control,
the "as far as possible" justification and the disclosure), a row for each hazard without
hazardous situations and each hazardous situation without risks, and a "Read me" sheet that
explains the columns and the plan's policy. It streams (openpyxl write-only mode), so a file of
ten thousand hazardous situations is written in seconds.

`import_risk_table(actor=..., device=..., data=...)` reads an edited copy back. Every row is
checked, first on its own and against the file, then by the services themselves inside one
transaction; if any row has an error, the transaction is rolled back and every error is reported
by row and column, so either the whole table is imported or nothing is. A row with an ID updates
that risk; a row without one adds a risk, and the hazard, hazardous situation and harm it names
by number or by name. The computed columns (P, the levels) are never read: the services compute
them from the plan's policy.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.audit import audited
from samsvar.devices.models import Device
from samsvar.regulatory.risk import RiskPolicy, catalogue, lower_priority_needs_rationale
from samsvar.regulatory.risk.gap import RISK, Ref
from samsvar.risk import services
from samsvar.risk.models import (
    ControlMeasure,
    Harm,
    Hazard,
    HazardOrigin,
    HazardousSituation,
    Risk,
    code,
)
from samsvar.risk.selectors import plan_for, plan_policy

SHEET_RISKS = gettext_lazy("Risks")
SHEET_README = gettext_lazy("Read me")

# Limits that keep a bad or hostile file from exhausting the server; a real risk file is far
# below them (10,000 hazardous situations export to about 1.5 MB).
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 250 * 1024 * 1024
MAX_ROWS = 50_000
# Rows below the table that keep the dropdowns, so rows added in a spreadsheet have them too.
SPARE_ROWS = 1000


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    help: object
    editable: bool = True
    width: int = 14


COLUMNS = (
    Column(
        "id",
        gettext_lazy("ID"),
        gettext_lazy(
            "samsvar's id of the risk. Keep it to update the risk; leave it empty on a new row."
        ),
        width=8,
    ),
    Column("risk", gettext_lazy("Risk no."), gettext_lazy("The risk's number."), False, 10),
    Column(
        "hazard_no",
        gettext_lazy("Hazard no."),
        gettext_lazy("H-001, ... Empty for a new hazard."),
        width=11,
    ),
    Column(
        "category",
        gettext_lazy("Hazard category"),
        gettext_lazy(
            "Key of a hazard category (listed below); empty for the manufacturer's own hazard."
        ),
        width=22,
    ),
    Column("hazard", gettext_lazy("Hazard"), gettext_lazy("Title of the hazard."), width=30),
    Column(
        "situation_no",
        gettext_lazy("Situation no."),
        gettext_lazy("HS-001, ... Empty for a new hazardous situation."),
        width=12,
    ),
    Column(
        "sequence",
        gettext_lazy("Sequence of events"),
        gettext_lazy("The foreseeable sequence of events that leads to the hazardous situation."),
        width=40,
    ),
    Column(
        "situation",
        gettext_lazy("Hazardous situation"),
        gettext_lazy("The circumstance in which people are exposed to the hazard."),
        width=40,
    ),
    Column(
        "harm",
        gettext_lazy("Harm"),
        gettext_lazy(
            "Name of the harm; a new name adds a harm. Empty on a row for a hazard or "
            "hazardous situation alone."
        ),
        width=28,
    ),
    Column(
        "severity",
        gettext_lazy("Severity"),
        gettext_lazy("Severity of the harm on the plan's severity scale."),
        width=10,
    ),
    Column(
        "p1",
        gettext_lazy("P1"),
        gettext_lazy("Probability that the hazardous situation occurs."),
        width=6,
    ),
    Column(
        "p2",
        gettext_lazy("P2"),
        gettext_lazy("Probability that the hazardous situation leads to the harm."),
        width=6,
    ),
    Column("p", gettext_lazy("P"), gettext_lazy("P1 x P2 by the plan's table."), False, 6),
    Column(
        "level",
        gettext_lazy("Level before control"),
        gettext_lazy("Acceptability before control, from the plan's matrix."),
        False,
        16,
    ),
    Column(
        "controls",
        gettext_lazy("Control measures"),
        gettext_lazy(
            "Numbers of the risk control measures of the risk (RC-001, RC-004); the "
            "measures themselves are kept in samsvar."
        ),
        width=18,
    ),
    Column(
        "rationale",
        gettext_lazy("Rationale for the control options"),
        gettext_lazy("Why higher-priority control options are not practicable."),
        width=30,
    ),
    Column(
        "residual_p1",
        gettext_lazy("Residual P1"),
        gettext_lazy("P1 after control."),
        width=8,
    ),
    Column(
        "residual_p2",
        gettext_lazy("Residual P2"),
        gettext_lazy("P2 after control."),
        width=8,
    ),
    Column(
        "residual_severity",
        gettext_lazy("Residual severity"),
        gettext_lazy("Only when a control lowers the severity; else empty."),
        width=10,
    ),
    Column("residual_p", gettext_lazy("Residual P"), gettext_lazy("P after control."), False, 8),
    Column(
        "residual_level",
        gettext_lazy("Level after control"),
        gettext_lazy("Acceptability after control, from the plan's matrix."),
        False,
        16,
    ),
    Column(
        "afap",
        gettext_lazy("Justification that further reduction is not possible"),
        gettext_lazy(
            "Why the risk cannot be reduced further without harming the benefit-risk ratio."
        ),
        width=36,
    ),
    Column(
        "disclose",
        gettext_lazy("Disclose"),
        gettext_lazy(
            "yes: a significant residual risk to disclose in the accompanying information."
        ),
        width=9,
    ),
    Column(
        "disclosure",
        gettext_lazy("Disclosure text"),
        gettext_lazy("The wording in the accompanying information."),
        width=36,
    ),
)
COLUMN = {column.key: column for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.editable)

HAZARD_KEYS = ("hazard_no", "category", "hazard")
SITUATION_KEYS = ("situation_no", "sequence", "situation")
RISK_KEYS = (
    "p1",
    "p2",
    "controls",
    "rationale",
    "residual_p1",
    "residual_p2",
    "residual_severity",
    "afap",
    "disclose",
    "disclosure",
)
# Risk columns and the service field each one sets.
RISK_FIELD = {
    "p1": "p1",
    "p2": "p2",
    "residual_p1": "residual_p1",
    "residual_p2": "residual_p2",
    "residual_severity": "residual_severity",
    "afap": "afap_justification",
    "rationale": "control_option_rationale",
    "disclose": "disclose",
    "disclosure": "disclosure_text",
}
# Fields a service names in its errors, and the column that holds them.
HAZARD_COLUMNS = {"title": "hazard", "category_key": "category", "origin": "category"}
SITUATION_COLUMNS = {"description": "situation", "sequence_of_events": "sequence"}
HARM_COLUMNS = {"name": "harm", "severity": "severity"}
RISK_COLUMNS = {
    **{name: key for key, name in RISK_FIELD.items()},
    "situation": "situation_no",
    "harm": "harm",
}
CONTROL_COLUMNS = {"risks": "controls"}


# --- Export -----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _level(acceptable: bool | None) -> str:
    if acceptable is None:
        return ""
    return _("Acceptable") if acceptable else _("Not acceptable")


def _table_rows(device: Device) -> Iterable[dict]:
    """The rows of the sheet, hazard by hazard and situation by situation, in six queries."""
    hazards = Hazard.objects.filter(device=device).order_by("number")
    situations_of = defaultdict(list)
    for situation in (
        HazardousSituation.objects.filter(device=device)
        .order_by("number")
        .values("pk", "hazard_id", "number", "sequence_of_events", "description")
    ):
        situations_of[situation["hazard_id"]].append(situation)
    harms = {
        row["pk"]: row
        for row in Harm.objects.filter(device=device).values("pk", "name", "severity")
    }
    risks_of = defaultdict(list)
    for risk in (
        Risk.objects.filter(device=device)
        .order_by("number")
        .values("pk", "number", "situation_id", "harm_id", "p", "initial_acceptable",
                "residual_p", "residual_acceptable", *RISK_FIELD.values())
    ):  # fmt: skip
        risks_of[risk["situation_id"]].append(risk)
    controls_of = defaultdict(list)
    links = ControlMeasure.risks.through.objects.filter(controlmeasure__device=device)
    for risk_id, number in links.order_by("controlmeasure__number").values_list(
        "risk_id", "controlmeasure__number"
    ):
        controls_of[risk_id].append(code(ControlMeasure.prefix, number))
    for hazard in hazards.values("pk", "number", "category_key", "title"):
        hazard_cells = {
            "hazard_no": code(Hazard.prefix, hazard["number"]),
            "category": hazard["category_key"],
            "hazard": hazard["title"],
        }
        if not situations_of[hazard["pk"]]:
            yield hazard_cells
        for situation in situations_of[hazard["pk"]]:
            situation_cells = {
                **hazard_cells,
                "situation_no": code(HazardousSituation.prefix, situation["number"]),
                "sequence": situation["sequence_of_events"],
                "situation": situation["description"],
            }
            if not risks_of[situation["pk"]]:
                yield situation_cells
            for risk in risks_of[situation["pk"]]:
                harm = harms[risk["harm_id"]]
                yield {
                    **situation_cells,
                    "id": risk["pk"],
                    "risk": code(Risk.prefix, risk["number"]),
                    "harm": harm["name"],
                    "severity": harm["severity"],
                    **{key: risk[name] for key, name in RISK_FIELD.items()},
                    "disclose": _yes_no(risk["disclose"]),
                    "p": risk["p"],
                    "level": _level(risk["initial_acceptable"]),
                    "controls": ", ".join(controls_of[risk["pk"]]),
                    "residual_p": risk["residual_p"],
                    "residual_level": _level(risk["residual_acceptable"]),
                }


def _cell(sheet, value, *, styled: bool = False):
    """A value as the sheet should hold it: text that starts with "=" stays text, never a
    formula, so an imported title cannot run in a spreadsheet program; characters XML cannot
    hold are dropped. A plain value is returned as it is (the fast path of write-only mode)
    unless `styled` asks for a cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value.__class__ is str:
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value[:1] == "=":
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
    return WriteOnlyCell(sheet, value=value) if styled else value


def _header_cells(sheet, labels: Iterable[str], editable: Iterable[bool] | None = None) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    grey = PatternFill("solid", fgColor="D9D9D9")
    flags = list(editable) if editable is not None else None
    cells = []
    for index, label in enumerate(labels):
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        if flags is not None and not flags[index]:
            cell.fill = grey
        cells.append(cell)
    return cells


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMNS.index(COLUMN[key]) + 1)


def _add_list(sheet, formula: str, keys: Iterable[str], last: int, error: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=str(SHEET_RISKS),
        error=error,
    )
    for key in keys:
        validation.add(f"{_letter(key)}2:{_letter(key)}{last}")
    sheet.data_validations.append(validation)


def _write_risks(sheet, rows: list[dict], policy: RiskPolicy | None, categories: str) -> None:
    for column in COLUMNS:
        sheet.column_dimensions[_letter(column.key)].width = column.width
    sheet.freeze_panes = "C2"
    last = len(rows) + 1 + SPARE_ROWS
    if policy is not None:
        severities = ",".join(str(rank) for rank in policy.severity.ranks)
        probabilities = ",".join(str(rank) for rank in policy.probability.ranks)
        _add_list(
            sheet,
            f'"{severities}"',
            ("severity", "residual_severity"),
            last,
            _("Choose a level of the severity scale (%(ranks)s).") % {"ranks": severities},
        )
        _add_list(
            sheet,
            f'"{probabilities}"',
            ("p1", "p2", "residual_p1", "residual_p2"),
            last,
            _("Choose a level of the probability scale (%(ranks)s).") % {"ranks": probabilities},
        )
    _add_list(sheet, f'"{_("yes")},{_("no")}"', ("disclose",), last, _("Write yes or no."))
    _add_list(
        sheet, categories, ("category",), last, _("Choose a hazard category of the catalogue.")
    )
    sheet.auto_filter.ref = f"A1:{_letter(COLUMNS[-1].key)}{max(len(rows) + 1, 2)}"
    sheet.append(
        _header_cells(
            sheet, [str(c.label) for c in COLUMNS], editable=[c.editable for c in COLUMNS]
        )
    )
    keys = [column.key for column in COLUMNS]
    for row in rows:
        sheet.append([_cell(sheet, row[key]) if key in row else None for key in keys])


def _write_readme(sheet, device: Device, policy: RiskPolicy | None) -> tuple[int, int]:
    """The explanation sheet; returns the first and last row of the hazard category keys."""
    from openpyxl.styles import Alignment, Font

    language = get_language() or settings.LANGUAGE_CODE
    for letter, width in zip("ABCDEF", (30, 34, 80, 14, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    lines = 0

    def add(*values, bold: bool = False, wrap: bool = False) -> None:
        nonlocal lines
        cells = []
        for value in values:
            cell = _cell(sheet, value, styled=True)
            if bold:
                cell.font = Font(bold=True)
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        sheet.append(cells)
        lines += 1

    def heading(text: str) -> None:
        add()
        add(text, bold=True)

    plan = plan_for(device)
    add(_("Risk table: %(device)s") % {"device": device.name}, bold=True)
    add(_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    add(
        _("Risk management plan"),
        _("version %(version)s") % {"version": plan.version} if plan else _("none"),
    )
    heading(_("How to use this workbook"))
    for text in (
        _("The sheet “%(sheet)s” has one row per risk: a hazardous situation and a harm it can "
          "lead to. A row for a hazard without hazardous situations, or a hazardous situation "
          "without risks, leaves the harm empty.") % {"sheet": SHEET_RISKS},
        _("Edit the columns with a white heading and import the workbook again. The columns with "
          "a grey heading are computed by samsvar from the plan's policy and are not read."),
        _("Keep the ID of a row to update that risk. For a new risk leave the ID empty. Leave the "
          "hazard or situation number empty to add a new hazard or hazardous situation; rows "
          "with the same title or description share it."),
        _("A risk keeps its hazardous situation and harm. A changed hazard title or category, "
          "situation text or harm severity changes that record on every row that shows it; on "
          "those columns an empty cell leaves the value as it is."),
        _("Every row is checked before anything is saved. If any row has an error, nothing is "
          "imported and every error is listed by row and column."),
    ):  # fmt: skip
        add(text, wrap=True)
    heading(_("Columns"))
    add(_("Column"), _("Editable"), _("Meaning"), bold=True)
    for column in COLUMNS:
        add(str(column.label), _yes_no(column.editable), str(column.help), wrap=True)
    if policy is None:
        heading(_("Acceptability policy"))
        add(_("The device has no risk management plan yet; adopt one before estimating risks."))
    else:
        heading(_("Severity scale"))
        add(_("Level"), _("Name"), _("Definition"), bold=True)
        for level in policy.severity.ordered():
            add(level.rank, level.name(language), level.definition(language), wrap=True)
        heading(
            _("Probability scale (%(basis)s)") % {"basis": policy.probability.basis_text(language)}
        )
        add(_("Level"), _("Name"), _("Definition"), _("From"), _("To"), bold=True)
        for level in policy.probability.ordered():
            add(
                level.rank,
                level.name(language),
                level.definition(language),
                level.low,
                level.high,
                wrap=True,
            )
        heading(_("P from P1 (rows) and P2 (columns)"))
        ranks = policy.probability.ranks
        add("P1 \\ P2", *ranks, bold=True)
        for p1 in ranks:
            add(p1, *(policy.combination.get((p1, p2)) for p2 in ranks))
        heading(_("Acceptability matrix: severity (rows) and P (columns)"))
        add(_("Severity \\ P"), *ranks, bold=True)
        for severity in reversed(policy.severity.ranks):
            add(severity, *(_level(policy.matrix.get((severity, p))) for p in ranks))
    heading(_("Hazard categories"))
    add(_("Key"), _("Category"), bold=True)
    first = lines + 1
    for category in catalogue.all_hazard_categories():
        add(category.key, category.title(language))
    return first, lines


def export_risk_table(device: Device) -> bytes:
    """The risk table of `device` as XLSX bytes, in the active language."""
    from openpyxl import Workbook

    policy = plan_policy(device)
    rows = list(_table_rows(device))
    workbook = Workbook(write_only=True)
    risks = workbook.create_sheet(str(SHEET_RISKS))
    readme = workbook.create_sheet(str(SHEET_README))
    first, last = _write_readme(readme, device, policy)
    categories = f"'{SHEET_README}'!$A${first}:$A${last}"
    _write_risks(risks, rows, policy, categories)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import: results --------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the spreadsheet row (1 is the heading row; 0 the file as a whole), the
    column heading as it is in the file ("" for the whole row) and what is wrong."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


KINDS = ("hazards", "situations", "harms", "risks", "controls")


@dataclass
class ImportResult:
    """What an import did (or, with errors, would have had to refuse: then nothing changed)."""

    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("%(count)s errors; nothing was imported.") % {"count": len(self.errors)}
        return _(
            "Risks: %(risks_created)s created, %(risks_updated)s updated, %(unchanged)s "
            "unchanged. Created: %(hazards)s hazards, %(situations)s hazardous situations, "
            "%(harms)s harms. Updated: %(hazards_updated)s hazards, %(situations_updated)s "
            "hazardous situations, %(harms_updated)s harms, %(controls)s control measures."
        ) % {
            "risks_created": self.created["risks"],
            "risks_updated": self.updated["risks"],
            "unchanged": self.unchanged,
            "hazards": self.created["hazards"],
            "situations": self.created["situations"],
            "harms": self.created["harms"],
            "hazards_updated": self.updated["hazards"],
            "situations_updated": self.updated["situations"],
            "harms_updated": self.updated["harms"],
            "controls": self.updated["controls"],
        }


# --- Import: reading the file -----------------------------------------------------------------


def _norm(value) -> str:
    return " ".join(str(value).split()).casefold()


def _in_every_language(text) -> set[str]:
    found = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found.add(_norm(str(text)))
    return found


def _headings() -> dict[str, str]:
    """Column headings in every language, normalised, to the column key."""
    return {
        heading: column.key for column in COLUMNS for heading in _in_every_language(column.label)
    }


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class Sheet:
    """The rows of the sheet: {column key: cell value} by spreadsheet row number."""

    headings: dict[str, str]  # column key -> heading as written in the file
    rows: list[tuple[int, dict]]


def _open(data: bytes):
    from openpyxl import load_workbook

    if not isinstance(data, bytes | bytearray) or not data:
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    not_xlsx = _("The file is not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileProblem(not_xlsx) from None
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise FileProblem(not_xlsx)
    if sum(member.file_size for member in members) > MAX_UNPACKED:
        raise FileProblem(
            _("The workbook is larger than %(size)s MB unpacked.")
            % {"size": MAX_UNPACKED // (1024 * 1024)}
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook
        raise FileProblem(_("The workbook is damaged and cannot be read.")) from None


def _read(data: bytes) -> tuple[Sheet | None, list[RowError]]:
    """The sheet's rows, or the problems with the file, its sheet and its headings."""
    from openpyxl.utils import get_column_letter

    try:
        workbook = _open(data)
    except FileProblem as problem:
        return None, [RowError(0, "", str(problem))]
    try:
        names = _in_every_language(SHEET_RISKS)
        sheet = next((ws for ws in workbook.worksheets if _norm(ws.title) in names), None)
        if sheet is None:
            return None, [
                RowError(0, "", _("The workbook has no sheet “%(sheet)s”.") % {
                    "sheet": SHEET_RISKS
                })
            ]  # fmt: skip
        return _read_sheet(sheet, get_column_letter)
    except FileProblem as problem:
        return None, [RowError(0, "", str(problem))]
    except Exception:  # a damaged part found only while streaming the rows
        return None, [RowError(0, "", _("The workbook is damaged and cannot be read."))]
    finally:
        workbook.close()


def _read_sheet(sheet, letter_of) -> tuple[Sheet | None, list[RowError]]:
    errors: list[RowError] = []
    rows = sheet.iter_rows()
    header = next(rows, None)
    if header is None:
        raise FileProblem(_("The sheet “%(sheet)s” is empty.") % {"sheet": sheet.title})
    known = _headings()
    by_position: dict[int, str] = {}
    headings: dict[str, str] = {}
    for position, cell in enumerate(header):
        if cell.value is None or str(cell.value).strip() == "":
            continue
        text = " ".join(str(cell.value).split())
        key = known.get(_norm(text))
        if key is None:
            errors.append(RowError(1, text, _("Unknown column.")))
        elif key in headings:
            errors.append(RowError(1, text, _("This column appears twice.")))
        else:
            by_position[position] = key
            headings[key] = text
    missing = [str(COLUMN[key].label) for key in REQUIRED if key not in headings]
    if missing:
        errors.append(
            RowError(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
    if errors:
        return None, errors
    found = []
    for number, cells in enumerate(rows, start=2):
        values = {}
        for position, cell in enumerate(cells):
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            key = by_position.get(position)
            if key is not None and not COLUMN[key].editable:
                continue  # computed by samsvar: never read
            where = headings[key] if key else letter_of(position + 1)
            if cell.data_type == "f":
                errors.append(RowError(number, where, _("Formulas are not read; enter the value.")))
            elif cell.data_type == "e":
                errors.append(RowError(number, where, _("The cell holds an error value.")))
            elif key is None:
                errors.append(RowError(number, where, _("This column has no heading.")))
            else:
                values[key] = value
        if values:
            found.append((number, values))
            if len(found) > MAX_ROWS:
                raise FileProblem(
                    _("The sheet has more than %(count)s rows.") % {"count": MAX_ROWS}
                )
    return Sheet(headings=headings, rows=found), errors


# --- Import: cell values ----------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _whole(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise CellError(_("Enter a whole number."))


def _number(prefix: str) -> Callable:
    pattern = re.compile(rf"(?:{prefix}\s*-?\s*)?0*(\d+)", re.IGNORECASE)

    def parse(value) -> int | None:
        if value is None or value == "":
            return None
        match = None if isinstance(value, bool) else pattern.fullmatch(_text(value))
        if match and int(match.group(1)) > 0:
            return int(match.group(1))
        raise CellError(_("Write the number as %(example)s.") % {"example": code(prefix, 1)})

    return parse


def _controls(value) -> list[int]:
    parse = _number(ControlMeasure.prefix)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [parse(value)]
    tokens = [token for token in re.split(r"[,;\s]+", _text(value)) if token]
    return list(dict.fromkeys(parse(token) for token in tokens))


@functools.cache
def _flag_words() -> tuple[frozenset, frozenset]:
    yes = {"yes", "ja", "true", "sann", "1", "x"} | _in_every_language(gettext_lazy("yes"))
    no = {"no", "nei", "false", "usann", "0", ""} | _in_every_language(gettext_lazy("no"))
    return frozenset(yes), frozenset(no)


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _norm(_text(value))
    yes, no = _flag_words()
    if text in yes:
        return True
    if text in no:
        return False
    raise CellError(_("Write yes or no."))


def _category_names() -> dict[str, str]:
    names = {}
    for category in catalogue.all_hazard_categories():
        for text in (category.key, category.title_en, category.title_nb):
            names.setdefault(_norm(text), category.key)
    return names


PARSERS: dict[str, Callable] = {
    "id": _whole,
    "hazard_no": _number(Hazard.prefix),
    "category": _text,
    "hazard": _text,
    "situation_no": _number(HazardousSituation.prefix),
    "sequence": _text,
    "situation": _text,
    "harm": _text,
    "severity": _whole,
    "p1": _whole,
    "p2": _whole,
    "controls": _controls,
    "rationale": _text,
    "residual_p1": _whole,
    "residual_p2": _whole,
    "residual_severity": _whole,
    "afap": _text,
    "disclose": _flag,
    "disclosure": _text,
}


# --- Import: checking rows against the file ---------------------------------------------------


@dataclass
class Row:
    """One parsed row and the records it resolves to (keys of `Plan`'s groups)."""

    number: int
    cells: dict
    hazard: tuple | None = None
    situation: tuple | None = None
    harm: tuple | None = None
    risk_id: int | None = None
    failed: bool = False

    def get(self, key: str):
        value = self.cells.get(key)
        if value is None:
            return [] if key == "controls" else ("" if key in _TEXT_KEYS else None)
        return value


def _same(stored, value) -> bool:
    """Whether a cell leaves a stored value as it is. Line ends are compared loosely: a text
    typed in a browser holds CR LF, which comes back from the workbook as LF."""
    if isinstance(stored, str) and isinstance(value, str):
        return _lines(stored) == _lines(value)
    return stored == value


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _blank(value) -> bool:
    return value is None or value is False or value in ("", [])


_TEXT_KEYS = {"category", "hazard", "sequence", "situation", "harm", "rationale", "afap",
              "disclosure"}  # fmt: skip


@dataclass
class Group:
    """A hazard, hazardous situation or harm that rows share: the stored values (None for a new
    record), the values the rows give, and the first row that gives them."""

    first: int
    stored: dict | None
    wanted: dict = field(default_factory=dict)
    record: object = None


class Importer:
    """Checks an imported sheet against the device's file, then applies it through the
    services. Errors are collected in `errors`; the caller rolls everything back if any."""

    def __init__(self, *, actor, device: Device, sheet: Sheet):
        self.actor = actor
        self.device = device
        self.headings = sheet.headings
        self.sheet_rows = sheet.rows
        self.errors: list[RowError] = []
        self.result = ImportResult()
        self.language = get_language() or settings.LANGUAGE_CODE
        self._load()

    # The file as stored.

    def _load(self) -> None:
        device = self.device
        self.hazards = {
            row["number"]: row
            for row in Hazard.objects.filter(device=device).values(
                "pk", "number", "category_key", "title", "origin"
            )
        }
        self.hazard_titles = defaultdict(list)
        for row in self.hazards.values():
            self.hazard_titles[_norm(row["title"])].append(row["number"])
        self.situations = {
            row["number"]: row
            for row in HazardousSituation.objects.filter(device=device).values(
                "pk", "number", "hazard_id", "sequence_of_events", "description"
            )
        }
        self.situation_texts = defaultdict(list)
        for row in self.situations.values():
            self.situation_texts[(row["hazard_id"], _norm(row["description"]))].append(
                row["number"]
            )
        self.hazard_numbers = {row["pk"]: number for number, row in self.hazards.items()}
        self.harms = {
            _norm(row["name"]): row
            for row in Harm.objects.filter(device=device).values("pk", "name", "severity")
        }
        self.risks = {
            row["pk"]: row
            for row in Risk.objects.filter(device=device).values(
                "pk", "number", "situation_id", "harm_id", *RISK_FIELD.values()
            )
        }
        self.controls = {
            row["number"]: row
            for row in ControlMeasure.objects.filter(device=device).values("pk", "number", "kind")
        }
        self.control_numbers = {row["pk"]: number for number, row in self.controls.items()}
        self.links = defaultdict(set)  # risk pk -> control pks
        self.linked = defaultdict(set)  # control pk -> risk pks
        through = ControlMeasure.risks.through.objects.filter(controlmeasure__device=device)
        for risk_id, control_id in through.values_list("risk_id", "controlmeasure_id"):
            self.links[risk_id].add(control_id)
            self.linked[control_id].add(risk_id)
        self.categories = _category_names()

    # Reporting.

    def error(self, row: int, key: str, message: str) -> None:
        column = self.headings.get(key, str(COLUMN[key].label)) if key else ""
        self.errors.append(RowError(row, column, message))

    def service_errors(self, row: int, exc: ValidationError, columns: dict[str, str]) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row, columns.get(name, ""), message)
        else:
            for message in exc.messages:
                self.error(row, "", message)

    def attempt(self, row: int, columns: dict[str, str], action: Callable):
        """Run a service in a savepoint; on a refusal record its errors and go on, so every row
        is checked (the whole import is rolled back at the end if anything was refused)."""
        try:
            with transaction.atomic():
                return action()
        except ValidationError as exc:
            self.service_errors(row, exc, columns)
        except IntegrityError:
            self.error(row, "", _("This conflicts with a record that was saved meanwhile."))
        return None

    # Checking.

    def check(self) -> list[Row]:
        rows = []
        for number, values in self.sheet_rows:
            row = Row(number=number, cells={})
            for key, value in values.items():
                try:
                    row.cells[key] = PARSERS[key](value)
                except CellError as problem:
                    self.error(number, key, str(problem))
                    row.failed = True
            rows.append(row)
        self.hazard_groups: dict[tuple, Group] = {}
        self.situation_groups: dict[tuple, Group] = {}
        self.harm_groups: dict[tuple, Group] = {}
        seen_ids: dict[int, int] = {}
        for row in rows:
            if row.failed:
                continue
            checks = (self._check_id, self._check_hazard, self._check_situation,
                      self._check_harm, self._check_risk)  # fmt: skip
            for check in checks:
                if not check(row, seen_ids):
                    row.failed = True
                    break
        return rows

    def _fail(self, row: Row, key: str, message: str) -> bool:
        self.error(row.number, key, message)
        return False

    def _share(self, groups: dict, key: tuple, row: Row, stored, wanted: dict, label: str) -> bool:
        """Join `row` to the group of a record that rows share; rows must agree on its values."""
        group = groups.get(key)
        if group is None:
            groups[key] = Group(first=row.number, stored=stored, wanted=dict(wanted))
            return True
        ok = True
        for column, value in wanted.items():
            if column not in group.wanted:
                group.wanted[column] = value
            elif _norm(group.wanted[column]) != _norm(value):
                ok = self._fail(
                    row,
                    column,
                    _("Row %(row)s gives %(record)s another value here; a record has one value.")
                    % {"row": group.first, "record": label},
                )
        return ok

    def _category(self, row: Row) -> str | None:
        text = row.get("category")
        if not text:
            return ""
        key = self.categories.get(_norm(text))
        if key is None:
            self._fail(
                row,
                "category",
                _("Choose a hazard category of the catalogue (see the sheet “%(sheet)s”).")
                % {"sheet": SHEET_README},
            )
        return key

    def _check_hazard(self, row: Row, seen) -> bool:
        number, title = row.get("hazard_no"), row.get("hazard")
        category = self._category(row)
        if category is None:
            return False
        if number is None and not title:
            if not all(_blank(value) for value in row.cells.values()):
                return self._fail(
                    row, "hazard", _("Give the hazard number, or a title for a new hazard.")
                )
            return True
        if number is None and len(self.hazard_titles.get(_norm(title), [])) == 1:
            number = self.hazard_titles[_norm(title)][0]
        if number is not None:
            stored = self.hazards.get(number)
            if stored is None:
                return self._fail(
                    row,
                    "hazard_no",
                    _("The file has no hazard %(hazard)s; leave the number empty for a new one.")
                    % {"hazard": code(Hazard.prefix, number)},
                )
            wanted = {"hazard": title} if title else {}
            if category:
                wanted["category"] = category
            row.hazard = ("H", number)
            label = code(Hazard.prefix, number)
            return self._share(self.hazard_groups, row.hazard, row, stored, wanted, label)
        row.hazard = ("new", _norm(title))
        wanted = {"hazard": title, "category": category}
        return self._share(self.hazard_groups, row.hazard, row, None, wanted, f"“{title}”")

    def _check_situation(self, row: Row, seen) -> bool:
        number, description = row.get("situation_no"), row.get("situation")
        sequence = row.get("sequence")
        if row.hazard is None:
            return True
        if number is None and not description:
            if sequence or row.get("harm") or not all(_blank(row.get(k)) for k in RISK_KEYS):
                return self._fail(
                    row,
                    "situation",
                    _("Give the situation number, or describe a new hazardous situation."),
                )
            return True
        hazard_pk = self.hazards[row.hazard[1]]["pk"] if row.hazard[0] == "H" else None
        if number is None and hazard_pk is not None:
            same = self.situation_texts.get((hazard_pk, _norm(description)), [])
            if len(same) == 1:
                number = same[0]
        if number is not None:
            stored = self.situations.get(number)
            label = code(HazardousSituation.prefix, number)
            if stored is None:
                return self._fail(
                    row,
                    "situation_no",
                    _("The file has no hazardous situation %(situation)s; leave the number "
                      "empty for a new one.") % {"situation": label},
                )  # fmt: skip
            if stored["hazard_id"] != hazard_pk:
                hazard = code(Hazard.prefix, self.hazard_numbers[stored["hazard_id"]])
                return self._fail(
                    row,
                    "situation_no",
                    _("%(situation)s belongs to the hazard %(hazard)s.")
                    % {"situation": label, "hazard": hazard},
                )
            wanted = {"situation": description} if description else {}
            if sequence:
                wanted["sequence"] = sequence
            row.situation = ("HS", number)
            return self._share(self.situation_groups, row.situation, row, stored, wanted, label)
        row.situation = ("new", row.hazard, _norm(description))
        wanted = {"situation": description, "sequence": sequence}
        label = f"“{description[:60]}”"
        return self._share(self.situation_groups, row.situation, row, None, wanted, label)

    def _check_harm(self, row: Row, seen) -> bool:
        name, severity = row.get("harm"), row.get("severity")
        if not name:
            if severity is not None:
                return self._fail(row, "harm", _("Name the harm this severity belongs to."))
            if row.get("id") is not None or not all(_blank(row.get(k)) for k in RISK_KEYS):
                return self._fail(row, "harm", _("Name the harm of this risk."))
            return True
        stored = self.harms.get(_norm(name))
        row.harm = ("harm", stored["pk"]) if stored else ("new", _norm(name))
        wanted = {"harm": name}
        if severity is not None:
            wanted["severity"] = str(severity)
        return self._share(self.harm_groups, row.harm, row, stored, wanted, f"“{name}”")

    def _check_id(self, row: Row, seen: dict) -> bool:
        """A row with an ID updates that risk, which keeps its hazardous situation and harm."""
        risk_id = row.get("id")
        if risk_id is None:
            return True
        stored = self.risks.get(risk_id)
        if stored is None:
            return self._fail(
                row,
                "id",
                _("The risk file of %(device)s has no risk with this ID.")
                % {"device": self.device.name},
            )
        if risk_id in seen:
            return self._fail(row, "id", _("Row %(row)s has the same ID.") % {"row": seen[risk_id]})
        seen[risk_id] = row.number
        label = code(Risk.prefix, stored["number"])
        situation = self.situations_by_pk()[stored["situation_id"]]["number"]
        if row.get("situation_no") != situation:
            return self._fail(
                row,
                "situation_no",
                _("%(risk)s is a risk of %(situation)s; a risk keeps its hazardous situation.")
                % {"risk": label, "situation": code(HazardousSituation.prefix, situation)},
            )
        harm = next(h["name"] for h in self.harms.values() if h["pk"] == stored["harm_id"])
        if _norm(row.get("harm")) != _norm(harm):
            return self._fail(
                row,
                "harm",
                _("%(risk)s leads to the harm “%(harm)s”; a risk keeps its harm.")
                % {"risk": label, "harm": harm},
            )
        row.risk_id = risk_id
        return True

    def _check_risk(self, row: Row, seen: dict) -> bool:
        if row.harm is None:
            return True
        risk_id = row.risk_id
        unknown = [n for n in row.get("controls") if n not in self.controls]
        if unknown:
            return self._fail(
                row,
                "controls",
                _("The file has no control measure %(controls)s.")
                % {"controls": ", ".join(code(ControlMeasure.prefix, n) for n in unknown)},
            )
        kinds = [self.controls[n]["kind"] for n in row.get("controls")]
        name = code(Risk.prefix, self.risks[risk_id]["number"]) if risk_id else ""
        problem = lower_priority_needs_rationale(
            kinds, row.get("rationale"), ref=Ref(kind=RISK, id=risk_id, name=name)
        )
        if problem is not None:
            return self._fail(row, "rationale", problem.message(self.language))
        return True

    def situations_by_pk(self) -> dict[int, dict]:
        if not hasattr(self, "_situations_by_pk"):
            self._situations_by_pk = {row["pk"]: row for row in self.situations.values()}
        return self._situations_by_pk

    # Applying, through the services.

    def apply(self, rows: list[Row]) -> None:
        good = [row for row in rows if not row.failed]
        self._apply_hazards()
        self._apply_situations()
        self._apply_harms()
        deferred = self._apply_risks(good)
        self._apply_links(good)
        for row, risk in deferred:
            done = self.attempt(
                row.number,
                RISK_COLUMNS,
                lambda risk=risk: services.risk_update(
                    actor=self.actor, risk=risk, control_option_rationale=""
                ),
            )
            if done is not None and risk.pk not in self.changed_risks:
                self.changed_risks.add(risk.pk)
                self.result.updated["risks"] += 1
        self.result.unchanged = sum(
            1 for row in good if row.risk_id is not None and row.risk_id not in self.changed_risks
        )

    def _apply_hazards(self) -> None:
        for group in self.hazard_groups.values():
            category = group.wanted.get("category")
            if group.stored is None:
                origin = HazardOrigin.CATALOGUE if category else HazardOrigin.OWN
                group.record = self.attempt(
                    group.first,
                    HAZARD_COLUMNS,
                    lambda g=group, c=category, o=origin: services.hazard_create(
                        actor=self.actor,
                        device=self.device,
                        title=g.wanted["hazard"],
                        category_key=c,
                        origin=o,
                    ),
                )
                self.result.created["hazards"] += group.record is not None
                continue
            changes = {}
            if "hazard" in group.wanted and not _same(
                group.stored["title"], group.wanted["hazard"]
            ):
                changes["title"] = group.wanted["hazard"]
            if category and category != group.stored["category_key"]:
                changes["category_key"] = category
            if not changes:
                continue
            hazard = Hazard.objects.get(pk=group.stored["pk"])
            group.record = self.attempt(
                group.first,
                HAZARD_COLUMNS,
                lambda h=hazard, c=changes: services.hazard_update(actor=self.actor, hazard=h, **c),
            )
            self.result.updated["hazards"] += group.record is not None

    def _hazard_record(self, key: tuple):
        return self._group_record(self.hazard_groups, key)

    def _apply_situations(self) -> None:
        for key, group in self.situation_groups.items():
            if group.stored is None:
                hazard = self._hazard_record(key[1])
                if hazard is None:
                    continue  # the hazard was refused; its error is reported
                group.record = self.attempt(
                    group.first,
                    SITUATION_COLUMNS,
                    lambda g=group, h=hazard: services.situation_create(
                        actor=self.actor,
                        hazard=h,
                        description=g.wanted["situation"],
                        sequence_of_events=g.wanted.get("sequence", ""),
                    ),
                )
                self.result.created["situations"] += group.record is not None
                continue
            stored = group.stored
            changes = {}
            description = group.wanted.get("situation", stored["description"])
            if not _same(stored["description"], description):
                changes["description"] = description
            sequence = group.wanted.get("sequence", stored["sequence_of_events"])
            if not _same(stored["sequence_of_events"], sequence):
                changes["sequence_of_events"] = sequence
            if not changes:
                continue
            situation = HazardousSituation.objects.get(pk=stored["pk"])
            group.record = self.attempt(
                group.first,
                SITUATION_COLUMNS,
                lambda s=situation, c=changes: services.situation_update(
                    actor=self.actor, situation=s, **c
                ),
            )
            self.result.updated["situations"] += group.record is not None

    def _apply_harms(self) -> None:
        for group in self.harm_groups.values():
            severity = group.wanted.get("severity")
            severity = int(severity) if severity is not None else None
            if group.stored is None:
                group.record = self.attempt(
                    group.first,
                    HARM_COLUMNS,
                    lambda g=group, s=severity: services.harm_create(
                        actor=self.actor, device=self.device, name=g.wanted["harm"], severity=s
                    ),
                )
                self.result.created["harms"] += group.record is not None
                continue
            if severity is None or severity == group.stored["severity"]:
                continue
            harm = Harm.objects.get(pk=group.stored["pk"])
            group.record = self.attempt(
                group.first,
                HARM_COLUMNS,
                lambda h=harm, s=severity: services.harm_update(
                    actor=self.actor, harm=h, severity=s
                ),
            )
            self.result.updated["harms"] += group.record is not None

    def _risk_fields(self, row: Row) -> dict:
        return {name: row.get(key) for key, name in RISK_FIELD.items()} | {
            "disclose": bool(row.get("disclose"))
        }

    def _apply_risks(self, rows: list[Row]) -> list[tuple[Row, Risk]]:
        """Create and update the risks. A rationale that the table clears is cleared only after
        the control links have changed, since the current links may still need it."""
        self.changed_risks: set[int] = set()
        self.row_risk: dict[int, int] = {}
        changed = {}
        for row in rows:
            if row.risk_id is not None:
                stored = self.risks[row.risk_id]
                fields = self._risk_fields(row)
                changed[row.number] = {n: v for n, v in fields.items() if not _same(stored[n], v)}
        wanted = [row.risk_id for row in rows if changed.get(row.number)]
        current = Risk.objects.select_related("harm", "situation").in_bulk(wanted)
        deferred = []
        for row in rows:
            if row.harm is None:
                continue
            if row.risk_id is None:
                situation = self._group_record(self.situation_groups, row.situation)
                harm = self._group_record(self.harm_groups, row.harm)
                if situation is None or harm is None:
                    continue
                fields = self._risk_fields(row)
                risk = self.attempt(
                    row.number,
                    RISK_COLUMNS,
                    lambda s=situation, h=harm, f=fields: services.risk_create(
                        actor=self.actor, situation=s, harm=h, **f
                    ),
                )
                if risk is not None:
                    self.result.created["risks"] += 1
                    self.row_risk[row.number] = risk.pk
                continue
            self.row_risk[row.number] = row.risk_id
            changes = changed[row.number]
            if not changes:
                continue
            risk = current[row.risk_id]
            risk.device = self.device
            if changes.get("control_option_rationale") == "":
                changes.pop("control_option_rationale")
                deferred.append((row, risk))
                if not changes:
                    continue
            done = self.attempt(
                row.number,
                RISK_COLUMNS,
                lambda r=risk, c=changes: services.risk_update(actor=self.actor, risk=r, **c),
            )
            if done is not None:
                self.changed_risks.add(risk.pk)
                self.result.updated["risks"] += 1
        return deferred

    def _group_record(self, groups: dict, key: tuple):
        """The record of a group: as the service returned it, else as stored (fetched once);
        None for a new record the service refused."""
        group = groups[key]
        if group.record is None and group.stored is not None:
            model = {"H": Hazard, "HS": HazardousSituation, "harm": Harm}[key[0]]
            group.record = model.objects.get(pk=group.stored["pk"])
        return group.record

    def _apply_links(self, rows: list[Row]) -> None:
        """Link each risk to the control measures its row names, control by control: removals
        first, then additions in priority order (inherent safety before protective measures
        before information), so no step leaves a risk with only a lower-priority kind."""
        wanted = {pk: set(risks) for pk, risks in self.linked.items()}
        first_row: dict[int, int] = {}
        for row in rows:
            risk_pk = self.row_risk.get(row.number)
            if risk_pk is None:
                continue
            chosen = {self.controls[n]["pk"] for n in row.get("controls")}
            current = self.links.get(risk_pk, set())
            for control in chosen - current:
                wanted.setdefault(control, set()).add(risk_pk)
                first_row.setdefault(control, row.number)
            for control in current - chosen:
                wanted[control].discard(risk_pk)
                first_row.setdefault(control, row.number)
        changed = [pk for pk in first_row if wanted[pk] != self.linked.get(pk, set())]
        kinds = {row["pk"]: row["kind"] for row in self.controls.values()}
        order = {"inherent_safety": 0, "protective": 1, "information": 2}

        def priority(pk):
            adds = bool(wanted[pk] - self.linked.get(pk, set()))
            return (adds, order.get(kinds[pk], 3), self.control_numbers[pk])

        controls = ControlMeasure.objects.in_bulk(changed)
        for pk in sorted(changed, key=priority):
            control = controls[pk]
            control.device = self.device
            risks = sorted(wanted[pk])
            done = self.attempt(
                first_row[pk],
                CONTROL_COLUMNS,
                lambda c=control, r=risks: services.control_update(
                    actor=self.actor, control=c, risks=r
                ),
            )
            self.result.updated["controls"] += done is not None
            if done is not None:
                for risk_pk in wanted[pk] ^ self.linked.get(pk, set()):
                    if risk_pk in self.risks and risk_pk not in self.changed_risks:
                        self.changed_risks.add(risk_pk)
                        self.result.updated["risks"] += 1


class _Refused(Exception):
    """Raised inside the import's transaction to roll it back when any row was refused."""


def import_risk_table(*, actor, device: Device, data: bytes, reason: str = "") -> ImportResult:
    """ISO 14971:2019 5-7 — import an edited risk table (see the module docstring).

    Returns an ImportResult; with errors, nothing was changed. Raises PermissionDenied when the
    actor may not change risk files. `reason` goes into the audit trail of every change (needed
    where a change makes a new version of a signed record).
    """
    perms.require_perm(actor, perms.RISK_CHANGE)
    sheet, errors = _read(data)
    if sheet is None:
        return ImportResult(errors=errors)
    importer = Importer(actor=actor, device=device, sheet=sheet)
    importer.errors.extend(errors)
    rows = importer.check()
    try:
        with audited(actor=actor, reason=reason):
            importer.apply(rows)
            if importer.errors:
                raise _Refused
    except _Refused:
        return ImportResult(errors=sorted(set(importer.errors), key=_error_order))
    return importer.result


def _error_order(error: RowError) -> tuple:
    return (error.row, error.column, error.message)
