"""The demo risk files as plain data: complete for the pump, with real gaps for the meter."""

import dataclasses
import inspect
from collections import defaultdict

import pytest

from samsvar.regulatory.risk import (
    BenefitRiskFacts,
    ControlFacts,
    ControlKind,
    HazardFacts,
    OverallFacts,
    RiskFacts,
    RiskFileFacts,
    SituationFacts,
    completeness,
    default_policy,
    estimate,
    lower_priority_needs_rationale,
)
from samsvar.regulatory.risk.catalogue import all_safety_topics, hazard_category, safety_topic
from samsvar.regulatory.risk.fmea import fmea_kind, needs_action, rpn
from samsvar.risk import demo_content as content
from samsvar.risk.demo_content import METER_FILE, PUMP_FILE, RISK_FILES

POLICY = default_policy()
GROUPS = {"energy", "biological_chemical", "operational", "information"}


# --- From content to the facts of the completeness check ---------------------------------------


def harm_severity(file, risk):
    return {harm.key: harm.severity for harm in file.harms}[risk.harm]


def initial_estimate(file, risk):
    severity = harm_severity(file, risk)
    if None in (severity, risk.p1, risk.p2):
        return None
    return estimate(POLICY, severity, risk.p1, risk.p2)


def residual_estimate(file, risk):
    severity = risk.residual_severity or harm_severity(file, risk)
    if None in (severity, risk.residual_p1, risk.residual_p2):
        return None
    return estimate(POLICY, severity, risk.residual_p1, risk.residual_p2)


def controls_of(file):
    found = defaultdict(list)
    for control in file.controls:
        for key in control.risks:
            found[key].append(control)
    return found


def final_estimate(file, risk):
    return (
        residual_estimate(file, risk)
        if controls_of(file)[risk.key]
        else initial_estimate(file, risk)
    )


def passed(verification):
    return verification is not None and verification.result == "pass"


def facts(file):
    """The file as the application would describe it to `completeness` (see risk/facts.py)."""
    analyses = {}
    for analysis in file.benefit_risk:
        for key in analysis.risks:
            analyses[key] = BenefitRiskFacts(
                conclusion=analysis.conclusion,
                benefits_outweigh=analysis.conclusion == "favourable",
                approved=analysis.approved,
            )
    controls = controls_of(file)
    risks = []
    for risk in file.risks:
        final = final_estimate(file, risk)
        risks.append(
            RiskFacts(
                id=risk.key,
                situation_id=risk.situation,
                name=risk.key,
                estimate=initial_estimate(file, risk),
                control_ids=tuple(control.key for control in controls[risk.key]),
                control_rationale=risk.control_option_rationale,
                residual=residual_estimate(file, risk),
                afap_justification=risk.afap_justification,
                benefit_risk=analyses.get(risk.key),
                significant=risk.disclose or (final is not None and not final.acceptable),
                disclosed=bool(risk.disclosure_text.strip()),
            )
        )
    overall = None
    if file.overall is not None:
        overall = OverallFacts(
            conclusion=file.overall.conclusion, acceptable=file.overall.conclusion == "acceptable"
        )
    return RiskFileFacts(
        plan_approved=file.plan.approved,
        hazards=tuple(HazardFacts(id=h.key, name=h.title) for h in file.hazards),
        situations=tuple(
            SituationFacts(id=s.key, hazard_id=s.hazard, name=s.key) for s in file.situations
        ),
        risks=tuple(risks),
        controls=tuple(
            ControlFacts(
                id=control.key,
                kind=control.kind,
                name=control.key,
                implementation_verified=passed(control.implementation_verification),
                effectiveness_verified=passed(control.effectiveness_verification),
                safety_information=control.safety_information_text,
                new_risks_reviewed=control.new_risks_reviewed,
            )
            for control in file.controls
        ),
        overall=overall,
    )


# --- Completeness -----------------------------------------------------------------------------


