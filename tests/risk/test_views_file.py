"""The risk management file screens, spoken to over HTTP as the people who use them: each page
shows the real file, each form saves through its service or names the bad field, nothing is
half-saved, and the auditor reads everything and changes nothing."""

import pytest
from django.urls import reverse

from samsvar.core.models import AuditEvent, Signature
from samsvar.regulatory.risk import catalogue, default_policy
from samsvar.risk import selectors, services
from samsvar.risk.forms import PolicyForm, topic_prefix
from samsvar.risk.models import (
    BenefitRiskAnalysis,
    ControlMeasure,
    Hazard,
    HazardousSituation,
    OverallEvaluation,
    Risk,
    RiskLevelChange,
    RiskPlan,
    RiskReview,
    SafetyCharacteristic,
)
from tests.conftest import PASSWORD
from tests.risk.conftest import approve


def url(name, *args):
    return reverse(f"risk:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def errors(response) -> dict:
    return response.context["form"].errors


@pytest.fixture
def qm(client_for):
    return client_for("quality_manager")


# --- Overview ---------------------------------------------------------------------------------


def test_the_overview_shows_counts_and_every_gap_with_a_link_to_fix_it(build, qm, device):
    risk = build.risk(severity=4, p1=4, p2=4)  # S4, P3: not acceptable, no control
    lonely = build.hazard(title="Battery swelling")
    page = text(qm.get(url("file", device.pk)))
    assert "Not approved" in page
    assert "Battery swelling" in page
    assert url("hazard", lonely.pk) in page  # hazard without situation links to the hazard
    assert url("risk", risk.pk) in page  # unacceptable risk without control links to the risk
    assert url("plan", device.pk) in page and url("overall", device.pk) in page
    gaps = selectors.risk_file_gaps(device)
    assert f'<span class="count" id="gap-count">{len(gaps)}</span>' in page
    assert 'id="review-complete" disabled' in page


def test_the_review_is_refused_with_every_gap_while_the_file_has_gaps(build, qm, device):
    build.risk(severity=4, p1=4, p2=4)
    trail = AuditEvent.objects.count()
    response = qm.post(url("file_review", device.pk), {"conclusions": "All done."})
    assert response.status_code == 200
    messages = " ".join(response.context["form"].non_field_errors())
    assert "not complete" in messages and "is not approved" in messages
    assert not RiskReview.objects.exists() and AuditEvent.objects.count() == trail


def test_a_complete_file_can_be_reviewed_and_the_review_signed(complete_file, qm, device):
    page = text(qm.get(url("file", device.pk)))
    assert "No gaps." in page and 'id="review-complete" disabled' not in page
    response = qm.post(url("file_review", device.pk), {"conclusions": ""})
    assert "conclusions" in errors(response)
    response = qm.post(url("file_review", device.pk), {"conclusions": "Plan carried out."})
    review = RiskReview.objects.get(device=device)
    assert response["Location"] == url("review", review.pk)
    assert review.plan_version == complete_file["plan"].version and review.risk_count == 1
    assert "Plan carried out." in text(qm.get(url("review", review.pk)))
    qm.post(url("review_sign", review.pk), {"meaning": "approved", "password": PASSWORD})
    assert Signature.objects.filter(record_version__object_id=str(review.pk)).exists()
    assert "Approved" in text(qm.get(url("review", review.pk)))


# --- Plan and policy --------------------------------------------------------------------------


def test_a_plan_is_adopted_from_the_ready_policy_and_shown_as_tables(qm, device):
    assert 'action="/risk/devices/' in text(qm.get(url("plan", device.pk)))
    response = qm.post(url("plan_adopt", device.pk))
    assert response["Location"] == url("plan", device.pk)
    plan = RiskPlan.objects.get(device=device)
    page = text(qm.get(url("plan", device.pk)))
    for level in default_policy().severity.levels:
        assert level.name_en in page
    assert "[0.0001, 0.001)" in page and "[0.01, 1]" in page
    assert "Not approved" in page
    qm.post(url("plan_adopt", device.pk))  # a second time: refused with a message
    assert RiskPlan.objects.filter(device=device).count() == 1
    assert plan.version == 1


def test_the_plan_text_saves_and_an_approved_plan_needs_a_reason(plan, qm, device, approver):
    response = qm.post(url("plan_edit", device.pk), {"scope": "InsuPump 3, all variants."})
    assert response.status_code == 302
    assert "InsuPump 3, all variants." in text(qm.get(url("plan", device.pk)))
    approve(plan, approver)
    assert "Not approved" not in text(qm.get(url("plan", device.pk)))
    response = qm.post(url("plan_edit", device.pk), {"scope": "Only IP3-100."})
    assert "reason" in errors(response)
    assert RiskPlan.objects.get(pk=plan.pk).scope == "InsuPump 3, all variants."
    qm.post(url("plan_edit", device.pk), {"scope": "Only IP3-100.", "reason": "Variant dropped"})
    plan.refresh_from_db()
    assert (plan.version, plan.scope) == (2, "Only IP3-100.")


def test_the_plan_is_approved_through_the_sign_page(plan, client_for, device):
    approver = client_for("approver")
    assert "Content SHA-256" in text(approver.get(url("plan_sign", device.pk)))
    response = approver.post(
        url("plan_sign", device.pk), {"meaning": "approved", "password": PASSWORD}
    )
    assert response["Location"] == url("plan", device.pk)
    assert selectors.plan_approved(device)


def policy_post(policy, sizes=None, **changes) -> dict:
    """What the policy editor posts when nothing is touched, with `changes` on top."""
    sizes = sizes or (policy.severity.size, policy.probability.size)
    form = PolicyForm(policy=policy, sizes=sizes)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_policy_editor_saves_a_matrix_cell_and_lists_the_risks_that_changed(
    plan, build, qm, device
):
    moved = build.risk(severity=3, p1=4, p2=5)  # S3, P3: acceptable in the ready matrix
    stays = build.risk(severity=1, p1=1, p2=1)
    page = text(qm.get(url("plan_policy", device.pk)))
    assert 'name="m3_3"' in page and 'name="c5_5"' in page and "Frequent" in page
    response = qm.post(url("plan_policy", device.pk), policy_post(default_policy(), m3_3=None))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"].endswith("#level-changes")
    moved.refresh_from_db()
    assert moved.initial_acceptable is False
    changes = RiskLevelChange.objects.filter(plan=plan)
    assert {change.risk_id for change in changes} == {moved.pk}
    page = text(qm.get(url("plan", device.pk)))
    assert url("risk", moved.pk) in page and url("risk", stays.pk) not in page


def test_the_policy_editor_shows_each_problem_beside_its_cell(plan, qm, device):
    trail = AuditEvent.objects.count()
    body = policy_post(default_policy(), p2_high="0.01", combination_method="table", c2_3="")
    response = qm.post(url("plan_policy", device.pk), body)
    assert response.status_code == 200
    form_errors = errors(response)
    assert "overlaps" in " ".join(form_errors["p2_high"])
    assert "(P1=2, P2=3)" in " ".join(form_errors["c2_3"])
    body = policy_post(default_policy(), s2_name_en="", s2_name_nb="")
    form_errors = errors(qm.post(url("plan_policy", device.pk), body))
    assert "no name" in " ".join(form_errors["s2_name_en"])
    body = policy_post(default_policy(), p3_low="a lot")
    assert "p3_low" in errors(qm.post(url("plan_policy", device.pk), body))
    assert AuditEvent.objects.count() == trail
    plan.refresh_from_db()
    assert plan.policy == services.policy_to_dict(default_policy())


def test_the_policy_editor_changes_the_number_of_levels(plan, qm, device):
    page = text(qm.get(url("plan_policy", device.pk) + "?severity_levels=4&probability_levels=9"))
    assert 'name="s4_name_en"' in page and 'name="s5_name_en"' not in page
    assert 'name="p5_low"' in page  # 9 is out of range: the current five stay
    body = policy_post(default_policy(), sizes=(4, 5), s4_name_en="Critical or worse")
    body.update(s4_definition_en="Permanent impairment or death.", m4_1="on")
    response = qm.post(url("plan_policy", device.pk), body)
    assert response.status_code == 302, errors(response)
    policy = selectors.plan_policy(device)
    assert policy.severity.size == 4 and policy.severity.level(4).name_en == "Critical or worse"
    body = policy_post(default_policy(), severity_levels="9")
    assert "severity_levels" in errors(qm.post(url("plan_policy", device.pk), body))


# --- Analysis and the questionnaire -----------------------------------------------------------


def test_the_analysis_starts_from_the_intended_purpose_and_saves(qm, plan, device):
    page = text(qm.get(url("analysis_edit", device.pk)))
    assert device.intended_purpose in page
    response = qm.post(
        url("analysis_edit", device.pk),
        {"intended_use": "Insulin for type 1 diabetes at home.", "foreseeable_misuse": "Sauna."},
    )
    assert response["Location"] == url("analysis", device.pk)
    page = text(qm.get(url("analysis", device.pk)))
    assert "Insulin for type 1 diabetes at home." in page and "Sauna." in page
    assert device.intended_purpose in page  # shown beside it


def test_the_questionnaire_saves_one_row_through_htmx(build, qm, device):
    hazard = build.hazard(title="Needle left in skin")
    topic = catalogue.all_safety_topics()[1]
    prefix = topic_prefix(topic.key)
    page = text(qm.get(url("safety", device.pk)))
    for item in catalogue.all_safety_topics():
        assert f'id="{topic_prefix(item.key)}"' in page
    answer = url("safety_topic", device.pk) + f"?topic={topic.key}"
    response = qm.post(
        answer,
        {f"{prefix}-answer": "yes", f"{prefix}-notes": "Cannula.", f"{prefix}-hazards": hazard.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Saved" in text(response) and f'id="{prefix}"' in text(response)
    assert "<html" not in text(response)
    item = SafetyCharacteristic.objects.get(device=device, topic_key=topic.key)
    assert (item.answer, item.notes, list(item.hazards.all())) == ("yes", "Cannula.", [hazard])
    response = qm.post(answer, {f"{prefix}-answer": "maybe"}, HTTP_HX_REQUEST="true")
    assert "Select a valid choice" in text(response) and "Saved" not in text(response)
    assert SafetyCharacteristic.objects.get(pk=item.pk).answer == "yes"


def test_the_questionnaire_refuses_unknown_topics_and_other_devices_hazards(
    build, qm, device, make_device, quality
):
    other = make_device(quality, name="Other pump")
    foreign = services.hazard_create(actor=quality, device=other, origin="own", title="Foreign")
    assert qm.get(url("safety_topic", device.pk) + "?topic=no.such").status_code == 404
    assert qm.get(url("safety_topic", device.pk)).status_code == 404
    topic = catalogue.all_safety_topics()[0].key
    prefix = topic_prefix(topic)
    response = qm.post(
        url("safety_topic", device.pk) + f"?topic={topic}",
        {f"{prefix}-answer": "yes", f"{prefix}-hazards": foreign.pk},
    )
    assert response.status_code == 200 and "hazards" in errors(response)
    assert not SafetyCharacteristic.objects.exists()


# --- Hazards, situations, harms, risks --------------------------------------------------------


def test_a_hazard_from_the_catalogue_then_a_situation_then_a_risk(plan, qm, device, engineer):
    response = qm.post(url("file_hazard_add", device.pk), {"origin": "catalogue", "title": "Shock"})
    assert "category_key" in errors(response)
    response = qm.post(
        url("file_hazard_add", device.pk),
        {"origin": "catalogue", "category_key": "energy.electrical", "title": "Leakage current"},
    )
    hazard = Hazard.objects.get(device=device)
    assert response["Location"] == url("hazard", hazard.pk)
    electrical = catalogue.hazard_category("energy.electrical").title_en
    assert electrical in text(qm.get(url("file_hazards", device.pk)))
    response = qm.post(
        url("hazard_situation_add", hazard.pk),
        {"sequence_of_events": "1. Charger fails.", "description": "User touches live parts."},
    )
    situation = HazardousSituation.objects.get(hazard=hazard)
    assert response["Location"] == url("situation", situation.pk)
    harm = services.harm_create(actor=engineer, device=device, name="Electric shock", severity=4)
    response = qm.post(url("situation_risk_add", situation.pk), {"harm": harm.pk, "p1": 5, "p2": 5})
    risk = Risk.objects.get(situation=situation)
    assert response["Location"] == url("risk", risk.pk)
    page = text(qm.get(url("risk", risk.pk)))
    # S4 with P1 5 and P2 5 gives P5 under the ready policy: not acceptable.
    assert "5: Frequent" in page and "Not acceptable" in page and "Electric shock" in page
    assert "S 4: Critical · P 5: Frequent" in text(qm.get(url("situation", situation.pk)))


def _engineer():
    from samsvar.accounts.models import User

    return User.objects.get(username="engineer")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"p1": "9", "p2": "1"}, "p1"),
        ({"p1": "-1", "p2": "1"}, "p1"),
        ({"p1": "1"}, "p2"),
        ({"p1": "x", "p2": "1"}, "p1"),
        ({"harm": "999999", "p1": "1", "p2": "1"}, "harm"),
        ({"harm": "abc"}, "harm"),
    ],
)
def test_bad_risk_input_is_named_and_nothing_is_saved(build, qm, body, field):
    situation = build.situation()
    harm = build.harm(severity=3)
    body = {"harm": harm.pk, **body}
    trail = AuditEvent.objects.count()
    response = qm.post(url("situation_risk_add", situation.pk), body)
    assert response.status_code == 200 and field in errors(response)
    assert not Risk.objects.exists() and AuditEvent.objects.count() == trail


