"""The risk management report of a device (ISO 14971:2019 9), generated from the live file.

`render_report(device, fmt, language)` gives the report as PDF or as an editable DOCX, in English
or Norwegian Bokmål. `build_report` reads the whole file in a fixed number of queries (one per
table, values only where the rows are many) and turns it into the blocks of
`samsvar.risk.report_pdf`: headings, paragraphs and tables that the PDF typesetter, the DOCX
writer and the HTML preview render alike.

What the report holds, in order: the title page (device, manufacturer, report number, revision
and date, completeness), a summary, the plan (4.4) and its acceptability policy (scales, the
P1 x P2 table, the matrix), intended use and foreseeable misuse (5.2), the characteristics related
to safety (5.3), the hazards by category (5.4), the risk matrix heatmaps before and after control
(6, 7.3), the full risk table before and after control, the control measures with the
verification of their implementation and effectiveness (7.1-7.6), the "as far as possible"
justifications and control-option rationales (Annex Z, 7.1), the benefit-risk analyses (7.4),
the overall residual risk (8) and the residual risks to disclose, production and post-production
information (10), the FMEA summary, the completeness check, the review conclusions (9) and the
electronic signatures (signer, meaning, UTC time, SHA-256 of the signed content).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.devices.models import Classification, Device
from samsvar.regulatory.risk import ControlKind, RiskPolicy, catalogue, policy_from_dict
from samsvar.regulatory.risk import fmea as fmea_rules
from samsvar.reports.render import DOCX_TYPE, docx_bytes
from samsvar.risk import selectors, services
from samsvar.risk.facts import RISK_VALUES, risk_file_completeness
from samsvar.risk.models import (
    Answer,
    BenefitRiskAnalysis,
    BenefitRiskConclusion,
    ControlKindChoice,
    ControlMeasure,
    Finding,
    FmeaKind,
    FmeaRow,
    FmeaWorksheet,
    Harm,
    Hazard,
    HazardousSituation,
    InfoSource,
    IssuedReport,
    OverallConclusion,
    OverallEvaluation,
    ProductionInfo,
    ReportFormat,
    Risk,
    RiskAnalysis,
    RiskPlan,
    RiskReview,
    SafetyCharacteristic,
    VerificationResult,
    code,
)
from samsvar.risk.report_pdf import (
    Cell,
    Column,
    Contents,
    Group,
    Heading,
    PageBreak,
    PageFrame,
    Paragraph,
    Table,
)
from samsvar.risk.report_pdf import render as render_pdf

FORMATS = ReportFormat.values
LANGUAGES = ("en", "nb")
CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX_TYPE}
DASH = "—"
REGULATIONS = {"mdr": "Regulation (EU) 2017/745 (MDR)", "ivdr": "Regulation (EU) 2017/746 (IVDR)"}
PRIORITY = [kind.value for kind in ControlKind]  # inherent safety, protective, information


@dataclass
class Report:
    """The report of one device: its blocks, its page frame and what the title page says."""

    device: Device
    blocks: list
    frame: PageFrame
    number: str
    revision: int
    language: str

    @property
    def title(self) -> str:
        return self.frame.title

    def filename(self, fmt: str) -> str:
        return f"{self.number}-rev{self.revision}-{self.language}.{fmt}"


def render_report(device: Device, fmt: str, language: str = "en") -> bytes:
    """The risk management report of `device` as PDF or DOCX bytes, in `language` (en or nb)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return render_built(build_report_in(device, language), fmt)


def build_report_in(device: Device, language: str) -> Report:
    """`build_report` in `language` (en or nb)."""
    with translation.override(language):
        return build_report(device)


def render_built(report: Report, fmt: str) -> bytes:
    """Render a report already built (in the language it was built in)."""
    with translation.override(report.language):
        if fmt == ReportFormat.PDF:
            return render_pdf(report.blocks, report.frame)
        return render_docx(report)


def issue_refusal(device: Device) -> str:
    """Why the report of `device` cannot be issued now, or "" when it can: the file must have
    no gap and the risk management review must be recorded (ISO 14971:2019 9)."""
    gaps = risk_file_completeness(device)
    if gaps:
        return _(
            "The risk management file has %(n)s gaps. Close them and record the risk management "
            "review before issuing the report."
        ) % {"n": len(gaps)}
    if not RiskReview.objects.filter(device=device).exists():
        return _("Record the risk management review before issuing the report.")
    return ""


def issue_report(
    *, actor, device: Device, fmt: str, language: str = "en", reason: str = ""
) -> IssuedReport:
    """ISO 14971:2019 9 — render the report now and keep the file as an immutable issued report
    with its SHA-256 (see `services.report_issue`), ready to be e-signed. Refused while the file
    has gaps or no review is recorded."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    errors = {}
    if fmt not in FORMATS:
        errors["fmt"] = _("Choose PDF or DOCX.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose English (en) or Norwegian (nb).")
    if errors:
        raise ValidationError(errors)
    refusal = issue_refusal(device)
    if refusal:
        raise ValidationError(refusal)
    built = build_report_in(device, language)
    content = render_built(built, fmt)
    return services.report_issue(
        actor=actor,
        device=device,
        fmt=fmt,
        content=content,
        filename=built.filename(fmt),
        title=built.title,
        reason=reason,
    )


def report_number(device: Device) -> str:
    """The report's document number: RMR and the model number, as a file name can hold it."""
    model = "".join(c if c.isalnum() or c in "-_" else "-" for c in device.model_number)
    return f"RMR-{model.strip('-') or device.pk}"


# --- Small formatting helpers ---------------------------------------------------------------------


def _lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _text(value) -> str:
    text = str(value or "").strip()
    return text or DASH


def _date(value) -> str:
    return value.isoformat() if value else DASH


def _utc(value) -> str:
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if value else DASH


def _rank(value) -> str:
    return DASH if value is None else str(value)


def _count(value: int) -> str:
    """A whole number grouped in thousands as the active language writes it."""
    return number_format(value, force_grouping=True)


def _level(acceptable: bool | None) -> Cell:
    if acceptable is None:
        return Cell(_("Not estimated"), tone="none")
    if acceptable:
        return Cell(_("Acceptable"), tone="ok", bold=True)
    return Cell(_("Not acceptable"), tone="bad", bold=True)


def _codes(prefix: str, numbers) -> str:
    return ", ".join(code(prefix, number) for number in sorted(numbers)) or DASH


def _facts(rows: list[tuple[str, str]], size: float = 8.5) -> Table:
    return Table(
        columns=[Column("", 1), Column("", 2.6)],
        rows=[(Cell(label, tone="muted"), Cell(value)) for label, value in rows],
        style="facts",
        size=size,
    )