def test_the_pump_file_is_complete_under_the_default_policy():
    gaps = completeness(facts(PUMP_FILE))
    assert [gap.message_en for gap in gaps] == []


def test_the_meter_file_has_real_gaps():
    codes = {gap.code for gap in completeness(facts(METER_FILE))}
    assert codes >= {
        "hazard_without_situation",
        "situation_without_harm",
        "risk_without_estimate",
        "unacceptable_risk_without_control",
        "acceptable_risk_without_afap",
        "control_implementation_not_verified",
        "control_effectiveness_not_verified",
        "control_not_reviewed_for_new_risks",
        "overall_residual_risk_not_evaluated",
    }
    assert "plan_not_approved" not in codes
    assert METER_FILE.plan.approved


def test_completing_the_meter_would_need_real_work():
    """The gaps point at records a user can open: the same keys as in the content."""
    gaps = completeness(facts(METER_FILE))
    keys = {gap.ref.id for gap in gaps if gap.ref.id is not None}
    assert "H-expired-strips" in keys and "HS-unit-mix-up" in keys
    assert {"R-missed-hypo", "R-withheld-hyper", "R-lancet-infection"} <= keys
    assert "RC-strip-desiccant" in keys


# --- What the demo promises ------------------------------------------------------------------


def test_the_pump_file_has_the_promised_breadth():
    assert len(PUMP_FILE.hazards) >= 14
    assert len(PUMP_FILE.situations) >= 28
    hazards = {hazard.key: hazard for hazard in PUMP_FILE.hazards}
    groups_with_situations = {
        hazard_category(hazards[situation.hazard].category_key).group
        for situation in PUMP_FILE.situations
    }
    assert groups_with_situations == GROUPS
    assert {control.kind for control in PUMP_FILE.controls} == {kind.value for kind in ControlKind}
    assert len(PUMP_FILE.production_info) >= 6
    assert {sheet.kind for sheet in PUMP_FILE.fmea} >= {"design", "use"}
    assert all(len(sheet.rows) >= 5 for sheet in PUMP_FILE.fmea)


def test_some_pump_risks_are_not_acceptable_before_control():
    before = [initial_estimate(PUMP_FILE, risk) for risk in PUMP_FILE.risks]
    assert sum(not item.acceptable for item in before) >= 3
    assert any(item.acceptable for item in before)


def test_one_residual_risk_stays_not_acceptable_and_is_justified_by_benefit_risk():
    not_acceptable = [
        risk.key for risk in PUMP_FILE.risks if not final_estimate(PUMP_FILE, risk).acceptable
    ]
    assert not_acceptable
    justified = {key for analysis in PUMP_FILE.benefit_risk for key in analysis.risks}
    assert set(not_acceptable) <= justified
    for analysis in PUMP_FILE.benefit_risk:
        assert analysis.conclusion == "favourable" and analysis.approved
        assert analysis.benefits.strip() and analysis.analysis.strip()


def test_risks_without_control_are_justified_and_acceptable():
    controlled = controls_of(PUMP_FILE)
    uncontrolled = [risk for risk in PUMP_FILE.risks if not controlled[risk.key]]
    assert uncontrolled
    for risk in uncontrolled:
        assert risk.afap_justification.strip(), risk.key
        assert initial_estimate(PUMP_FILE, risk).acceptable, risk.key
        assert risk.residual_p1 is None and risk.residual_p2 is None, risk.key


def test_a_rationale_is_recorded_exactly_where_a_higher_option_is_skipped():
    controlled = controls_of(PUMP_FILE)
    needing = 0
    for risk in PUMP_FILE.risks:
        kinds = {control.kind for control in controlled[risk.key]}
        needs = lower_priority_needs_rationale(kinds, "") is not None
        needing += needs
        assert needs == bool(risk.control_option_rationale.strip()), risk.key
    assert needing


