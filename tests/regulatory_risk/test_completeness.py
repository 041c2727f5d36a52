"""The live gap list of a risk management file and the "as far as possible" rule."""

import importlib
from dataclasses import replace

import pytest

from samsvar.regulatory.risk import (
    GAP_CODES,
    BenefitRiskFacts,
    ControlKind,
    HazardFacts,
    OverallFacts,
    RiskFacts,
    RiskFileFacts,
    SituationFacts,
    afap_problems,
    completeness,
    default_policy,
    estimate,
)

from .strategies import GOOD_ANALYSIS, good_control

# The package exports the function `completeness`, which shadows the module of the same name.
c = importlib.import_module("samsvar.regulatory.risk.completeness")

POLICY = default_policy()
ACCEPTABLE = estimate(POLICY, 2, 3, 3)
NOT_ACCEPTABLE = estimate(POLICY, 5, 5, 5)
assert ACCEPTABLE.acceptable and not NOT_ACCEPTABLE.acceptable

DESIGN = good_control("C1", ControlKind.INHERENT_SAFETY)
LABEL = good_control("C2", ControlKind.INFORMATION)


def complete_file(**changes):
    """A small complete file: one hazard, one situation, three risks (controlled, justified,
    unacceptable with an approved benefit-risk analysis)."""
    base = RiskFileFacts(
        plan_approved=True,
        hazards=(HazardFacts(id="H1", name="Electric shock"),),
        situations=(SituationFacts(id="S1", hazard_id="H1"),),
        risks=(
            RiskFacts(
                id="R1",
                situation_id="S1",
                estimate=NOT_ACCEPTABLE,
                control_ids=("C1", "C2"),
                control_rationale="A guard would block the display.",
                residual=ACCEPTABLE,
                significant=True,
                disclosed=True,
            ),
            RiskFacts(
                id="R2",
                situation_id="S1",
                estimate=ACCEPTABLE,
                afap_justification="Already at the state of the art.",
            ),
            RiskFacts(
                id="R3",
                situation_id="S1",
                estimate=NOT_ACCEPTABLE,
                afap_justification="No reduction possible without losing the therapy.",
                benefit_risk=GOOD_ANALYSIS,
            ),
        ),
        controls=(DESIGN, LABEL),
        overall=OverallFacts(conclusion="Acceptable.", acceptable=True),
    )
    return replace(base, **changes)


COMPLETE = complete_file()


def with_risk(file, id, **changes):
    return replace(
        file, risks=tuple(replace(r, **changes) if r.id == id else r for r in file.risks)
    )


def with_control(file, id, **changes):
    return replace(
        file, controls=tuple(replace(x, **changes) if x.id == id else x for x in file.controls)
    )


def test_the_complete_file_has_no_gap():
    assert completeness(COMPLETE) == []