def test_a_harm_of_another_device_cannot_be_linked(build, qm, make_device, quality):
    situation = build.situation()
    other = make_device(quality, name="Other meter")
    services.plan_adopt_default(actor=quality, device=other)
    foreign = services.harm_create(actor=quality, device=other, name="Foreign harm", severity=2)
    response = qm.post(url("situation_risk_add", situation.pk), {"harm": foreign.pk, "p1": 1})
    assert "harm" in errors(response) and not Risk.objects.exists()


@pytest.mark.parametrize(
    "name", ["hazard", "situation", "harm", "risk", "control", "benefit_risk", "review"]
)
def test_unknown_records_are_not_found(qm, name):
    assert qm.get(url(name, 999999)).status_code == 404


def test_pages_of_a_device_without_a_plan_or_records_are_not_found_or_offer_to_start(qm, device):
    assert qm.get(url("plan_edit", device.pk)).status_code == 404
    assert qm.get(url("plan_sign", device.pk)).status_code == 404
    assert qm.get(url("overall_sign", device.pk)).status_code == 404
    assert qm.get(url("file", 999999)).status_code == 404
    assert "Adopt a risk management plan first" in text(
        qm.post(url("file_harm_add", device.pk), {"name": "Burn", "severity": "3"})
    )


def test_the_harm_severity_comes_from_the_scale_and_moves_its_risks(build, qm, device):
    risk = build.risk(severity=2, p1=4, p2=4)  # S2, P2: acceptable
    response = qm.post(url("harm_edit", risk.harm_id), {"name": risk.harm.name, "severity": "8"})
    assert "severity" in errors(response)
    qm.post(url("harm_edit", risk.harm_id), {"name": risk.harm.name, "severity": "5"})
    risk.refresh_from_db()
    assert (risk.severity, risk.initial_acceptable) == (5, False)
    page = text(qm.get(url("harm", risk.harm_id)))
    assert "5: Catastrophic" in page and url("risk", risk.pk) in page