def test_controls_can_be_created_in_order_without_a_passing_rationale_gap():
    """A loader creating the controls one by one never links a risk to a lower-priority kind
    while the higher kinds it will get are still missing."""
    for file in RISK_FILES:
        risks = {risk.key: risk for risk in file.risks}
        kinds = defaultdict(set)
        priorities = [ControlKind(control.kind).priority for control in file.controls]
        assert priorities == sorted(priorities)
        for control in file.controls:
            for key in control.risks:
                kinds[key].add(control.kind)
                rationale = risks[key].control_option_rationale
                assert lower_priority_needs_rationale(kinds[key], rationale) is None, key


def test_a_control_lowers_a_severity_and_one_brings_in_a_new_hazard():
    lowered = [risk for risk in PUMP_FILE.risks if risk.residual_severity is not None]
    assert lowered
    for risk in lowered:
        assert risk.residual_severity < harm_severity(PUMP_FILE, risk)
    controls = {control.key: control for control in PUMP_FILE.controls}
    introduced = [h for h in PUMP_FILE.hazards if h.introduced_by]
    assert introduced
    for hazard in introduced:
        control = controls[hazard.introduced_by]
        assert control.new_risks_reviewed and hazard.key in control.new_risks_notes
    situations = [s for s in PUMP_FILE.situations if s.introduced_by]
    assert {s.hazard for s in situations} <= {h.key for h in introduced}


# --- Consistency of the data ------------------------------------------------------------------


def unique(items, what):
    keys = [item.key for item in items]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"duplicate {what} keys: {duplicates}"
    return set(keys)


@pytest.mark.parametrize("file", RISK_FILES, ids=lambda file: file.device)
def test_every_reference_resolves(file):
    hazards = unique(file.hazards, "hazard")
    harms = unique(file.harms, "harm")
    situations = unique(file.situations, "situation")
    risks = unique(file.risks, "risk")
    controls = unique(file.controls, "control")
    unique(file.benefit_risk, "benefit-risk")
    unique(file.production_info, "production information")
    unique(file.fmea, "FMEA")
    for hazard in file.hazards:
        assert hazard_category(hazard.category_key).key == hazard.category_key
        assert hazard.introduced_by in {"", *controls}
    for situation in file.situations:
        assert situation.hazard in hazards
        assert situation.introduced_by in {"", *controls}
    pairs = [(risk.situation, risk.harm) for risk in file.risks]
    assert len(pairs) == len(set(pairs)), "a situation-harm pair occurs twice"
    for risk in file.risks:
        assert risk.situation in situations and risk.harm in harms
    for control in file.controls:
        assert control.risks and set(control.risks) <= risks
    for analysis in file.benefit_risk:
        assert set(analysis.risks) <= risks
    for item in file.production_info:
        assert set(item.hazards) <= hazards and set(item.risks) <= risks
        assert item.situation in {"", *situations}
    for sheet in file.fmea:
        assert all(row.hazard in {"", *hazards} for row in sheet.rows)
    topics = [answer.topic_key for answer in file.safety]
    assert len(topics) == len(set(topics))
    for answer in file.safety:
        assert safety_topic(answer.topic_key).key == answer.topic_key
        assert set(answer.hazards) <= hazards


@pytest.mark.parametrize("file", RISK_FILES, ids=lambda file: file.device)
def test_ranks_are_on_the_scales_of_the_default_policy(file):
    severities = set(POLICY.severity.ranks)
    probabilities = set(POLICY.probability.ranks)
    for harm in file.harms:
        assert harm.severity is None or harm.severity in severities
    controlled = controls_of(file)
    for risk in file.risks:
        assert (risk.p1 is None) == (risk.p2 is None), risk.key
        assert (risk.residual_p1 is None) == (risk.residual_p2 is None), risk.key
        for rank in (risk.p1, risk.p2, risk.residual_p1, risk.residual_p2):
            assert rank is None or rank in probabilities, risk.key
        if risk.residual_p1 is not None:
            assert controlled[risk.key], f"{risk.key} has a residual estimate but no control"
            assert risk.residual_p1 <= risk.p1 and risk.residual_p2 <= risk.p2, risk.key