# code -> (a file with exactly that one gap, the object it must point at, its English message)
POSITIVE = {
    c.PLAN_NOT_APPROVED: (
        complete_file(plan_approved=False),
        ("plan", None),
        "The risk management plan is not approved",
    ),
    c.HAZARD_WITHOUT_SITUATION: (
        complete_file(hazards=(*COMPLETE.hazards, HazardFacts(id="H2"))),
        ("hazard", "H2"),
        "Hazard H2 has no hazardous situation",
    ),
    c.SITUATION_WITHOUT_HARM: (
        complete_file(
            situations=(*COMPLETE.situations, SituationFacts(id="S2", hazard_id="H1", name="Wet"))
        ),
        ("situation", "S2"),
        "Hazardous situation “Wet” has no harm",
    ),
    c.RISK_WITHOUT_ESTIMATE: (
        with_risk(COMPLETE, "R2", estimate=None),
        ("risk", "R2"),
        "Risk R2 has no estimate (severity, P1 and P2)",
    ),
    c.UNACCEPTABLE_RISK_WITHOUT_CONTROL: (
        with_risk(COMPLETE, "R3", afap_justification=""),
        ("risk", "R3"),
        "Risk R3 is not acceptable and has no control measure; add one, or record why no "
        "reduction is possible",
    ),
    c.ACCEPTABLE_RISK_WITHOUT_AFAP: (
        with_risk(COMPLETE, "R2", afap_justification=" "),
        ("risk", "R2"),
        "Risk R2 is in an acceptable cell but has neither a control measure nor a recorded "
        "justification that further reduction is not possible without harming the benefit-risk "
        "ratio",
    ),
    c.RESIDUAL_RISK_WITHOUT_ESTIMATE: (
        with_risk(COMPLETE, "R1", residual=None),
        ("risk", "R1"),
        "Risk R1 has control measures but no estimate of the residual risk",
    ),
    c.UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK: (
        with_risk(COMPLETE, "R1", residual=NOT_ACCEPTABLE),
        ("risk", "R1"),
        "Risk R1 has a residual risk that is not acceptable and no benefit-risk analysis",
    ),
    c.BENEFIT_RISK_WITHOUT_CONCLUSION: (
        with_risk(COMPLETE, "R3", benefit_risk=replace(GOOD_ANALYSIS, conclusion="")),
        ("risk", "R3"),
        "Risk R3 has a benefit-risk analysis without a conclusion",
    ),
    c.BENEFIT_RISK_NOT_APPROVED: (
        with_risk(COMPLETE, "R3", benefit_risk=replace(GOOD_ANALYSIS, approved=False)),
        ("risk", "R3"),
        "Risk R3 has a benefit-risk analysis that is not approved",
    ),
    c.BENEFIT_RISK_UNFAVOURABLE: (
        with_risk(COMPLETE, "R3", benefit_risk=replace(GOOD_ANALYSIS, benefits_outweigh=False)),
        ("risk", "R3"),
        "Risk R3 has a benefit-risk analysis concluding that the benefits do not outweigh the "
        "residual risk; the risk must be reduced further",
    ),
    c.LOWER_PRIORITY_WITHOUT_RATIONALE: (
        with_risk(COMPLETE, "R1", control_rationale=""),
        ("risk", "R1"),
        "Risk R1 is controlled by information for safety (including training) without protective "
        "measures in the device or the manufacturing process; record why the higher-priority "
        "option is not practicable",
    ),
    c.CONTROL_IMPLEMENTATION_NOT_VERIFIED: (
        with_control(COMPLETE, "C1", implementation_verified=False),
        ("control", "C1"),
        "Control measure “control C1” has no verification of its implementation",
    ),
    c.CONTROL_EFFECTIVENESS_NOT_VERIFIED: (
        with_control(COMPLETE, "C2", effectiveness_verified=False),
        ("control", "C2"),
        "Control measure “control C2” has no verification of its effectiveness",
    ),
    c.SAFETY_INFORMATION_WITHOUT_TEXT: (
        with_control(COMPLETE, "C2", safety_information=""),
        ("control", "C2"),
        "Control measure “control C2” is information for safety but records no label or IFU "
        "text it relies on",
    ),
    c.CONTROL_NOT_REVIEWED_FOR_NEW_RISKS: (
        with_control(COMPLETE, "C1", new_risks_reviewed=False),
        ("control", "C1"),
        "Control measure “control C1” has not been reviewed for new hazards or hazardous "
        "situations it introduces",
    ),
    c.SIGNIFICANT_RESIDUAL_RISK_NOT_DISCLOSED: (
        with_risk(COMPLETE, "R1", disclosed=False),
        ("risk", "R1"),
        "Risk R1 is a significant residual risk but is not disclosed in the accompanying "
        "information",
    ),
    c.OVERALL_RESIDUAL_RISK_NOT_EVALUATED: (
        complete_file(overall=None),
        ("overall", None),
        "The overall residual risk has not been evaluated (no conclusion)",
    ),
    c.OVERALL_RESIDUAL_RISK_NOT_ACCEPTABLE: (
        complete_file(overall=OverallFacts(conclusion="Too many warnings.", acceptable=False)),
        ("overall", None),
        "The overall residual risk is judged not acceptable",
    ),
}

