"""The risk management file of a device as the pure completeness check sees it.

`risk_file_facts(device)` reads the file with a fixed number of queries whatever its size (one
per table, values only, no per-row access), so the live gap list stays fast for files with tens
of thousands of hazardous situations; `samsvar.regulatory.risk.completeness` does the rest.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from samsvar.core.models import Signature, SignatureMeaning
from samsvar.devices.models import Device
from samsvar.regulatory.risk import (
    BenefitRiskFacts,
    ControlFacts,
    Gap,
    HazardFacts,
    OverallFacts,
    RiskEstimate,
    RiskFacts,
    RiskFileFacts,
    SituationFacts,
    completeness,
)
from samsvar.risk.models import (
    BenefitRiskAnalysis,
    BenefitRiskConclusion,
    ControlMeasure,
    Hazard,
    HazardousSituation,
    OverallConclusion,
    OverallEvaluation,
    Risk,
    RiskPlan,
    VerificationResult,
    code,
)


def approved_pks(model, versions: dict[int, int]) -> set[int]:
    """The records (pk -> current version) whose current version carries an "approved"
    signature, in one query."""
    if not versions:
        return set()
    signed = Signature.objects.filter(
        record_version__content_type=ContentType.objects.get_for_model(model),
        record_version__object_id__in=[str(pk) for pk in versions],
        meaning=SignatureMeaning.APPROVED,
    ).values_list("record_version__object_id", "record_version__version")
    return {int(pk) for pk, version in signed if versions.get(int(pk)) == version}


def is_approved(record) -> bool:
    """Whether the current version of a versioned record is signed with the meaning approved."""
    if record is None or record.pk is None:
        return False
    return record.pk in approved_pks(type(record), {record.pk: record.version})


def stored_estimate(severity, p1, p2, p, acceptable) -> RiskEstimate | None:
    """The cached estimate of a risk as a RiskEstimate, or None when it has none."""
    if None in (severity, p1, p2, p, acceptable):
        return None
    return RiskEstimate(
        severity=severity, p1=p1, p2=p2, p=p, acceptable=acceptable, cell=(severity, p)
    )


RISK_VALUES = (
    "pk",
    "number",
    "situation_id",
    "severity",
    "p1",
    "p2",
    "p",
    "initial_acceptable",
    "residual_severity",
    "residual_p1",
    "residual_p2",
    "residual_p",
    "residual_acceptable",
    "afap_justification",
    "control_option_rationale",
    "disclose",
    "disclosure_text",
)


def benefit_risk_facts(device: Device) -> dict[int, BenefitRiskFacts]:
    """The best benefit-risk analysis per risk: approved and favourable before the others."""
    analyses = {
        row["pk"]: row
        for row in BenefitRiskAnalysis.objects.filter(device=device).values(
            "pk", "version", "conclusion", "number"
        )
    }
    approved = approved_pks(BenefitRiskAnalysis, {pk: a["version"] for pk, a in analyses.items()})
    links = BenefitRiskAnalysis.risks.through.objects.filter(
        benefitriskanalysis__device=device
    ).values_list("risk_id", "benefitriskanalysis_id")
    best: dict[int, tuple] = {}
    for risk_id, analysis_id in links:
        row = analyses[analysis_id]
        favourable = row["conclusion"] == BenefitRiskConclusion.FAVOURABLE
        rank = (favourable and analysis_id in approved, favourable, analysis_id in approved)
        if risk_id not in best or rank > best[risk_id][0]:
            best[risk_id] = (rank, row)
    return {
        risk_id: BenefitRiskFacts(
            conclusion=row["conclusion"],
            benefits_outweigh=row["conclusion"] == BenefitRiskConclusion.FAVOURABLE,
            approved=row["pk"] in approved,
        )
        for risk_id, (_rank, row) in best.items()
    }


def risk_facts_from_row(row: dict, control_ids: tuple, benefit_risk) -> RiskFacts:
    initial = stored_estimate(
        row["severity"], row["p1"], row["p2"], row["p"], row["initial_acceptable"]
    )
    residual_severity = row["residual_severity"] or row["severity"]
    residual = stored_estimate(
        residual_severity,
        row["residual_p1"],
        row["residual_p2"],
        row["residual_p"],
        row["residual_acceptable"],
    )
    final = residual if control_ids else initial
    return RiskFacts(
        id=row["pk"],
        situation_id=row["situation_id"],
        name=code(Risk.prefix, row["number"]),
        estimate=initial,
        control_ids=control_ids,
        control_rationale=row["control_option_rationale"],
        residual=residual,
        afap_justification=row["afap_justification"],
        benefit_risk=benefit_risk,
        # A residual risk that stays not acceptable is significant whether or not it is ticked.
        significant=row["disclose"] or (final is not None and not final.acceptable),
        disclosed=bool(row["disclosure_text"].strip()),
    )


def risk_file_facts(device: Device) -> RiskFileFacts:
    """The file of one device as plain facts, in a bounded number of queries."""
    plan = RiskPlan.objects.filter(device=device).values("pk", "version").first()
    plan_approved = bool(plan) and bool(approved_pks(RiskPlan, {plan["pk"]: plan["version"]}))
    hazards = tuple(
        HazardFacts(id=pk, name=f"{code(Hazard.prefix, number)} {title}")
        for pk, number, title in Hazard.objects.filter(device=device)
        .order_by("number")
        .values_list("pk", "number", "title")
    )
    situations = tuple(
        SituationFacts(id=pk, hazard_id=hazard_id, name=code(HazardousSituation.prefix, number))
        for pk, hazard_id, number in HazardousSituation.objects.filter(device=device)
        .order_by("number")
        .values_list("pk", "hazard_id", "number")
    )
    controls_of: dict[int, list[int]] = defaultdict(list)
    links = ControlMeasure.risks.through.objects.filter(controlmeasure__device=device)
    for risk_id, control_id in links.values_list("risk_id", "controlmeasure_id").order_by(
        "controlmeasure_id"
    ):
        controls_of[risk_id].append(control_id)
    benefit_risk = benefit_risk_facts(device)
    risks = tuple(
        risk_facts_from_row(row, tuple(controls_of.get(row["pk"], ())), benefit_risk.get(row["pk"]))
        for row in Risk.objects.filter(device=device).order_by("number").values(*RISK_VALUES)
    )
    controls = tuple(
        ControlFacts(
            id=row["pk"],
            kind=row["kind"],
            name=code(ControlMeasure.prefix, row["number"]),
            implementation_verified=row["implementation_result"] == VerificationResult.PASS,
            effectiveness_verified=row["effectiveness_result"] == VerificationResult.PASS,
            safety_information=row["safety_information_text"],
            new_risks_reviewed=row["new_risks_reviewed"],
        )
        for row in ControlMeasure.objects.filter(device=device)
        .order_by("number")
        .values(
            "pk",
            "number",
            "kind",
            "implementation_result",
            "effectiveness_result",
            "safety_information_text",
            "new_risks_reviewed",
        )
    )
    overall_row = OverallEvaluation.objects.filter(device=device).values("conclusion").first()
    overall = None
    if overall_row is not None:
        overall = OverallFacts(
            conclusion=overall_row["conclusion"],
            acceptable=overall_row["conclusion"] == OverallConclusion.ACCEPTABLE,
        )
    return RiskFileFacts(
        plan_approved=plan_approved,
        hazards=hazards,
        situations=situations,
        risks=risks,
        controls=controls,
        overall=overall,
    )


def risk_file_completeness(device: Device) -> list[Gap]:
    """Every gap in the device's risk management file (empty when it is complete)."""
    return completeness(risk_file_facts(device))