@pytest.mark.parametrize("file", RISK_FILES, ids=lambda file: file.device)
def test_p1_belongs_to_the_situation(file):
    """P1 is the probability of the hazardous situation, so all its risks share it (and, when
    controlled, share the residual P1)."""
    controlled = controls_of(file)
    before = defaultdict(set)
    after = defaultdict(set)
    for risk in file.risks:
        if risk.p1 is not None:
            before[risk.situation].add(risk.p1)
        if controlled[risk.key]:
            after[risk.situation].add(risk.residual_p1)
    assert all(len(ranks) == 1 for ranks in before.values()), dict(before)
    assert all(len(ranks) == 1 for ranks in after.values()), dict(after)


@pytest.mark.parametrize("file", RISK_FILES, ids=lambda file: file.device)
def test_every_information_control_quotes_its_label_or_ifu_text(file):
    for control in file.controls:
        assert control.description.strip() and control.implementation.strip()
        if control.kind == content.INFORMATION:
            assert control.safety_information_text.strip(), control.key


def test_every_pump_control_is_verified_in_2026_by_a_demo_person():
    from samsvar.accounts.demo import DEMO_USERS

    people = {username for username, *_ in DEMO_USERS}
    for control in PUMP_FILE.controls:
        checks = (control.implementation_verification, control.effectiveness_verification)
        for check in checks:
            assert check.result == "pass" and check.date.year == 2026, control.key
            assert check.verified_by in people, control.key
            assert check.evidence.strip() and len(check.evidence) <= 300, control.key
        assert checks[0].date <= checks[1].date, control.key
        assert control.new_risks_reviewed, control.key


def test_disclosures_are_whole():
    for risk in PUMP_FILE.risks:
        assert risk.disclose == bool(risk.disclosure_text.strip()), risk.key
    disclosed = [risk for risk in PUMP_FILE.risks if risk.disclose]
    assert len(disclosed) >= 3


def test_the_pump_questionnaire_covers_every_topic_and_raises_every_hazard():
    answered = {answer.topic_key for answer in PUMP_FILE.safety}
    assert answered == {topic.key for topic in all_safety_topics()}
    for answer in PUMP_FILE.safety:
        assert answer.answer in (content.YES, content.NO, content.NOT_APPLICABLE)
        assert answer.notes.strip(), answer.topic_key
        if answer.answer != content.YES:
            assert not answer.hazards, answer.topic_key
    raised = {key for answer in PUMP_FILE.safety for key in answer.hazards}
    assert raised == {hazard.key for hazard in PUMP_FILE.hazards}


def test_the_meter_questionnaire_is_only_begun():
    answered = {answer.topic_key for answer in METER_FILE.safety}
    assert 0 < len(answered) < len(all_safety_topics())


def test_fmea_rows_score_within_scales_and_carry_actions_when_needed():
    for sheet in PUMP_FILE.fmea:
        assert fmea_kind(sheet.kind).value == sheet.kind
        assert sheet.title.strip()
        for row in sheet.rows:
            assert rpn(row.severity, row.occurrence, row.detection) >= 1
            assert row.hazard, row.failure_mode
            if needs_action(row.severity, row.occurrence, row.detection):
                assert row.actions.strip(), row.failure_mode
    rows = [row for sheet in PUMP_FILE.fmea for row in sheet.rows]
    assert any(not needs_action(r.severity, r.occurrence, r.detection) for r in rows)


def estimated_p1(file, situation):
    """The P1 rank the file holds for a situation: after control where controlled."""
    controlled = controls_of(file)
    ranks = [
        (risk.residual_p1 if controlled[risk.key] else risk.p1)
        for risk in file.risks
        if risk.situation == situation
    ]
    return max(rank for rank in ranks if rank is not None)