# code -> files close to the gap that do not have it (and are complete)
NEGATIVE = {
    c.PLAN_NOT_APPROVED: [COMPLETE],
    c.HAZARD_WITHOUT_SITUATION: [COMPLETE],
    c.SITUATION_WITHOUT_HARM: [COMPLETE],
    c.RISK_WITHOUT_ESTIMATE: [COMPLETE],
    # Unacceptable, uncontrolled, but justified and with a favourable analysis.
    c.UNACCEPTABLE_RISK_WITHOUT_CONTROL: [COMPLETE],
    # Acceptable with a control and no justification.
    c.ACCEPTABLE_RISK_WITHOUT_AFAP: [
        with_risk(COMPLETE, "R2", afap_justification="", control_ids=("C1",), residual=ACCEPTABLE)
    ],
    c.RESIDUAL_RISK_WITHOUT_ESTIMATE: [with_risk(COMPLETE, "R2", residual=None)],  # no controls
    c.UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK: [
        with_risk(COMPLETE, "R1", residual=NOT_ACCEPTABLE, benefit_risk=GOOD_ANALYSIS)
    ],
    c.BENEFIT_RISK_WITHOUT_CONCLUSION: [
        # An analysis of an acceptable risk is not required, so its state does not matter.
        with_risk(COMPLETE, "R2", benefit_risk=BenefitRiskFacts())
    ],
    c.BENEFIT_RISK_NOT_APPROVED: [with_risk(COMPLETE, "R2", benefit_risk=BenefitRiskFacts())],
    c.BENEFIT_RISK_UNFAVOURABLE: [with_risk(COMPLETE, "R2", benefit_risk=BenefitRiskFacts())],
    c.LOWER_PRIORITY_WITHOUT_RATIONALE: [
        with_risk(COMPLETE, "R1", control_rationale="", control_ids=("C1",))
    ],
    c.CONTROL_IMPLEMENTATION_NOT_VERIFIED: [COMPLETE],
    c.CONTROL_EFFECTIVENESS_NOT_VERIFIED: [COMPLETE],
    c.SAFETY_INFORMATION_WITHOUT_TEXT: [
        with_control(COMPLETE, "C1", safety_information="")  # not information for safety
    ],
    c.CONTROL_NOT_REVIEWED_FOR_NEW_RISKS: [COMPLETE],
    c.SIGNIFICANT_RESIDUAL_RISK_NOT_DISCLOSED: [
        with_risk(COMPLETE, "R1", significant=False, disclosed=False)
    ],
    c.OVERALL_RESIDUAL_RISK_NOT_EVALUATED: [COMPLETE],
    c.OVERALL_RESIDUAL_RISK_NOT_ACCEPTABLE: [COMPLETE],
}


def test_every_gap_code_has_a_positive_and_a_negative_case():
    assert set(POSITIVE) == set(NEGATIVE) == set(GAP_CODES)


@pytest.mark.parametrize("code", sorted(GAP_CODES))
def test_each_gap_is_reported_alone_with_clause_object_and_messages(code):
    file, (kind, id), message = POSITIVE[code]
    (gap,) = completeness(file)
    assert gap.code == code
    assert gap.clause == GAP_CODES[code]
    assert (gap.ref.kind, gap.ref.id) == (kind, id)
    assert gap.message_en == message
    assert gap.message_nb and gap.message_nb != gap.message_en
    assert gap.message("nb") == gap.message_nb


@pytest.mark.parametrize("code", sorted(GAP_CODES))
def test_each_gap_is_absent_from_its_near_miss(code):
    for file in NEGATIVE[code]:
        assert completeness(file) == []


def test_clauses():
    assert GAP_CODES[c.ACCEPTABLE_RISK_WITHOUT_AFAP] == "Annex Z"
    assert GAP_CODES[c.HAZARD_WITHOUT_SITUATION] == "5.4"
    assert GAP_CODES[c.UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK] == "7.4"
    assert GAP_CODES[c.OVERALL_RESIDUAL_RISK_NOT_EVALUATED] == "8"
    assert set(GAP_CODES.values()) <= {"4.4", "5.4", "5.5", "7.1", "7.2", "7.3", "7.4", "7.5", "8",
                                       "Annex Z"}  # fmt: skip


def test_an_empty_file_lacks_plan_approval_and_overall_evaluation():
    assert [g.code for g in completeness(RiskFileFacts())] == [
        c.PLAN_NOT_APPROVED,
        c.OVERALL_RESIDUAL_RISK_NOT_EVALUATED,
    ]


