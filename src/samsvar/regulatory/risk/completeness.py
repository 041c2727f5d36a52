"""The live gap list of a risk management file, and the "as far as possible" rule.

The file is described by plain dataclasses (`RiskFileFacts` and its parts) that the application
builds from its records; `completeness` returns every gap, and an empty list means the file is
complete. Clause numbers are ISO 14971:2019; "Annex Z" is EN ISO 14971:2019+A11:2021 Annex Z,
which relates the standard to MDR/IVDR Annex I: risks are reduced as far as possible without
adversely affecting the benefit-risk ratio (MDR Annex I §2), with no "acceptable enough to leave
alone" band, and safe design before protection before information (Annex I §4).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .control import (
    LOWER_PRIORITY_WITHOUT_RATIONALE,
    ControlKind,
    control_kind,
    lower_priority_needs_rationale,
)
from .evaluation import RiskEstimate
from .gap import CONTROL, HAZARD, OVERALL, PLAN, RISK, SITUATION, Gap, Ref, capitalised

# Gap codes with their clause. Each has a positive and a negative test.
PLAN_NOT_APPROVED = "plan_not_approved"
HAZARD_WITHOUT_SITUATION = "hazard_without_situation"
SITUATION_WITHOUT_HARM = "situation_without_harm"
RISK_WITHOUT_ESTIMATE = "risk_without_estimate"
UNACCEPTABLE_RISK_WITHOUT_CONTROL = "unacceptable_risk_without_control"
ACCEPTABLE_RISK_WITHOUT_AFAP = "acceptable_risk_without_afap"
RESIDUAL_RISK_WITHOUT_ESTIMATE = "residual_risk_without_estimate"
UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK = "unacceptable_residual_without_benefit_risk"
BENEFIT_RISK_WITHOUT_CONCLUSION = "benefit_risk_without_conclusion"
BENEFIT_RISK_NOT_APPROVED = "benefit_risk_not_approved"
BENEFIT_RISK_UNFAVOURABLE = "benefit_risk_unfavourable"
CONTROL_IMPLEMENTATION_NOT_VERIFIED = "control_implementation_not_verified"
CONTROL_EFFECTIVENESS_NOT_VERIFIED = "control_effectiveness_not_verified"
SAFETY_INFORMATION_WITHOUT_TEXT = "safety_information_without_text"
CONTROL_NOT_REVIEWED_FOR_NEW_RISKS = "control_not_reviewed_for_new_risks"
SIGNIFICANT_RESIDUAL_RISK_NOT_DISCLOSED = "significant_residual_risk_not_disclosed"
OVERALL_RESIDUAL_RISK_NOT_EVALUATED = "overall_residual_risk_not_evaluated"
OVERALL_RESIDUAL_RISK_NOT_ACCEPTABLE = "overall_residual_risk_not_acceptable"

GAP_CODES = {
    PLAN_NOT_APPROVED: "4.4",
    HAZARD_WITHOUT_SITUATION: "5.4",
    SITUATION_WITHOUT_HARM: "5.4",
    RISK_WITHOUT_ESTIMATE: "5.5",
    UNACCEPTABLE_RISK_WITHOUT_CONTROL: "7.1",
    ACCEPTABLE_RISK_WITHOUT_AFAP: "Annex Z",
    RESIDUAL_RISK_WITHOUT_ESTIMATE: "7.3",
    UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK: "7.4",
    BENEFIT_RISK_WITHOUT_CONCLUSION: "7.4",
    BENEFIT_RISK_NOT_APPROVED: "7.4",
    BENEFIT_RISK_UNFAVOURABLE: "7.4",
    LOWER_PRIORITY_WITHOUT_RATIONALE: "7.1",
    CONTROL_IMPLEMENTATION_NOT_VERIFIED: "7.2",
    CONTROL_EFFECTIVENESS_NOT_VERIFIED: "7.2",
    SAFETY_INFORMATION_WITHOUT_TEXT: "7.2",
    CONTROL_NOT_REVIEWED_FOR_NEW_RISKS: "7.5",
    SIGNIFICANT_RESIDUAL_RISK_NOT_DISCLOSED: "8",
    OVERALL_RESIDUAL_RISK_NOT_EVALUATED: "8",
    OVERALL_RESIDUAL_RISK_NOT_ACCEPTABLE: "8",
}


@dataclass(frozen=True, kw_only=True)
class HazardFacts:
    id: Hashable
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class SituationFacts:
    id: Hashable
    hazard_id: Hashable
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class BenefitRiskFacts:
    """A benefit-risk analysis (7.4): its conclusion, whether the benefits outweigh the residual
    risk, and whether it is approved (e-signed)."""

    conclusion: str = ""
    benefits_outweigh: bool = False
    approved: bool = False


@dataclass(frozen=True, kw_only=True)
class RiskFacts:
    """One hazardous situation-harm pair.

    `estimate` is before control, `residual` after the controls in `control_ids` (None until
    estimated). `control_rationale` says why higher-priority control options are not practicable
    (7.1); `afap_justification` why no (further) reduction is possible without harming the
    benefit-risk ratio (Annex Z). `significant` marks a residual risk to disclose in the
    accompanying information; `disclosed` that it is.
    """

    id: Hashable
    situation_id: Hashable = None
    name: str = ""
    estimate: RiskEstimate | None = None
    control_ids: tuple[Hashable, ...] = ()
    control_rationale: str = ""
    residual: RiskEstimate | None = None
    afap_justification: str = ""
    benefit_risk: BenefitRiskFacts | None = None
    significant: bool = False
    disclosed: bool = False

    @property
    def final(self) -> RiskEstimate | None:
        """The risk as it stands: the residual estimate when controlled, else the estimate."""
        return self.residual if self.control_ids else self.estimate


@dataclass(frozen=True, kw_only=True)
class ControlFacts:
    """A risk control measure. `safety_information` is the label or IFU text an information-for-
    safety measure relies on; `new_risks_reviewed` records that the measure was checked for new
    hazards or hazardous situations it introduces (7.5)."""

    id: Hashable
    kind: ControlKind
    name: str = ""
    implementation_verified: bool = False
    effectiveness_verified: bool = False
    safety_information: str = ""
    new_risks_reviewed: bool = False


@dataclass(frozen=True, kw_only=True)
class OverallFacts:
    """The evaluation of the overall residual risk (8) by the method in the plan."""

    conclusion: str = ""
    acceptable: bool = False


@dataclass(frozen=True, kw_only=True)
class RiskFileFacts:
    plan_approved: bool = False
    hazards: tuple[HazardFacts, ...] = ()
    situations: tuple[SituationFacts, ...] = ()
    risks: tuple[RiskFacts, ...] = ()
    controls: tuple[ControlFacts, ...] = ()
    overall: OverallFacts | None = None


def _gap(code: str, ref: Ref, en: str, nb: str) -> Gap:
    """A gap whose messages start with the object: `en` and `nb` continue the sentence."""
    return Gap(
        code=code,
        clause=GAP_CODES[code],
        ref=ref,
        message_en=f"{capitalised(ref.describe('en'))} {en}",
        message_nb=f"{capitalised(ref.describe('nb'))} {nb}",
    )


def afap_problems(risk: RiskFacts) -> list[Gap]:
    """The "as far as possible" rule for one risk (Annex Z; MDR/IVDR Annex I §2 and §4).

    Every risk, also one in an acceptable cell, has at least one control measure or a recorded
    justification that further reduction is not possible without harming the benefit-risk ratio.
    A residual risk that is still not acceptable (the estimate itself when there is no control)
    needs an approved benefit-risk analysis concluding that the benefits outweigh it. A risk
    without an estimate yields only `risk_without_estimate`, and a controlled risk without a
    residual estimate only `residual_risk_without_estimate` for the residual part.
    """
    ref = Ref(kind=RISK, id=risk.id, name=risk.name)
    if risk.estimate is None:
        return [
            _gap(
                RISK_WITHOUT_ESTIMATE,
                ref,
                "has no estimate (severity, P1 and P2)",
                "mangler estimat (alvorlighetsgrad, P1 og P2)",
            )
        ]
    gaps = []
    if not risk.control_ids and not risk.afap_justification.strip():
        if risk.estimate.acceptable:
            gaps.append(
                _gap(
                    ACCEPTABLE_RISK_WITHOUT_AFAP,
                    ref,
                    "is in an acceptable cell but has neither a control measure nor a recorded "
                    "justification that further reduction is not possible without harming the "
                    "benefit-risk ratio",
                    "ligger i en akseptabel celle, men har verken et kontrolltiltak eller en "
                    "dokumentert begrunnelse for at ytterligere reduksjon ikke er mulig uten å "
                    "svekke nytte-risiko-forholdet",
                )
            )
        else:
            gaps.append(
                _gap(
                    UNACCEPTABLE_RISK_WITHOUT_CONTROL,
                    ref,
                    "is not acceptable and has no control measure; add one, or record why no "
                    "reduction is possible",
                    "er ikke akseptabel og har ikke noe kontrolltiltak; legg til et, eller "
                    "dokumenter hvorfor ingen reduksjon er mulig",
                )
            )
    final = risk.final
    if final is None:
        gaps.append(
            _gap(
                RESIDUAL_RISK_WITHOUT_ESTIMATE,
                ref,
                "has control measures but no estimate of the residual risk",
                "har kontrolltiltak, men restrisikoen er ikke estimert",
            )
        )
        return gaps
    if final.acceptable:
        return gaps
    analysis = risk.benefit_risk
    if analysis is None:
        gaps.append(
            _gap(
                UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK,
                ref,
                "has a residual risk that is not acceptable and no benefit-risk analysis",
                "har en restrisiko som ikke er akseptabel, og ingen nytte-risiko-analyse",
            )
        )
        return gaps
    if not analysis.conclusion.strip():
        gaps.append(
            _gap(
                BENEFIT_RISK_WITHOUT_CONCLUSION,
                ref,
                "has a benefit-risk analysis without a conclusion",
                "har en nytte-risiko-analyse uten konklusjon",
            )
        )
    elif not analysis.benefits_outweigh:
        gaps.append(
            _gap(
                BENEFIT_RISK_UNFAVOURABLE,
                ref,
                "has a benefit-risk analysis concluding that the benefits do not outweigh the "
                "residual risk; the risk must be reduced further",
                "har en nytte-risiko-analyse som konkluderer med at nytten ikke veier tyngre enn "
                "restrisikoen; risikoen må reduseres ytterligere",
            )
        )
    if not analysis.approved:
        gaps.append(
            _gap(
                BENEFIT_RISK_NOT_APPROVED,
                ref,
                "has a benefit-risk analysis that is not approved",
                "har en nytte-risiko-analyse som ikke er godkjent",
            )
        )
    return gaps


def _index(items: Iterable, what: str) -> dict:
    index: dict = {}
    for item in items:
        if item.id in index:
            raise ValueError(f"{what} id {item.id!r} occurs more than once")
        index[item.id] = item
    return index


def completeness(file: RiskFileFacts) -> list[Gap]:
    """Every gap in the file, in a stable order (plan, hazards, situations, risks, controls,
    overall residual risk). Empty exactly when the file is complete.

    Facts that contradict themselves (a duplicate id, a situation of an unknown hazard, a risk of
    an unknown situation or with an unknown control) raise ValueError: that is a bug in the
    caller, not a gap in the file.
    """
    hazards = _index(file.hazards, "hazard")
    situations = _index(file.situations, "situation")
    risks = _index(file.risks, "risk")
    controls = _index(file.controls, "control")
    for situation in file.situations:
        if situation.hazard_id not in hazards:
            raise ValueError(
                f"situation {situation.id!r} belongs to unknown hazard {situation.hazard_id!r}"
            )
    for risk in file.risks:
        if risk.situation_id not in situations:
            raise ValueError(f"risk {risk.id!r} belongs to unknown situation {risk.situation_id!r}")
        for control_id in risk.control_ids:
            if control_id not in controls:
                raise ValueError(f"risk {risk.id!r} refers to unknown control {control_id!r}")
    for control in file.controls:
        control_kind(control.kind)

    gaps: list[Gap] = []
    if not file.plan_approved:
        gaps.append(
            _gap(
                PLAN_NOT_APPROVED,
                Ref(kind=PLAN),
                "is not approved",
                "er ikke godkjent",
            )
        )
    with_situations = {situation.hazard_id for situation in file.situations}
    for hazard in hazards.values():
        if hazard.id not in with_situations:
            gaps.append(
                _gap(
                    HAZARD_WITHOUT_SITUATION,
                    Ref(kind=HAZARD, id=hazard.id, name=hazard.name),
                    "has no hazardous situation",
                    "har ingen farlig situasjon",
                )
            )
    with_harms = {risk.situation_id for risk in file.risks}
    for situation in situations.values():
        if situation.id not in with_harms:
            gaps.append(
                _gap(
                    SITUATION_WITHOUT_HARM,
                    Ref(kind=SITUATION, id=situation.id, name=situation.name),
                    "has no harm",
                    "har ingen skade",
                )
            )
    for risk in risks.values():
        ref = Ref(kind=RISK, id=risk.id, name=risk.name)
        gaps.extend(afap_problems(risk))
        kinds = {controls[control_id].kind for control_id in risk.control_ids}
        lower = lower_priority_needs_rationale(kinds, risk.control_rationale, ref=ref)
        if lower is not None:
            gaps.append(lower)
        if risk.significant and not risk.disclosed:
            gaps.append(
                _gap(
                    SIGNIFICANT_RESIDUAL_RISK_NOT_DISCLOSED,
                    ref,
                    "is a significant residual risk but is not disclosed in the accompanying "
                    "information",
                    "er en vesentlig restrisiko, men er ikke opplyst om i den medfølgende "
                    "informasjonen",
                )
            )
    for control in controls.values():
        ref = Ref(kind=CONTROL, id=control.id, name=control.name)
        if not control.implementation_verified:
            gaps.append(
                _gap(
                    CONTROL_IMPLEMENTATION_NOT_VERIFIED,
                    ref,
                    "has no verification of its implementation",
                    "mangler verifikasjon av at det er gjennomført",
                )
            )
        if not control.effectiveness_verified:
            gaps.append(
                _gap(
                    CONTROL_EFFECTIVENESS_NOT_VERIFIED,
                    ref,
                    "has no verification of its effectiveness",
                    "mangler verifikasjon av at det er effektivt",
                )
            )
        if control_kind(control.kind) is ControlKind.INFORMATION and not (
            control.safety_information.strip()
        ):
            gaps.append(
                _gap(
                    SAFETY_INFORMATION_WITHOUT_TEXT,
                    ref,
                    "is information for safety but records no label or IFU text it relies on",
                    "er sikkerhetsinformasjon, men angir ikke teksten i merkingen eller "
                    "bruksanvisningen det bygger på",
                )
            )
        if not control.new_risks_reviewed:
            gaps.append(
                _gap(
                    CONTROL_NOT_REVIEWED_FOR_NEW_RISKS,
                    ref,
                    "has not been reviewed for new hazards or hazardous situations it introduces",
                    "er ikke gjennomgått for nye farer eller farlige situasjoner det kan innføre",
                )
            )
    overall = file.overall
    if overall is None or not overall.conclusion.strip():
        gaps.append(
            _gap(
                OVERALL_RESIDUAL_RISK_NOT_EVALUATED,
                Ref(kind=OVERALL),
                "has not been evaluated (no conclusion)",
                "er ikke evaluert (ingen konklusjon)",
            )
        )
    elif not overall.acceptable:
        gaps.append(
            _gap(
                OVERALL_RESIDUAL_RISK_NOT_ACCEPTABLE,
                Ref(kind=OVERALL),
                "is judged not acceptable",
                "er vurdert som ikke akseptabel",
            )
        )
    return gaps