def test_post_production_information_tells_the_truth_about_probabilities():
    sources = {item.source for item in PUMP_FILE.production_info}
    assert sources >= {"complaint", "service", "pms", "literature", "similar_devices"}
    counted = [item for item in PUMP_FILE.production_info if item.exposure]
    assert counted
    for item in counted:
        assert item.situation and 0 <= item.occurrences <= item.exposure
        observed = POLICY.probability.rank_for(item.occurrences / item.exposure)
        underestimated = observed > estimated_p1(PUMP_FILE, item.situation)
        assert underestimated == (item.finding == "probability_underestimated"), item.key
    assert any(item.finding == "probability_underestimated" for item in counted)


# --- Fit with the records and services a loader uses ------------------------------------------


def model_pairs():
    from samsvar.risk import models

    return [
        (content.Plan, models.RiskPlan),
        (content.Analysis, models.RiskAnalysis),
        (content.Hazard, models.Hazard),
        (content.Harm, models.Harm),
        (content.Situation, models.HazardousSituation),
        (content.Risk, models.Risk),
        (content.Control, models.ControlMeasure),
        (content.BenefitRisk, models.BenefitRiskAnalysis),
        (content.Overall, models.OverallEvaluation),
        (content.ProductionInfo, models.ProductionInfo),
        (content.FmeaWorksheet, models.FmeaWorksheet),
        (content.FmeaRow, models.FmeaRow),
        (content.SafetyAnswer, models.SafetyCharacteristic),
    ]


def records(file):
    yield file.plan
    yield file.analysis
    yield from file.safety
    yield from file.hazards
    yield from file.harms
    yield from file.situations
    yield from file.risks
    yield from file.controls
    yield from file.benefit_risk
    if file.overall is not None:
        yield file.overall
    yield from file.production_info
    for sheet in file.fmea:
        yield sheet
        yield from sheet.rows


def test_field_names_are_those_of_the_models():
    for record_class, model in model_pairs():
        names = {field.name for field in model._meta.get_fields()}
        fields = {field.name for field in dataclasses.fields(record_class)}
        fields -= {"key", "approved", "rows"}
        fields -= {"implementation_verification", "effectiveness_verification"}
        assert fields <= names, (record_class.__name__, fields - names)


@pytest.mark.parametrize("file", RISK_FILES, ids=lambda file: file.device)
def test_values_fit_the_model_fields_and_choices(file):
    models = dict(model_pairs())
    for record in records(file):
        model = models[type(record)]
        for name, value in record.values().items():
            field = model._meta.get_field(name)
            if isinstance(value, str) and field.max_length:
                assert len(value) <= field.max_length, (type(record).__name__, name)
            if field.choices and value not in ("", None):
                assert value in {choice for choice, _label in field.choices}, (name, value)


def test_values_are_what_the_services_take():
    from samsvar.risk import services

    accepted = {
        content.Plan: services.PLAN_FIELDS,
        content.Analysis: services.ANALYSIS_FIELDS,
        content.Hazard: services.HAZARD_FIELDS,
        content.Harm: services.HARM_FIELDS,
        content.Situation: services.SITUATION_FIELDS,
        content.Risk: services.RISK_FIELDS,
        content.Control: services.CONTROL_FIELDS,
        content.BenefitRisk: services.BENEFIT_RISK_FIELDS,
        content.Overall: services.OVERALL_FIELDS,
        content.ProductionInfo: services.INFO_FIELDS,
        content.FmeaWorksheet: services.WORKSHEET_FIELDS,
        content.FmeaRow: services.ROW_FIELDS,
    }
    for file in RISK_FILES:
        for record in records(file):
            if type(record) in accepted:
                unknown = set(record.values()) - set(accepted[type(record)])
                assert not unknown, (type(record).__name__, unknown)
    verify = set(inspect.signature(services.control_verify).parameters)
    verification = PUMP_FILE.controls[0].implementation_verification
    assert set(verification.values()) == verify - {"actor", "control", "aspect", "reason"}
    save = set(inspect.signature(services.safety_characteristic_save).parameters)
    assert {field.name for field in dataclasses.fields(content.SafetyAnswer)} <= save