def test_norwegian_messages():
    file, _, _ = POSITIVE[c.HAZARD_WITHOUT_SITUATION]
    named = replace(file, hazards=(*COMPLETE.hazards, HazardFacts(id="H2", name="Varme")))
    (gap,) = completeness(named)
    assert gap.message_nb == "Fare «Varme» har ingen farlig situasjon"
    (gap,) = completeness(complete_file(plan_approved=False))
    assert gap.message_nb == "Risikostyringsplanen er ikke godkjent"


# --- the "as far as possible" rule on its own --------------------------------------------------


def test_afap_every_acceptable_risk_needs_a_control_or_a_justification():
    bare = RiskFacts(id=1, estimate=ACCEPTABLE)
    assert [g.code for g in afap_problems(bare)] == [c.ACCEPTABLE_RISK_WITHOUT_AFAP]
    assert afap_problems(replace(bare, afap_justification="State of the art.")) == []
    assert afap_problems(replace(bare, control_ids=(9,), residual=ACCEPTABLE)) == []


def test_afap_an_unacceptable_bare_risk_needs_control_and_benefit_risk():
    bare = RiskFacts(id=1, estimate=NOT_ACCEPTABLE)
    assert [g.code for g in afap_problems(bare)] == [
        c.UNACCEPTABLE_RISK_WITHOUT_CONTROL,
        c.UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK,
    ]
    justified = replace(bare, afap_justification="Cannot be reduced.")
    assert [g.code for g in afap_problems(justified)] == [
        c.UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK
    ]
    assert afap_problems(replace(justified, benefit_risk=GOOD_ANALYSIS)) == []


def test_afap_a_controlled_risk_is_judged_on_its_residual():
    controlled = RiskFacts(id=1, estimate=NOT_ACCEPTABLE, control_ids=(1,), residual=ACCEPTABLE)
    assert afap_problems(controlled) == []
    still = replace(controlled, residual=NOT_ACCEPTABLE)
    assert [g.code for g in afap_problems(still)] == [c.UNACCEPTABLE_RESIDUAL_WITHOUT_BENEFIT_RISK]
    # A controlled risk whose residual is acceptable needs no analysis, even if it started high.
    reduced = replace(controlled, estimate=estimate(POLICY, 5, 5, 5))
    assert afap_problems(reduced) == []


def test_afap_several_analysis_gaps_at_once():
    poor = BenefitRiskFacts(conclusion="", benefits_outweigh=False, approved=False)
    risk = RiskFacts(id=1, estimate=NOT_ACCEPTABLE, afap_justification="x", benefit_risk=poor)
    assert [g.code for g in afap_problems(risk)] == [
        c.BENEFIT_RISK_WITHOUT_CONCLUSION,
        c.BENEFIT_RISK_NOT_APPROVED,
    ]
    unfavourable = replace(poor, conclusion="Risks outweigh benefits.")
    assert [g.code for g in afap_problems(replace(risk, benefit_risk=unfavourable))] == [
        c.BENEFIT_RISK_UNFAVOURABLE,
        c.BENEFIT_RISK_NOT_APPROVED,
    ]


def test_afap_a_risk_without_estimate_yields_only_that():
    assert [g.code for g in afap_problems(RiskFacts(id=1))] == [c.RISK_WITHOUT_ESTIMATE]


# --- facts that contradict themselves are a bug in the caller ---------------------------------


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (complete_file(hazards=COMPLETE.hazards * 2), "hazard id 'H1' occurs more than once"),
        (
            complete_file(situations=(SituationFacts(id="S1", hazard_id="H9"),)),
            "situation 'S1' belongs to unknown hazard 'H9'",
        ),
        (with_risk(COMPLETE, "R2", situation_id="S9"), "risk 'R2' belongs to unknown situation"),
        (
            with_risk(COMPLETE, "R2", control_ids=("C9",)),
            "risk 'R2' refers to unknown control 'C9'",
        ),
        (with_control(COMPLETE, "C1", kind="guard"), "control kind 'guard' is not one of"),
    ],
)
def test_inconsistent_facts_raise(file, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        completeness(file)