def _choice(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or DASH


# --- Reading the file -----------------------------------------------------------------------------


class _File:
    """The device's risk management file read once, in a fixed number of queries."""

    def __init__(self, device: Device):
        from samsvar.accounts.services import organisation_get

        self.device = device
        self.organisation = organisation_get()
        self.classification = Classification.objects.filter(device=device).first()
        self.plan = RiskPlan.objects.filter(device=device).first()
        self.policy: RiskPolicy | None = policy_from_dict(self.plan.policy) if self.plan else None
        self.analysis = RiskAnalysis.objects.filter(device=device).first()
        self.safety = {
            item.topic_key: item
            for item in SafetyCharacteristic.objects.filter(device=device).prefetch_related(
                "hazards"
            )
        }
        self.hazards = list(
            Hazard.objects.filter(device=device)
            .order_by("number")
            .values(
                "pk",
                "number",
                "category_key",
                "title",
                "description",
                "origin",
                "introduced_by__number",
            )
        )
        self.hazard_by_pk = {row["pk"]: row for row in self.hazards}
        self.situations = {
            row["pk"]: row
            for row in HazardousSituation.objects.filter(device=device)
            .order_by("number")
            .values("pk", "number", "hazard_id", "description", "sequence_of_events")
        }
        self.harms = {
            row["pk"]: row
            for row in Harm.objects.filter(device=device).values("pk", "name", "severity")
        }
        self.risks = list(
            Risk.objects.filter(device=device)
            .order_by("number")
            .values(*RISK_VALUES, "harm_id", "review_flag")
        )
        self.risk_by_pk = {row["pk"]: row for row in self.risks}
        self.controls = list(
            ControlMeasure.objects.filter(device=device)
            .order_by("number")
            .values(
                "pk",
                "number",
                "kind",
                "description",
                "implementation",
                "safety_information_text",
                "implementation_evidence",
                "implementation_result",
                "implementation_date",
                "implementation_verified_by__full_name",
                "effectiveness_evidence",
                "effectiveness_result",
                "effectiveness_date",
                "effectiveness_verified_by__full_name",
                "new_risks_reviewed",
                "new_risks_notes",
            )
        )
        self.control_by_pk = {row["pk"]: row for row in self.controls}
        self.controls_of: dict[int, list[int]] = defaultdict(list)
        self.risks_of: dict[int, list[int]] = defaultdict(list)
        links = ControlMeasure.risks.through.objects.filter(controlmeasure__device=device)
        for risk_id, control_id in links.values_list("risk_id", "controlmeasure_id"):
            self.controls_of[risk_id].append(control_id)
            self.risks_of[control_id].append(risk_id)
        self.benefit_risk = list(
            BenefitRiskAnalysis.objects.filter(device=device)
            .order_by("number")
            .prefetch_related("risks")
        )
        self.overall = OverallEvaluation.objects.filter(device=device).first()
        self.production = list(
            ProductionInfo.objects.filter(device=device)
            .select_related("situation", "reviewed_by")
            .prefetch_related("hazards", "risks")
            .order_by("date", "number")
        )
        self.observed = selectors.observed_occurrences(device)
        self.worksheets = list(
            FmeaWorksheet.objects.filter(device=device).order_by("kind", "title")
        )
        self.fmea_rows = list(
            FmeaRow.objects.filter(worksheet__device=device)
            .order_by("worksheet_id", "position")
            .values(
                "worksheet_id",
                "position",
                "item_function",
                "failure_mode",
                "effect",
                "severity",
                "occurrence",
                "detection",
                "rpn",
                "actions",
                "hazard__number",
            )
        )
        self.gaps = risk_file_completeness(device)
        self.matrix_before = selectors.matrix(device)
        self.matrix_after = selectors.matrix(device, residual=True)
        self.review = (
            RiskReview.objects.filter(device=device).order_by("-created_at", "-pk").first()
        )
        self.issued = IssuedReport.objects.filter(device=device).count()
        self.signatures = self._signatures()

    def _signatures(self) -> dict[tuple[type, int], list]:
        """The signatures on the current version of the plan, the benefit-risk analyses, the
        overall evaluation and the review: one query per kind of record."""
        found: dict[tuple[type, int], list] = {}
        groups = [
            [self.plan] if self.plan else [],
            self.benefit_risk,
            [self.overall] if self.overall else [],
            [self.review] if self.review else [],
        ]
        for records in groups:
            if not records:
                continue
            by_pk = core_selectors.current_signatures_by_pk(records)
            for record in records:
                found[(type(record), record.pk)] = by_pk.get(str(record.pk), [])
        return found

    def signatures_of(self, record) -> list:
        if record is None:
            return []
        return self.signatures.get((type(record), record.pk), [])

    # Derived views of the rows.
    def risk_label(self, risk: dict) -> str:
        situation = self.situations[risk["situation_id"]]
        harm = self.harms[risk["harm_id"]]
        return f"{code('HS', situation['number'])} → {harm['name']}"

    def final(self, risk: dict) -> tuple[int | None, int | None, bool | None]:
        """Severity, P and acceptability after control: the residual estimate of a controlled
        risk, the estimate before control of the others (as the completeness check reads it)."""
        if self.controls_of.get(risk["pk"]):
            severity = risk["residual_severity"] or risk["severity"]
            return severity, risk["residual_p"], risk["residual_acceptable"]
        return risk["severity"], risk["p"], risk["initial_acceptable"]


# --- Building the report --------------------------------------------------------------------------


class _Builder:
    def __init__(self, file: _File):
        self.file = file
        self.blocks: list = []
        self.section_number = 0
        self.subsection_number = 0
        self.language = _lang()

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def section(self, title: str, *, landscape: bool | None = None, clause: str = "") -> None:
        if landscape is not None:
            self.add(PageBreak(landscape=landscape))
        self.section_number += 1
        self.subsection_number = 0
        suffix = f" ({clause})" if clause else ""
        self.add(Heading(f"{self.section_number}  {title}{suffix}", level=1))

    def subsection(self, title: str) -> None:
        self.subsection_number += 1
        self.add(Heading(f"{self.section_number}.{self.subsection_number}  {title}", level=2))

    def text(self, text, style: str = "body") -> None:
        self.add(Paragraph(_text(text), style))

    def labelled(self, label: str, text) -> None:
        self.add(Heading(label, level=3))
        self.text(text)

    def signatures(self, record, *, unsigned: str) -> None:
        signatures = self.file.signatures_of(record)
        if not signatures:
            self.text(unsigned, "bad")
            return
        self.add(
            Table(
                columns=[
                    Column(_("Signed by"), 3),
                    Column(_("Meaning"), 2),
                    Column(_("Time (UTC)"), 2.6),
                    Column(_("Content SHA-256"), 5),
                ],
                rows=[
                    (
                        s.signer_full_name,
                        s.get_meaning_display(),
                        _utc(s.signed_at),
                        Cell(s.content_sha256, tone="muted"),
                    )
                    for s in signatures
                ],
                size=7.5,
            )
        )


def build_report(device: Device) -> Report:
    """The report of `device` in the active language (see the module docstring)."""
    file = _File(device)
    builder = _Builder(file)
    number = report_number(device)
    revision = file.issued + 1
    _title_page(builder, number, revision)
    _summary(builder)
    _plan(builder)
    _policy(builder)
    _intended_use(builder)
    _safety(builder)
    _hazards(builder)
    _heatmaps(builder)
    _risk_table(builder)
    _controls(builder)
    _afap(builder)
    _benefit_risk(builder)
    _overall(builder)
    _disclosures(builder)
    _production(builder)
    _fmea(builder)
    _completeness(builder)
    _review(builder)
    _signature_list(builder)
    organisation = file.organisation.name if file.organisation else ""
    title = _("Risk management report: %(device)s") % {"device": device.name}
    frame = PageFrame(
        header_left=organisation or device.name,
        header_right=_("%(number)s, revision %(revision)s")
        % {
            "number": number,
            "revision": revision,
        },
        footer_left=_("Generated by samsvar") + f" {timezone.localtime():%Y-%m-%d %H:%M}",
        page_label=_("Page %(n)s of %(total)s"),
        title=title,
        author=organisation,
        language=builder.language,
    )
    return Report(
        device=device,
        blocks=builder.blocks,
        frame=frame,
        number=number,
        revision=revision,
        language=builder.language,
    )


def _title_page(b: _Builder, number: str, revision: int) -> None:
    file, device = b.file, b.file.device
    organisation = file.organisation
    b.add(Paragraph(_("Risk management report"), "title"))
    b.add(Paragraph(f"{device.name} · {device.model_number}", "subtitle"))
    manufacturer = DASH
    if organisation is not None:
        parts = [organisation.name, organisation.address.replace("\n", ", ")]
        if organisation.srn:
            parts.append(_("SRN %(srn)s") % {"srn": organisation.srn})
        manufacturer = "\n".join(part for part in parts if part)
    classification = DASH
    if device.device_class:
        classification = _("Class %(class)s") % {"class": device.device_class}
        if device.classification_rule:
            classification += f", {device.classification_rule}"
    plan = DASH
    if file.plan is not None:
        approved = bool(file.signatures_of(file.plan)) and any(
            s.meaning == "approved" for s in file.signatures_of(file.plan)
        )
        plan = _("Version %(version)s, %(status)s") % {
            "version": file.plan.version,
            "status": _("approved") if approved else _("not approved"),
        }
    gaps = len(file.gaps)
    status = (
        _("Complete: the completeness check finds no gap.")
        if not gaps
        else _("Not complete: the completeness check finds %(n)s gaps (section %(section)s).")
        % {"n": gaps, "section": 16}
    )
    b.add(
        _facts(
            [
                (_("Device"), f"{device.name}, {_('model')} {device.model_number}"),
                (_("Manufacturer"), manufacturer),
                (_("Regulation"), REGULATIONS.get(device.regime, device.regime.upper())),
                (_("Risk class"), classification),
                (_("Report number"), number),
                (_("Revision"), str(revision)),
                (_("Date"), timezone.localdate().isoformat()),
                (_("Risk management plan"), plan),
                (_("Standard"), "EN ISO 14971:2019+A11:2021, " + _("clause 9")),
                (_("Status of the file"), status),
            ],
            size=9,
        )
    )
    b.add(Contents(_("Contents")))


def _summary(b: _Builder) -> None:
    file = b.file
    b.section(_("Purpose and summary"), landscape=False)
    b.text(
        _(
            "This report records the risk management review of %(device)s before release for "
            "production and commercial distribution: that the risk management plan has been "
            "carried out, that the overall residual risk is acceptable, and that methods are in "
            "place to collect and review production and post-production information. It is "
            "generated from the live risk management file: every level, count and matrix below "
            "is computed from the records under the acceptability policy of the plan, never "
            "typed in."
        )
        % {"device": file.device.name}
    )
    kinds = Counter(row["kind"] for row in file.controls)
    finals = [file.final(risk)[2] for risk in file.risks]
    b.add(
        Table(
            columns=[Column(_("Records of the file"), 3), Column(_("Number"), 1, "right")],
            rows=[
                (_("Hazards"), str(len(file.hazards))),
                (_("Hazardous situations"), str(len(file.situations))),
                (_("Risks (hazardous situation and harm)"), str(len(file.risks))),
                (_("Risks not acceptable before control"), str(
                    sum(1 for r in file.risks if r["initial_acceptable"] is False)
                )),
                (_("Residual risks not acceptable after control"), str(
                    sum(1 for f in finals if f is False)
                )),
                *[
                    (_choice(ControlKindChoice, kind), str(kinds.get(kind, 0)))
                    for kind in PRIORITY
                ],
                (_("Benefit-risk analyses"), str(len(file.benefit_risk))),
                (_("Production and post-production information items"), str(
                    len(file.production)
                )),
                (_("Gaps found by the completeness check"), str(len(file.gaps))),
            ],
            size=8.5,
        )
    )  # fmt: skip


def _plan(b: _Builder) -> None:
    plan = b.file.plan
    b.section(_("Risk management plan"), clause="4.4")
    if plan is None:
        b.text(_("The device has no risk management plan."), "bad")
        return
    b.text(
        _("Plan version %(version)s, last changed %(date)s.")
        % {"version": plan.version, "date": _date(timezone.localtime(plan.updated_at).date())},
        "muted",
    )
    for label, value in (
        (_("Scope"), plan.scope),
        (_("Life-cycle phases"), plan.lifecycle_phases),
        (_("Responsibilities and authorities"), plan.responsibilities),
        (_("Requirements for review"), plan.review_requirements),
        (_("Verification activities"), plan.verification_activities),
        (_("Method for the overall residual risk"), plan.overall_method),
        (_("Criteria for the overall residual risk"), plan.overall_criteria),
    ):
        b.labelled(label, value)
    b.add(Heading(_("Approval of the plan"), level=3))
    b.signatures(plan, unsigned=_("The plan is not approved by signature."))


def _policy(b: _Builder) -> None:
    policy = b.file.policy
    lang = b.language
    b.section(_("Risk acceptability policy"), clause="4.4")
    if policy is None:
        b.text(_("No policy: the device has no risk management plan."), "bad")
        return
    b.subsection(_("Severity scale"))
    b.add(
        Table(
            columns=[Column(_("Rank"), 0.6, "center"), Column(_("Name"), 1.6),
                     Column(_("Definition"), 6)],
            rows=[
                (str(level.rank), Cell(level.name(lang), bold=True), level.definition(lang))
                for level in reversed(policy.severity.ordered())
            ],
            size=8,
        )
    )  # fmt: skip
    b.subsection(_("Probability scale"))
    b.text(
        _("Probabilities are counted %(basis)s. P1 is the probability that the hazardous "
          "situation occurs, P2 the probability that it leads to the harm, P the probability "
          "of the harm.") % {"basis": policy.probability.basis_text(lang)}
    )  # fmt: skip
    levels = policy.probability.ordered()
    b.add(
        Table(
            columns=[Column(_("Rank"), 0.6, "center"), Column(_("Name"), 1.6),
                     Column(_("Definition"), 4.4), Column(_("Range"), 1.6)],
            rows=[
                (str(level.rank), Cell(level.name(lang), bold=True), level.definition(lang),
                 _range(level, top=index == len(levels) - 1))
                for index, level in reversed(list(enumerate(levels)))
            ],
            size=8,
        )
    )  # fmt: skip
    b.subsection(_("Combination of P1 and P2"))
    b.text(_("P for each pair of P1 (rows) and P2 (columns), from the plan's table."), "muted")
    b.add(
        _matrix_table(
            "P1 \\ P2",
            levels,
            [
                (
                    _row_head(row, lang),
                    *(
                        Cell(_rank(policy.combination.get((row.rank, column.rank))))
                        for column in levels
                    ),
                )
                for row in reversed(levels)
            ],
        )
    )
    b.subsection(_("Acceptability matrix"))
    b.add(
        _matrix_table(
            _("Severity \\ P"),
            levels,
            [
                (
                    _row_head(s, lang),
                    *(_level(policy.matrix.get((s.rank, p.rank))) for p in levels),
                )
                for s in reversed(policy.severity.ordered())
            ],
        )
    )
    note = policy.note_nb if lang == "nb" and policy.note_nb else policy.note_en
    if note.strip():
        b.text(" ".join(note.split()), "muted")


def _row_head(level, lang: str) -> Cell:
    return Cell(f"{level.rank} {level.name(lang)}", tone="head")


def _matrix_table(corner: str, levels, rows: list, size: float = 7.5) -> Table:
    """A grid with a row per level of one scale and a column per probability level."""
    lang = _lang()
    columns = [Column(f"{lv.rank} {lv.name(lang)}", 1, "center") for lv in levels]
    return Table(columns=[Column(corner, 1.6), *columns], rows=rows, style="matrix", size=size)


def _range(level, top: bool) -> str:
    close = "]" if top else ")"
    return f"[{level.low:g}, {level.high:g}{close}"


def _intended_use(b: _Builder) -> None:
    file = b.file
    b.section(_("Intended use and reasonably foreseeable misuse"), clause="5.2")
    b.labelled(_("Intended purpose of the device"), file.device.intended_purpose)
    analysis = file.analysis
    b.labelled(_("Intended use"), analysis.intended_use if analysis else "")
    b.labelled(_("Reasonably foreseeable misuse"), analysis.foreseeable_misuse if analysis else "")


def _safety(b: _Builder) -> None:
    file = b.file
    lang = b.language
    b.section(_("Characteristics related to safety"), clause="5.3")
    hazard_numbers = {row["pk"]: row["number"] for row in file.hazards}
    rows = []
    answered = 0
    for topic in catalogue.all_safety_topics():
        item = file.safety.get(topic.key)
        if item is not None and item.answer:
            answered += 1
        raised = [hazard_numbers[h.pk] for h in item.hazards.all()] if item else []
        answer = item.get_answer_display() if item and item.answer else _("Not answered")
        tone = "" if item and item.answer else "none"
        indent = "\u2013 " if topic.parent else ""
        rows.append(
            (
                Cell(indent + topic.title(lang), bold=not topic.parent),
                Cell(answer, tone=tone),
                _text(item.notes if item else ""),
                _codes("H", raised),
            )
        )
    b.text(
        _("%(answered)s of %(total)s questions answered (ISO/TR 24971 Annex A topics).")
        % {"answered": answered, "total": len(rows)},
        "muted",
    )
    b.add(
        Table(
            columns=[Column(_("Topic"), 2.4), Column(_("Answer"), 1), Column(_("Notes"), 4.6),
                     Column(_("Hazards"), 1.2)],
            rows=rows,
            size=7.5,
        )
    )  # fmt: skip
    if not any(item.answer == Answer.YES for item in file.safety.values()) and file.safety:
        b.text(_("No question was answered yes."), "muted")


def _category_group(key: str) -> str:
    return key.split(".", 1)[0] if key else ""


def _hazards(b: _Builder) -> None:
    file = b.file
    lang = b.language
    b.section(_("Hazards by category"), clause="5.4")
    situations_of = Counter(s["hazard_id"] for s in file.situations.values())
    risks_of = Counter(file.situations[r["situation_id"]]["hazard_id"] for r in file.risks)
    groups = [group.key for group in catalogue.hazard_categories()]
    by_group: dict[str, list[dict]] = defaultdict(list)
    for hazard in file.hazards:
        group = _category_group(hazard["category_key"])
        by_group[group if group in groups else ""].append(hazard)
    order = [*groups, ""]
    titles = {group.key: group.title(lang) for group in catalogue.hazard_categories()}
    titles[""] = _("Other hazards of the manufacturer")
    summary = []
    for group in order:
        hazards = by_group.get(group, [])
        summary.append(
            (
                Cell(titles[group], bold=True),
                str(len(hazards)),
                str(sum(situations_of[h["pk"]] for h in hazards)),
                str(sum(risks_of[h["pk"]] for h in hazards)),
            )
        )
    b.add(
        Table(
            columns=[Column(_("Hazard group"), 4), Column(_("Hazards"), 1, "right"),
                     Column(_("Hazardous situations"), 1.4, "right"),
                     Column(_("Risks"), 1, "right")],
            rows=summary,
            size=8,
        )
    )  # fmt: skip
    rows: list = []
    for group in order:
        hazards = by_group.get(group, [])
        if not hazards:
            continue
        rows.append(Group(titles[group]))
        for hazard in hazards:
            category = DASH
            if hazard["category_key"]:
                try:
                    category = catalogue.hazard_category(hazard["category_key"]).title(lang)
                except KeyError:
                    category = hazard["category_key"]
            description = hazard["title"]
            if hazard["description"]:
                description += "\n" + hazard["description"]
            if hazard["introduced_by__number"]:
                description += "\n" + _("Introduced by control measure %(control)s.") % {
                    "control": code("RC", hazard["introduced_by__number"])
                }
            rows.append(
                (
                    Cell(code("H", hazard["number"]), bold=True),
                    category,
                    description,
                    str(situations_of[hazard["pk"]]),
                    str(risks_of[hazard["pk"]]),
                )
            )
    if rows:
        b.add(
            Table(
                columns=[Column(_("Hazard"), 0.8), Column(_("Category"), 1.8),
                         Column(_("Hazard and description"), 5),
                         Column(_("Situations"), 1.1, "right"), Column(_("Risks"), 0.9, "right")],
                rows=rows,
                size=7.5,
            )
        )  # fmt: skip
    else:
        b.text(_("No hazard has been identified yet."), "bad")


def _heatmap(b: _Builder, matrix, title: str) -> None:
    policy = b.file.policy
    lang = b.language
    b.subsection(title)
    rows = []
    for level, cells in matrix.rows():
        row = [_row_head(level, lang)]
        for cell in cells:
            tone = "ok" if cell.acceptable else "bad"
            if cell.count:
                tone += "-strong"
            row.append(Cell(str(cell.count), tone=tone, bold=True))
        rows.append(tuple(row))
    b.add(_matrix_table(_("Severity \\ P"), policy.probability.ordered(), rows, size=8))
    estimated = matrix.total - matrix.unestimated
    b.text(
        _("%(estimated)s of %(total)s risks placed in the matrix; %(unestimated)s not estimated.")
        % {"estimated": estimated, "total": matrix.total, "unestimated": matrix.unestimated},
        "muted",
    )


def _heatmaps(b: _Builder) -> None:
    file = b.file
    b.section(_("Risk evaluation: risk matrix before and after control"), clause="6, 7.3")
    if file.policy is None:
        b.text(_("No policy: the device has no risk management plan."), "bad")
        return
    b.text(
        _("Number of risks in each cell of the acceptability matrix. Green cells are "
          "acceptable, red cells not acceptable; stronger colours hold risks. After control, a "
          "risk with control measures is placed by its residual estimate and a risk without "
          "control measures by its estimate before control.")
    )  # fmt: skip
    _heatmap(b, file.matrix_before, _("Before control"))
    _heatmap(b, file.matrix_after, _("After control"))


def _risk_table(b: _Builder) -> None:
    file = b.file
    b.section(_("Risk table before and after control"), landscape=True, clause="5.5, 6, 7.3")
    b.text(
        _("S: severity; P1: probability that the hazardous situation occurs; P2: probability "
          "that it leads to the harm; P: probability of the harm from the plan's combination "
          "table. After control: the residual estimate of a risk with control measures; a risk "
          "without control measures keeps its estimate."),
        "muted",
    )  # fmt: skip
    hazards = file.hazard_by_pk
    control_numbers = {row["pk"]: row["number"] for row in file.controls}
    rows = []
    for risk in file.risks:
        situation = file.situations[risk["situation_id"]]
        hazard = hazards[situation["hazard_id"]]
        harm = file.harms[risk["harm_id"]]
        text = f"{code('HS', situation['number'])} {situation['description']}"
        if situation["sequence_of_events"]:
            text += "\n" + situation["sequence_of_events"]
        controls = file.controls_of.get(risk["pk"], [])
        severity, p, acceptable = file.final(risk)
        controlled = bool(controls)
        rows.append(
            (
                Cell(code("R", risk["number"]), bold=True),
                f"{code('H', hazard['number'])} {hazard['title']}",
                text,
                harm["name"],
                _rank(risk["severity"]),
                _rank(risk["p1"]),
                _rank(risk["p2"]),
                _rank(risk["p"]),
                _level(risk["initial_acceptable"]),
                _codes("RC", [control_numbers[c] for c in controls]),
                _rank(severity),
                _rank(risk["residual_p1"] if controlled else risk["p1"]),
                _rank(risk["residual_p2"] if controlled else risk["p2"]),
                _rank(p),
                _level(acceptable),
            )
        )
    if not rows:
        b.text(_("No risk has been estimated yet."), "bad")
        return
    b.add(
        Table(
            columns=[
                Column(_("Risk"), 1.4),
                Column(_("Hazard"), 3),
                Column(_("Hazardous situation and sequence of events"), 8.2),
                Column(_("Harm"), 3),
                Column("S", 0.6, "center"),
                Column("P1", 0.6, "center"),
                Column("P2", 0.6, "center"),
                Column("P", 0.6, "center"),
                Column(_("Level"), 1.9),
                Column(_("Measures"), 1.8),
                Column("S", 0.6, "center"),
                Column("P1", 0.6, "center"),
                Column("P2", 0.6, "center"),
                Column("P", 0.6, "center"),
                Column(_("Level"), 1.9),
            ],
            rows=rows,
            size=7,
            spans=[
                (_("Risk analysis"), 4),
                (_("Before control"), 5),
                (_("Control"), 1),
                (_("After control"), 5),
            ],
        )
    )


def _verification(control: dict, aspect: str) -> Cell:
    result = control[f"{aspect}_result"]
    if not result:
        return Cell(_("Not verified"), tone="none")
    parts = [
        _choice(VerificationResult, result),
        control[f"{aspect}_evidence"],
        _date(control[f"{aspect}_date"]),
        control[f"{aspect}_verified_by__full_name"] or "",
    ]
    tone = "ok" if result == VerificationResult.PASS else "bad"
    return Cell("\n".join(part for part in parts if part), tone=tone)


def _controls(b: _Builder) -> None:
    file = b.file
    b.section(_("Risk control measures and their verification"), clause="7.1-7.6")
    if not file.controls:
        b.text(_("No risk control measure has been recorded."), "bad")
        return
    b.text(
        _("Control measures in the priority order of ISO 14971 7.1: inherent safety by design, "
          "protective measures, information for safety. Each is verified for its implementation "
          "and its effectiveness (7.2) and reviewed for new hazards or hazardous situations "
          "(7.5)."),
        "muted",
    )  # fmt: skip
    risk_numbers = {row["pk"]: row["number"] for row in file.risks}
    rows: list = []
    for kind in PRIORITY:
        controls = [c for c in file.controls if c["kind"] == kind]
        if not controls:
            continue
        rows.append(Group(f"{_choice(ControlKindChoice, kind)} ({len(controls)})"))
        for control in controls:
            text = control["description"]
            if control["implementation"]:
                text += "\n" + _("Implementation: %(text)s") % {"text": control["implementation"]}
            if control["safety_information_text"]:
                text += "\n" + _("Label or IFU text: %(text)s") % {
                    "text": control["safety_information_text"]
                }
            if control["new_risks_reviewed"]:
                new = _("Reviewed") + (
                    f": {control['new_risks_notes']}" if control["new_risks_notes"] else ""
                )
                new_cell = Cell(new)
            else:
                new_cell = Cell(_("Not reviewed"), tone="none")
            rows.append(
                (
                    Cell(code("RC", control["number"]), bold=True),
                    text,
                    _codes("R", [risk_numbers[r] for r in file.risks_of.get(control["pk"], [])]),
                    _verification(control, "implementation"),
                    _verification(control, "effectiveness"),
                    new_cell,
                )
            )
    b.add(
        Table(
            columns=[
                Column(_("Measure"), 1.2),
                Column(_("Control measure and implementation"), 8),
                Column(_("Risks controlled"), 2),
                Column(_("Verification of implementation"), 3),
                Column(_("Verification of effectiveness"), 3),
                Column(_("New hazards (7.5)"), 2.4),
            ],
            rows=rows,
            size=7,
        )
    )


def _afap(b: _Builder) -> None:
    file = b.file
    b.section(_("Risks reduced as far as possible"), landscape=False, clause="Annex Z, 7.1")
    b.text(
        _("Under the MDR and the IVDR a risk in an acceptable cell is still reduced as far as "
          "possible without harming the benefit-risk ratio: by a control measure, or by a "
          "recorded justification that further reduction is not possible.")
    )  # fmt: skip
    b.subsection(_("Justifications that further reduction is not possible"))
    _risk_texts(
        b,
        [
            (risk, _level(file.final(risk)[2]), risk["afap_justification"])
            for risk in file.risks
            if risk["afap_justification"].strip()
        ],
        columns=(_("Hazardous situation and harm"), _("Level"), _("Justification")),
        empty=_("None recorded: every risk has a control measure."),
    )
    b.subsection(_("Rationale for the control options"))
    control_kinds = {row["pk"]: row["kind"] for row in file.controls}

    def kinds(risk: dict) -> str:
        used = {control_kinds[c] for c in file.controls_of.get(risk["pk"], [])}
        names = [_choice(ControlKindChoice, k) for k in sorted(used, key=PRIORITY.index)]
        return ", ".join(names) or DASH

    _risk_texts(
        b,
        [
            (risk, kinds(risk), risk["control_option_rationale"])
            for risk in file.risks
            if risk["control_option_rationale"].strip()
        ],
        columns=(_("Hazardous situation and harm"), _("Kinds of control"), _("Rationale")),
        empty=_("None needed: no risk relies on lower-priority control options alone."),
    )


def _risk_texts(b: _Builder, rows: list[tuple], *, columns: tuple, empty: str) -> None:
    """A table of risks, each with its situation and harm, one short value and one text."""
    if not rows:
        b.text(empty, "muted")
        return
    label, value, text = columns
    b.add(
        Table(
            columns=[Column(_("Risk"), 0.8), Column(label, 2.6), Column(value, 1.4),
                     Column(text, 4.8)],
            rows=[
                (Cell(code("R", risk["number"]), bold=True), b.file.risk_label(risk), cell, body)
                for risk, cell, body in rows
            ],
            size=7.5,
        )
    )  # fmt: skip


def _benefit_risk(b: _Builder) -> None:
    file = b.file
    b.section(_("Benefit-risk analyses"), clause="7.4")
    if not file.benefit_risk:
        b.text(_("No benefit-risk analysis has been recorded."), "muted")
        return
    for analysis in file.benefit_risk:
        b.add(Heading(f"{analysis.code}  {analysis.title}", level=2))
        numbers = sorted(risk.number for risk in analysis.risks.all())
        conclusion = analysis.conclusion
        tone = {BenefitRiskConclusion.FAVOURABLE: "ok", BenefitRiskConclusion.UNFAVOURABLE: "bad"}
        b.add(
            Table(
                columns=[Column("", 1), Column("", 4)],
                rows=[
                    (Cell(_("Residual risks"), tone="muted"), _codes("R", numbers)),
                    (Cell(_("Benefits"), tone="muted"), _text(analysis.benefits)),
                    (Cell(_("Analysis"), tone="muted"), _text(analysis.analysis)),
                    (
                        Cell(_("Conclusion"), tone="muted"),
                        Cell(
                            _choice(BenefitRiskConclusion, conclusion)
                            if conclusion
                            else _("No conclusion"),
                            tone=tone.get(conclusion, "none"),
                        ),
                    ),
                ],
                style="facts",
                size=8.5,
            )
        )
        b.signatures(analysis, unsigned=_("Not approved by signature."))


def _overall(b: _Builder) -> None:
    file = b.file
    b.section(_("Overall residual risk"), clause="8")
    overall = file.overall
    if overall is None:
        b.text(_("The overall residual risk has not been evaluated."), "bad")
        return
    b.labelled(_("Method"), overall.method)
    b.labelled(_("Analysis"), overall.analysis)
    b.add(Heading(_("Conclusion"), level=3))
    if overall.conclusion == OverallConclusion.ACCEPTABLE:
        b.text(_("The overall residual risk is acceptable."), "ok")
    elif overall.conclusion == OverallConclusion.NOT_ACCEPTABLE:
        b.text(_("The overall residual risk is not acceptable."), "bad")
    else:
        b.text(_("No conclusion has been recorded."), "bad")
    b.add(Heading(_("Signatures"), level=3))
    b.signatures(overall, unsigned=_("Not signed."))


def _disclosures(b: _Builder) -> None:
    file = b.file
    b.section(_("Residual risks disclosed in the accompanying information"), clause="8")
    rows = []
    for risk in file.risks:
        acceptable = file.final(risk)[2]
        if not (risk["disclose"] or acceptable is False):
            continue
        disclosure = risk["disclosure_text"].strip()
        text = Cell(disclosure) if disclosure else Cell(_("Not disclosed"), tone="bad")
        rows.append((risk, _level(acceptable), text))
    _risk_texts(
        b,
        rows,
        columns=(_("Residual risk"), _("Level"), _("Disclosure in the IFU or label")),
        empty=_("No significant residual risk to disclose."),
    )


def _observed(file: _File, item) -> str:
    observed = file.observed.get(item.situation_id) if item.situation_id else None
    if item.occurrences is None or not item.exposure:
        return DASH
    text = _("%(occurrences)s in %(exposure)s uses") % {
        "occurrences": _count(item.occurrences),
        "exposure": _count(item.exposure),
    }
    if observed is not None and observed.rank is not None:
        text += "\n" + _("All items on the situation: level %(rank)s; P1 estimated %(p1)s") % {
            "rank": observed.rank,
            "p1": _rank(observed.p1),
        }
        if observed.above_estimate:
            text += "\n" + _("Above the estimate")
    return text


def _production(b: _Builder) -> None:
    file = b.file
    b.section(_("Production and post-production information"), clause="10")
    b.labelled(
        _("How information is collected and reviewed"),
        file.plan.production_information if file.plan else "",
    )
    flagged = sum(1 for risk in file.risks if risk["review_flag"])
    open_items = sum(1 for item in file.production if item.is_open)
    b.text(
        _("%(items)s items recorded; %(open)s open; %(flagged)s risks flagged for review.")
        % {"items": len(file.production), "open": open_items, "flagged": flagged},
        "bad" if open_items or flagged else "muted",
    )
    if not file.production:
        return
    rows = []
    for item in file.production:
        links = []
        hazards = sorted(h.number for h in item.hazards.all())
        risks = sorted(r.number for r in item.risks.all())
        if hazards:
            links.append(_codes("H", hazards))
        if item.situation_id:
            links.append(item.situation.code)
        if risks:
            links.append(_codes("R", risks))
        if item.finding == Finding.NONE:
            finding = Cell(item.get_finding_display())
        else:
            status = (
                _("Open")
                if item.is_open
                else _("Reviewed %(date)s: %(note)s")
                % {"date": _date(item.reviewed_at and item.reviewed_at.date()),
                   "note": item.review_note}
            )  # fmt: skip
            finding = Cell(
                f"{item.get_finding_display()}\n{status}", tone="bad" if item.is_open else ""
            )
        rows.append(
            (
                Cell(f"{item.code}\n{_date(item.date)}", bold=True),
                f"{_choice(InfoSource, item.source)}\n{item.reference}".strip(),
                item.description,
                "\n".join(links) or DASH,
                _observed(file, item),
                finding,
            )
        )
    b.add(
        Table(
            columns=[Column(_("Item"), 1.35), Column(_("Source"), 1.5),
                     Column(_("Description"), 3.6), Column(_("Linked to"), 1.3),
                     Column(_("Observed"), 1.7), Column(_("Finding"), 2)],
            rows=rows,
            size=7,
        )
    )  # fmt: skip


def _fmea(b: _Builder) -> None:
    file = b.file
    b.section(_("FMEA summary"))
    if not file.worksheets:
        b.text(_("No FMEA worksheet has been recorded."), "muted")
        return
    rows_of: dict[int, list[dict]] = defaultdict(list)
    for row in file.fmea_rows:
        rows_of[row["worksheet_id"]].append(row)
    summary = []
    action_rows: list = []
    for worksheet in file.worksheets:
        rows = rows_of.get(worksheet.pk, [])
        needing = [
            r
            for r in rows
            if fmea_rules.needs_action(r["severity"], r["occurrence"], r["detection"])
        ]
        summary.append(
            (
                Cell(worksheet.title, bold=True),
                _choice(FmeaKind, worksheet.kind),
                str(len(rows)),
                str(max((r["rpn"] for r in rows), default=0)),
                str(len(needing)),
                str(sum(1 for r in rows if r["hazard__number"])),
            )
        )
        if needing:
            action_rows.append(Group(f"{_choice(FmeaKind, worksheet.kind)}: {worksheet.title}"))
            for r in sorted(needing, key=lambda r: (-r["rpn"], r["position"])):
                action_rows.append(
                    (
                        f"{r['item_function']}\n{r['failure_mode']}",
                        _text(r["effect"]),
                        f"{r['severity']} / {r['occurrence']} / {r['detection']}",
                        Cell(str(r["rpn"]), bold=True),
                        _codes("H", [r["hazard__number"]] if r["hazard__number"] else []),
                        _text(r["actions"]),
                    )
                )
    b.add(
        Table(
            columns=[Column(_("Worksheet"), 3), Column(_("Kind"), 1.4),
                     Column(_("Rows"), 0.8, "right"), Column(_("Highest RPN"), 1, "right"),
                     Column(_("Rows needing action"), 1.2, "right"),
                     Column(_("Rows linked to hazards"), 1.2, "right")],
            rows=summary,
            size=7.5,
        )
    )  # fmt: skip
    if action_rows:
        b.add(Heading(_("Failure modes needing action"), level=3))
        b.add(
            Table(
                columns=[Column(_("Item and failure mode"), 3), Column(_("Effect"), 2.4),
                         Column("S / O / D", 1, "center"), Column("RPN", 0.7, "center"),
                         Column(_("Hazard"), 0.8), Column(_("Actions"), 3)],
                rows=action_rows,
                size=7,
            )
        )  # fmt: skip


def _completeness(b: _Builder) -> None:
    file = b.file
    b.section(_("Completeness of the risk management file"))
    if not file.gaps:
        b.text(
            _("None: the completeness check finds no gap. Every hazard has hazardous situations, "
              "every risk is estimated and evaluated, every risk is controlled or justified as "
              "reduced as far as possible, every control measure is verified, every residual "
              "risk that is not acceptable has an approved benefit-risk analysis, significant "
              "residual risks are disclosed, the overall residual risk is evaluated and the plan "
              "is approved."),
            "ok",
        )  # fmt: skip
        return
    b.text(
        _("%(n)s gaps: the risk management file is not complete, and the review cannot be "
          "completed until they are closed.") % {"n": len(file.gaps)},
        "bad",
    )  # fmt: skip
    b.add(
        Table(
            columns=[Column(_("Clause"), 1), Column(_("Gap"), 8)],
            rows=[(gap.clause, gap.message(b.language)) for gap in file.gaps],
            size=7.5,
        )
    )


def _review(b: _Builder) -> None:
    file = b.file
    b.section(_("Risk management review and conclusions"), clause="9")
    review = file.review
    if review is None:
        b.text(_("The risk management review has not been recorded yet."), "bad")
        return
    b.add(
        _facts(
            [
                (_("Recorded"), _utc(review.created_at)),
                (_("Plan version reviewed"), str(review.plan_version)),
                (_("Risks reviewed"), str(review.risk_count)),
            ]
        )
    )
    b.labelled(_("Conclusions"), review.conclusions)
    if file.plan is not None and review.plan_version != file.plan.version:
        b.text(
            _("The plan has changed since this review (now version %(version)s).")
            % {"version": file.plan.version},
            "bad",
        )
    b.add(Heading(_("Signatures of the reviewers"), level=3))
    b.signatures(review, unsigned=_("Not signed."))


def _signature_list(b: _Builder) -> None:
    file = b.file
    b.section(_("Electronic signatures"))
    b.text(
        _("Each signature binds the signer, the meaning, the UTC time and the SHA-256 of the "
          "signed content of the record version (21 CFR Part 11 §11.50, §11.70; EU GMP "
          "Annex 11 §14). An issued report is kept unchanged with the SHA-256 of its file and is "
          "signed as a record of its own.")
    )  # fmt: skip
    records = []
    if file.plan is not None:
        records.append((_("Risk management plan, version %(v)s") % {"v": file.plan.version},
                        file.plan))  # fmt: skip
    records += [(f"{a.code} {a.title}", a) for a in file.benefit_risk]
    if file.overall is not None:
        records.append((_("Overall residual risk evaluation"), file.overall))
    if file.review is not None:
        records.append((_("Risk management review"), file.review))
    rows = [
        (
            Cell(label, bold=True),
            s.signer_full_name,
            s.get_meaning_display(),
            _utc(s.signed_at),
            Cell(s.content_sha256, tone="muted"),
        )
        for label, record in records
        for s in file.signatures_of(record)
    ]
    if not rows:
        b.text(_("No record of the file is signed yet."), "bad")
        return
    b.add(
        Table(
            columns=[Column(_("Record"), 3), Column(_("Signed by"), 2.2),
                     Column(_("Meaning"), 1.4), Column(_("Time (UTC)"), 2.2),
                     Column(_("Content SHA-256"), 4.2)],
            rows=rows,
            size=7,
        )
    )  # fmt: skip


# --- DOCX ---------------------------------------------------------------------------------------

DOCX_FILLS = {
    "ok": "DCF2E4",
    "bad": "FBE1DE",
    "none": "F1F3F5",
    "head": "EEF2F6",
    "group": "F3F6F9",
    "ok-strong": "8FD1A6",
    "bad-strong": "F09A8F",
}
DOCX_INK = {"ok": "1D7A46", "bad": "B42318", "muted": "5B6B7B", "none": "5B6B7B"}


def render_docx(report: Report) -> bytes:
    """The report as an editable Word document: real headings, paragraphs and tables, a
    landscape section for the wide tables, page x of y in the footer."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(16))
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    _docx_frame(section, report.frame)
    width = Mm(210 - 32)
    for block in report.blocks:
        kind = block.kind
        if kind == "pagebreak":
            section = document.add_section(WD_SECTION.NEW_PAGE)
            if block.landscape:
                section.orientation = WD_ORIENT.LANDSCAPE
                section.page_width, section.page_height = Mm(297), Mm(210)
            else:
                section.orientation = WD_ORIENT.PORTRAIT
                section.page_width, section.page_height = Mm(210), Mm(297)
            width = section.page_width - section.left_margin - section.right_margin
        elif kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif kind == "contents":
            document.add_heading(block.title, level=2)
            for heading in report.blocks:
                if heading.kind == "heading" and heading.level == 1:
                    document.add_paragraph(heading.text)
        elif kind == "paragraph":
            if block.style == "title":
                document.add_heading(block.text, level=0)
                continue
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            if block.style == "subtitle":
                run.font.size = Pt(14)
            elif block.style in ("muted", "mono"):
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor.from_string(DOCX_INK["muted"])
            elif block.style in ("ok", "bad"):
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(DOCX_INK[block.style])
        elif kind == "table":
            _docx_table(document, block, width)
    return docx_bytes(document)


def _docx_frame(section, frame: PageFrame) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    header = section.header.paragraphs[0]
    header.text = f"{frame.header_left}\t\t{frame.header_right}"
    footer = section.footer.paragraphs[0]
    footer.text = ""
    label = frame.page_label
    before, _, rest = label.partition("%(n)s")
    middle, _, after = rest.partition("%(total)s")
    footer.add_run(f"{frame.footer_left}\t\t{before}")
    _docx_field(footer, "PAGE")
    footer.add_run(middle)
    _docx_field(footer, "NUMPAGES")
    footer.add_run(after)
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8)
        stops = paragraph.paragraph_format.tab_stops
        stops.add_tab_stop(Mm(89), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(Mm(178), WD_TAB_ALIGNMENT.RIGHT)


def _docx_field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _docx_table(document, table: Table, width) -> None:
    """A Word table built as XML in one pass (python-docx's row-by-row API is far slower for a
    table of thousands of rows)."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    total = sum(column.width for column in table.columns) or 1
    twips = [int(width / 635 * column.width / total) for column in table.columns]  # EMU -> twips
    size = round(table.size * 2 + (2 if table.style == "facts" else 1))

    def cell_xml(cell: Cell, twip: int, span: int = 1) -> str:
        fill = DOCX_FILLS.get(cell.tone, "")
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        bold = "<w:b/>" if cell.bold or cell.tone in ("head", "group") else ""
        ink = DOCX_INK.get(cell.tone, "")
        color = f'<w:color w:val="{ink}"/>' if ink else ""
        align = cell.align
        justify = f'<w:jc w:val="{align}"/>' if align in ("center", "right") else ""
        paragraphs = []
        for line in (cell.text or "").split("\n"):
            paragraphs.append(
                f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{justify}</w:pPr>'
                f'<w:r><w:rPr>{bold}{color}<w:sz w:val="{size}"/></w:rPr>'
                f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            )
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{twip}" w:type="dxa"/>{grid}{shading}</w:tcPr>'
            f"{''.join(paragraphs)}</w:tc>"
        )

    rows = []
    aligns = [column.align for column in table.columns]
    if table.header and table.spans:
        cells, start = [], 0
        for title, count in table.spans:
            width = sum(twips[start : start + count])
            cells.append(cell_xml(Cell(title, tone="head", align="center"), width, span=count))
            start += count
        rows.append(f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    if table.header:
        cells = "".join(
            cell_xml(Cell(column.title, tone="head", align=column.align), twip)
            for column, twip in zip(table.columns, twips, strict=True)
        )
        rows.append(f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{cells}</w:tr>")
    for row in table.rows:
        if isinstance(row, Group):
            cells = cell_xml(Cell(row.text, tone="group"), sum(twips), span=len(twips))
        else:
            cells = "".join(
                cell_xml(Cell(cell.text, cell.tone, cell.bold, cell.align or align), twip)
                for cell, twip, align in zip(row, twips, aligns, strict=True)
            )
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="C9D2DC"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{twip}"/>' for twip in twips)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))
    document.add_paragraph()