def test_adding_a_harm_returns_to_the_risk_form_it_came_from(build, qm, device):
    situation = build.situation()
    back = url("situation_risk_add", situation.pk)
    response = qm.post(
        url("file_harm_add", device.pk) + f"?next={back}",
        {"name": "Infection", "severity": "3", "next": back},
    )
    assert response["Location"] == back
    response = qm.post(
        url("file_harm_add", device.pk), {"name": "Burn", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/risk/harms/")


def test_the_estimate_preview_computes_p_and_the_level(build, qm, device):
    harm = build.harm(severity=5)
    response = qm.get(url("file_estimate", device.pk) + f"?harm={harm.pk}&p1=5&p2=5")
    assert "Not acceptable" in text(response) and "5: Frequent" in text(response)
    response = qm.get(url("file_estimate", device.pk) + f"?harm={harm.pk}&p1=1&p2=1")
    assert "Acceptable" in text(response) and "1: Improbable" in text(response)
    response = qm.get(url("file_estimate", device.pk) + "?harm=x&p1=99&p2=")
    assert response.status_code == 200 and "Choose the harm" in text(response)


def test_deleting_needs_confirmation_and_is_refused_while_others_depend(build, qm):
    risk = build.risk()
    hazard = risk.situation.hazard
    response = qm.post(url("hazard_delete", hazard.pk), {})
    assert "confirm" in errors(response)
    response = qm.post(url("hazard_delete", hazard.pk), {"confirm": "on"})
    assert "hazardous situations (1)" in " ".join(response.context["form"].non_field_errors())
    assert Hazard.objects.filter(pk=hazard.pk).exists()
    response = qm.post(url("risk_delete", risk.pk), {"confirm": "on", "reason": "Duplicate"})
    assert response["Location"] == url("situation", risk.situation_id)
    assert not Risk.objects.filter(pk=risk.pk).exists()


# --- Evaluation and control -------------------------------------------------------------------


def test_the_risk_form_records_residual_risk_and_justifications(build, qm):
    risk = build.risk(severity=4, p1=4, p2=4)
    build.control([risk])
    body = {
        "p1": "4",
        "p2": "4",
        "residual_p1": "2",
        "residual_p2": "2",
        "afap_justification": "",
        "control_option_rationale": "",
        "disclose": "on",
        "disclosure_text": "IFU 7.1: keep a glucose source at hand.",
    }
    response = qm.post(url("risk_edit", risk.pk), body)
    assert response["Location"] == url("risk", risk.pk)
    risk.refresh_from_db()
    assert (risk.residual_p, risk.residual_acceptable, risk.disclose) == (1, True, True)
    page = text(qm.get(url("risk", risk.pk)))
    assert "1: Improbable" in page and "IFU 7.1: keep a glucose source at hand." in page
    assert url("control", risk.controls.get().pk) in page
    response = qm.post(url("risk_edit", risk.pk), {**body, "residual_p2": ""})
    assert "residual_p2" in errors(response)


def test_a_lower_priority_control_alone_needs_a_rationale_on_the_risk(build, qm, device):
    risk = build.risk(severity=3, p1=3, p2=3)
    body = {
        "kind": "information",
        "description": "Warning in the IFU.",
        "safety_information_text": "",
        "risks": [risk.pk],
    }
    response = qm.post(url("file_control_add", device.pk), body)
    assert "safety_information_text" in errors(response)
    body["safety_information_text"] = "Do not use in an MRI room."
    response = qm.post(url("file_control_add", device.pk), body)
    assert "not practicable" in " ".join(errors(response)["risks"])
    assert not ControlMeasure.objects.exists()
    services.risk_update(
        actor=_engineer(), risk=risk, control_option_rationale="No design change is feasible."
    )
    response = qm.post(url("file_control_add", device.pk), body)
    control = ControlMeasure.objects.get()
    assert response["Location"] == url("control", control.pk)
    assert "Do not use in an MRI room." in text(qm.get(url("control", control.pk)))


def test_one_control_for_several_risks_verified_in_two_steps(build, qm, device, users):
    first, second = build.risk(), build.risk()
    page = text(qm.get(url("file_control_add", device.pk) + f"?risk={first.pk}"))
    assert "Priority 1" in page and "Priority 3" in page
    response = qm.post(
        url("file_control_add", device.pk),
        {
            "kind": "inherent_safety",
            "description": "Keyed connector.",
            "implementation": "DO-22",
            "risks": [first.pk, second.pk],
            "new_risks_reviewed": "on",
        },
    )
    control = ControlMeasure.objects.get()
    assert set(control.risks.all()) == {first, second}
    response = qm.post(
        url("control_verify", control.pk), {"aspect": "implementation", "result": "pass"}
    )
    assert {"evidence", "date", "verified_by"} <= set(errors(response))
    for aspect in ("implementation", "effectiveness"):
        response = qm.post(
            url("control_verify", control.pk),
            {
                "aspect": aspect,
                "evidence": f"VER-{aspect} rev A",
                "result": "pass",
                "date": "2026-03-02",
                "verified_by": users["engineer"].pk,
            },
        )
        assert response["Location"] == url("control", control.pk)
    control.refresh_from_db()
    assert control.implementation_verified and control.effectiveness_verified
    page = text(qm.get(url("control", control.pk)))
    assert "VER-effectiveness rev A" in page and "2026-03-02" in page
    assert url("risk", first.pk) in page and url("risk", second.pk) in page


# --- Benefit-risk, overall residual risk, disclosures -----------------------------------------


def test_a_benefit_risk_analysis_is_created_for_a_risk_and_approved(build, qm, device, approver):
    risk = build.risk(severity=5, p1=5, p2=5)
    assert url("risk", risk.pk) in text(qm.get(url("file_benefit_risks", device.pk)))
    response = qm.post(
        url("file_benefit_risk_add", device.pk),
        {
            "title": "Hypoglycaemia",
            "risks": [risk.pk],
            "benefits": "Fewer severe hyperglycaemic events.",
            "analysis": "Clinical data.",
            "conclusion": "favourable",
        },
    )
    analysis = BenefitRiskAnalysis.objects.get()
    assert response["Location"] == url("benefit_risk", analysis.pk)
    page = text(qm.get(url("benefit_risk", analysis.pk)))
    assert "Fewer severe hyperglycaemic events." in page and "Not approved" in page
    approve(analysis, approver)
    assert "Not approved" not in text(qm.get(url("benefit_risk", analysis.pk)))
    response = qm.post(url("benefit_risk_edit", analysis.pk), {"title": "", "conclusion": "yes"})
    assert {"title", "conclusion"} <= set(errors(response))


def test_the_overall_evaluation_and_the_disclosures(build, qm, device, approver, engineer):
    disclosed = build.risk(severity=2, p1=1, p2=1)
    services.risk_update(
        actor=engineer, risk=disclosed, disclose=True, disclosure_text="IFU 3.2: skin irritation."
    )
    unacceptable = build.risk(severity=5, p1=5, p2=5)
    quiet = build.risk(severity=1, p1=1, p2=1)
    page = text(qm.get(url("overall", device.pk)))
    assert "IFU 3.2: skin irritation." in page
    assert url("risk", unacceptable.pk) in page and url("risk", quiet.pk) not in page
    assert "no wording yet" in page
    page = text(qm.get(url("overall_edit", device.pk)))
    assert selectors.plan_for(device).overall_method[:40] in page  # a new one starts from it
    response = qm.post(
        url("overall_edit", device.pk),
        {"method": "By the plan.", "analysis": "All together.", "conclusion": "acceptable"},
    )
    assert response["Location"] == url("overall", device.pk)
    evaluation = OverallEvaluation.objects.get(device=device)
    approve(evaluation, approver)
    page = text(qm.get(url("overall", device.pk)))
    assert "All together." in page and "Approved" in page
    response = qm.post(url("overall_edit", device.pk), {"conclusion": "not_acceptable"})
    assert "reason" in errors(response)


# --- Norwegian, permissions -------------------------------------------------------------------


def test_norwegian_users_see_the_policy_and_the_gaps_in_norwegian(build, client_for, device):
    build.hazard(title="Batteri")
    nb = client_for("engineer")
    page = text(nb.get(url("file", device.pk), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "har ingen farlig situasjon" in page and "er ikke godkjent" in page
    page = text(nb.get(url("plan", device.pk), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "Katastrofal" in page and "Usannsynlig" in page
    page = text(nb.get(url("plan_policy", device.pk), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "Katastrofal" in page  # both languages are edited side by side


WRITE_PAGES = [
    ("file_review", "device"),
    ("plan_edit", "device"),
    ("plan_policy", "device"),
    ("analysis_edit", "device"),
    ("file_hazard_add", "device"),
    ("file_harm_add", "device"),
    ("file_control_add", "device"),
    ("file_benefit_risk_add", "device"),
    ("overall_edit", "device"),
    ("hazard_edit", "hazard"),
    ("hazard_delete", "hazard"),
    ("hazard_situation_add", "hazard"),
    ("situation_edit", "situation"),
    ("situation_risk_add", "situation"),
    ("harm_edit", "harm"),
    ("risk_edit", "risk"),
    ("risk_delete", "risk"),
    ("control_edit", "control"),
    ("control_verify", "control"),
    ("control_delete", "control"),
    ("benefit_risk_edit", "benefit_risk"),
    ("benefit_risk_delete", "benefit_risk"),
]
READ_PAGES = [
    "file",
    "plan",
    "analysis",
    "safety",
    "file_hazards",
    "file_harms",
    "file_controls",
    "file_benefit_risks",
    "overall",
]


@pytest.fixture
def records(build, device, engineer):
    risk = build.risk(severity=3, p1=2, p2=2)
    control = build.control([risk])
    analysis = services.benefit_risk_create(
        actor=engineer, device=device, risks=[risk], title="BR", conclusion="favourable"
    )
    services.overall_evaluation_save(actor=engineer, device=device, conclusion="acceptable")
    return {
        "device": device,
        "hazard": risk.situation.hazard,
        "situation": risk.situation,
        "harm": risk.harm,
        "risk": risk,
        "control": control,
        "benefit_risk": analysis,
    }


def test_the_auditor_reads_every_page_and_is_refused_every_write(records, client_for, device):
    auditor = client_for("auditor")
    trail = AuditEvent.objects.count()
    for name in READ_PAGES:
        assert auditor.get(url(name, device.pk)).status_code == 200, name
    for name in ("hazard", "situation", "harm", "risk", "control", "benefit_risk"):
        assert auditor.get(url(name, records[name].pk)).status_code == 200, name
    page = text(auditor.get(url("file", device.pk)))
    assert "Risk management review complete" not in page and "Adopt" not in page
    for name, kind in WRITE_PAGES:
        target = url(name, records[kind].pk)
        assert auditor.get(target).status_code == 403, name
        assert auditor.post(target, {"confirm": "on", "title": "x"}).status_code == 403, name
    topic = url("safety_topic", device.pk) + "?topic=intended_use"
    assert auditor.post(topic, {"t-intended-use-answer": "yes"}).status_code == 403
    assert auditor.post(url("plan_adopt", device.pk)).status_code == 403
    assert AuditEvent.objects.count() == trail


def test_the_overview_of_a_large_file_lists_the_first_gaps_only(build, qm, device, monkeypatch):
    from samsvar.risk import views

    hazards = [build.hazard() for _ in range(3)]
    monkeypatch.setattr(views, "GAP_LIMIT", 2)
    page = text(qm.get(url("file", device.pk)))
    total = len(selectors.risk_file_gaps(device))
    assert f"The first 2 of {total} gaps are shown" in page
    assert url("hazard", hazards[0].pk) in page and url("hazard", hazards[2].pk) not in page


def test_the_lists_show_the_records_and_the_edits_save(build, qm, device):
    risk = build.risk(severity=4, p1=2, p2=2)
    control = build.control([risk])
    hazard, situation = risk.situation.hazard, risk.situation
    other = build.hazard(title="Dropped pump")
    page = text(qm.get(url("file_harms", device.pk)))
    assert risk.harm.name in page and "4: Critical" in page
    page = text(qm.get(url("file_controls", device.pk)))
    assert control.code in page and url("risk", risk.pk) in page and "Pass" in page
    page = text(qm.get(url("file_hazards", device.pk)))
    assert hazard.title in page and "none yet" in page  # the other hazard has no situation
    response = qm.post(url("hazard_edit", hazard.pk), {"origin": "own", "title": "Motor runs on"})
    assert response["Location"] == url("hazard", hazard.pk)
    assert Hazard.objects.get(pk=hazard.pk).title == "Motor runs on"
    response = qm.post(
        url("situation_edit", situation.pk),
        {"hazard": other.pk, "description": "The pump falls on the patient."},
    )
    assert response["Location"] == url("situation", situation.pk)
    situation.refresh_from_db()
    assert situation.hazard == other
    assert "The pump falls on the patient." in text(qm.get(url("hazard", other.pk)))


def test_the_questionnaire_and_the_lists_use_the_same_queries_however_many_rows(
    build, qm, device, engineer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [url(name, device.pk) for name in ("safety", "file_hazards", "file_harms")]
    pages += [url("file_controls", device.pk), url("file", device.pk)]

    def add(count):
        for item in catalogue.all_safety_topics()[:count]:
            services.safety_characteristic_save(
                actor=engineer, device=device, topic_key=item.key, answer="no", hazards=[hazard]
            )
        for _ in range(count):
            build.control([build.risk()])

    def queries():
        counts = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert qm.get(page).status_code == 200
            counts.append(len(captured))
        return counts

    hazard = build.hazard()
    add(2)
    queries()  # content types are cached from the first request on
    few = queries()
    add(6)
    assert queries() == few
