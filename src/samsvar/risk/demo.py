"""Demo data: Fjordmed's risk management files, built through the services from `demo_content`.

The InsuPump 3 gets its complete file: the plan adopted and approved by signature, the analysis,
every hazard, hazardous situation, harm and risk, the control measures with the verification of
their implementation and effectiveness, the approved benefit-risk analysis, the signed overall
residual risk evaluation, production and post-production information, the FMEA worksheets, the
risk management review (recorded only once the completeness check finds no gap) and an issued,
signed PDF report. The GlucoSure gets its approved plan and the analysis that has only begun, so
the completeness check has real gaps to show.

Loading twice changes nothing: a device whose file has a plan is left alone, and each device's
file is built in one transaction, so a failure leaves no half-built file behind.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from samsvar.core.services import record_sign
from samsvar.devices.models import Device
from samsvar.risk import demo_content as content
from samsvar.risk import services
from samsvar.risk.models import IssuedReport, RiskPlan, RiskReview

# Who does what at Fjordmed (user names of samsvar.accounts.demo).
ANALYST = "engineer"  # leads the analysis (plan: responsibilities)
OWNER = "quality"  # owns the process, records the review, issues the report
APPROVER = "approver"  # approves the plan, benefit-risk analyses, overall evaluation, report


def load(people: dict, password: str) -> bool:
    """Load the risk files that are missing; True when anything was added."""
    changed = False
    for file in content.RISK_FILES:
        device = Device.objects.filter(name=file.device).first()
        if device is None or RiskPlan.objects.filter(device=device).exists():
            continue
        with transaction.atomic():
            _Loader(people, password, device, file).run()
        changed = True
    pump = Device.objects.filter(name=content.PUMP_DEVICE).first()
    if pump is not None and _issue_pump_report(people, password, pump):
        changed = True
    return changed


class _Loader:
    """Builds one device's file from its `RiskFile`, creating records in dependency order."""

    def __init__(self, people: dict, password: str, device: Device, file: content.RiskFile):
        self.people = people
        self.password = password
        self.device = device
        self.file = file
        self.analyst = people[ANALYST]
        self.hazards: dict = {}
        self.situations: dict = {}
        self.harms: dict = {}
        self.risks: dict = {}
        self.controls: dict = {}

    def sign(self, record, meaning: str, who: str = APPROVER) -> None:
        record_sign(actor=self.people[who], record=record, meaning=meaning, password=self.password)
        record.refresh_from_db()

    def run(self) -> None:
        file = self.file
        plan = services.plan_adopt_default(actor=self.people[OWNER], device=self.device)
        plan = services.plan_update(actor=self.people[OWNER], plan=plan, **file.plan.values())
        if file.plan.approved:
            self.sign(plan, "approved")
        services.risk_analysis_save(
            actor=self.analyst, device=self.device, **file.analysis.values()
        )
        for harm in file.harms:
            self.harms[harm.key] = services.harm_create(
                actor=self.analyst, device=self.device, **harm.values()
            )
        self._create_ready()
        for control in file.controls:
            self._control(control)
            self._create_ready()
        self._link_late_risks()
        missing = [key for key in (*self._hazard_keys(), *self._situation_keys()) if key]
        if missing:
            raise ImproperlyConfigured(f"demo risk file of {file.device}: unresolved {missing}")
        for answer in file.safety:
            services.safety_characteristic_save(
                actor=self.analyst,
                device=self.device,
                hazards=[self.hazards[key] for key in answer.hazards],
                **answer.values(),
            )
        for analysis in file.benefit_risk:
            record = services.benefit_risk_create(
                actor=self.analyst,
                device=self.device,
                risks=[self.risks[key] for key in analysis.risks],
                **analysis.values(),
            )
            if analysis.approved:
                self.sign(record, "approved")
        if file.overall is not None:
            overall = services.overall_evaluation_save(
                actor=self.people[OWNER], device=self.device, **file.overall.values()
            )
            self.sign(overall, "approved")
        for item in file.production_info:
            services.production_info_create(
                actor=self.analyst,
                device=self.device,
                hazards=[self.hazards[key] for key in item.hazards],
                risks=[self.risks[key] for key in item.risks],
                situation=self.situations[item.situation] if item.situation else None,
                **item.values(),
            )
        for worksheet in file.fmea:
            sheet = services.fmea_worksheet_create(
                actor=self.analyst, device=self.device, **worksheet.values()
            )
            for row in worksheet.rows:
                services.fmea_row_create(
                    actor=self.analyst,
                    worksheet=sheet,
                    hazard=self.hazards[row.hazard] if row.hazard else None,
                    **row.values(),
                )
        if file.review_conclusions:
            review = services.risk_review_complete(
                actor=self.people[OWNER],
                device=self.device,
                conclusions=file.review_conclusions,
            )
            self.sign(review, "reviewed", OWNER)
            self.sign(review, "approved")

    # Records that depend on others are created once what they depend on exists: hazards and
    # hazardous situations that a control measure introduced (7.5) come after that control.
    def _hazard_keys(self):
        return [h.key for h in self.file.hazards if h.key not in self.hazards]

    def _situation_keys(self):
        return [s.key for s in self.file.situations if s.key not in self.situations]

    def _create_ready(self) -> None:
        for hazard in self.file.hazards:
            if hazard.key in self.hazards:
                continue
            if hazard.introduced_by and hazard.introduced_by not in self.controls:
                continue
            self.hazards[hazard.key] = services.hazard_create(
                actor=self.analyst,
                device=self.device,
                introduced_by=self.controls.get(hazard.introduced_by),
                **hazard.values(),
            )
        for situation in self.file.situations:
            if situation.key in self.situations or situation.hazard not in self.hazards:
                continue
            if situation.introduced_by and situation.introduced_by not in self.controls:
                continue
            self.situations[situation.key] = services.situation_create(
                actor=self.analyst,
                hazard=self.hazards[situation.hazard],
                introduced_by=self.controls.get(situation.introduced_by),
                **situation.values(),
            )
        for risk in self.file.risks:
            if risk.key in self.risks or risk.situation not in self.situations:
                continue
            self.risks[risk.key] = services.risk_create(
                actor=self.analyst,
                situation=self.situations[risk.situation],
                harm=self.harms[risk.harm],
                **risk.values(),
            )

    def _control(self, control: content.Control) -> None:
        record = services.control_create(
            actor=self.analyst,
            device=self.device,
            risks=[self.risks[key] for key in control.risks if key in self.risks],
            **control.values(),
        )
        for aspect in ("implementation", "effectiveness"):
            verification = getattr(control, f"{aspect}_verification")
            if verification is None:
                continue
            values = verification.values()
            values["verified_by"] = self.people[values["verified_by"]]
            services.control_verify(actor=self.analyst, control=record, aspect=aspect, **values)
        self.controls[control.key] = record

    def _link_late_risks(self) -> None:
        """Link each control to the risks that did not exist yet when it was created."""
        for control in self.file.controls:
            record = self.controls[control.key]
            if len(control.risks) != record.risks.count():
                services.control_update(
                    actor=self.analyst,
                    control=record,
                    risks=[self.risks[key] for key in control.risks],
                )


def _issue_pump_report(people: dict, password: str, pump: Device) -> bool:
    """Issue the pump's report once its review is recorded, and sign it approved."""
    from samsvar.risk.report import issue_report

    if IssuedReport.objects.filter(device=pump).exists():
        return False
    if not RiskReview.objects.filter(device=pump).exists():
        return False
    with transaction.atomic():
        issued = issue_report(
            actor=people[OWNER],
            device=pump,
            fmt="pdf",
            language="en",
            reason="Risk management report for the release of the InsuPump 3.",
        )
        record_sign(actor=people[APPROVER], record=issued, meaning="approved", password=password)
    return True
