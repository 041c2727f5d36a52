"""The live completeness check and the risk management review (ISO 14971:2019 9; Annex Z)."""

import pytest
from django.core.exceptions import ValidationError

from samsvar.risk import selectors, services
from samsvar.risk.models import RiskReview
from tests.risk.conftest import approve


def codes(device) -> list[str]:
    return [gap.code for gap in selectors.risk_file_gaps(device)]


def test_a_complete_file_has_no_gap(complete_file, device):
    assert codes(device) == []


def test_an_empty_file_lacks_plan_approval_and_overall_evaluation(plan, device):
    assert codes(device) == ["plan_not_approved", "overall_residual_risk_not_evaluated"]


def test_hazard_without_situation_and_situation_without_harm(complete_file, build, device):
    hazard = build.hazard()
    situation = build.situation()
    gaps = {(gap.code, gap.ref.id) for gap in selectors.risk_file_gaps(device)}
    assert ("hazard_without_situation", hazard.pk) in gaps
    assert ("situation_without_harm", situation.pk) in gaps


def test_an_acceptable_risk_needs_a_control_or_an_afap_justification(
    complete_file, build, device, engineer
):
    risk = build.risk(severity=1, p1=1, p2=1)
    assert risk.initial_acceptable is True
    gaps = selectors.risk_file_gaps(device)
    assert [(gap.code, gap.ref.id, gap.clause) for gap in gaps] == [
        ("acceptable_risk_without_afap", risk.pk, "Annex Z")
    ]
    assert "R-002" in gaps[0].message("en")
    services.risk_update(
        actor=engineer,
        risk=risk,
        afap_justification="A further alarm would add alarm fatigue and harm the benefit.",
    )
    assert codes(device) == []


def test_an_unacceptable_residual_risk_needs_an_approved_favourable_benefit_risk_analysis(
    complete_file, build, device, engineer, approver
):
    risk = build.risk(severity=5, p1=5, p2=5)
    build.control([risk])
    services.risk_update(actor=engineer, risk=risk, residual_p1=5, residual_p2=2)
    risk.refresh_from_db()
    assert risk.residual_acceptable is False
    assert set(codes(device)) == {
        "unacceptable_residual_without_benefit_risk",
        "significant_residual_risk_not_disclosed",
    }
    analysis = services.benefit_risk_create(
        actor=engineer, device=device, risks=[risk], title="Occlusion", benefits="Insulin."
    )
    assert set(codes(device)) == {
        "benefit_risk_without_conclusion",
        "benefit_risk_not_approved",
        "significant_residual_risk_not_disclosed",
    }
    services.benefit_risk_update(actor=engineer, analysis=analysis, conclusion="unfavourable")
    assert "benefit_risk_unfavourable" in codes(device)
    services.benefit_risk_update(actor=engineer, analysis=analysis, conclusion="favourable")
    approve(analysis, approver)
    services.risk_update(
        actor=engineer, risk=risk, disclose=True, disclosure_text="IFU 2.3: occlusion may ..."
    )
    assert codes(device) == []


def test_controls_need_verification_and_a_review_for_new_risks(complete_file, build, device):
    risk = complete_file["risk"]
    control = build.control([risk], kind="protective", verified=False, new_risks_reviewed=False)
    gaps = {(gap.code, gap.ref.id) for gap in selectors.risk_file_gaps(device)}
    assert gaps == {
        ("control_implementation_not_verified", control.pk),
        ("control_effectiveness_not_verified", control.pk),
        ("control_not_reviewed_for_new_risks", control.pk),
    }


def test_review_complete_is_refused_while_any_gap_exists_then_allowed(
    complete_file, build, device, engineer
):
    risk = build.risk(severity=1, p1=1, p2=1)
    with pytest.raises(ValidationError) as caught:
        services.risk_review_complete(actor=engineer, device=device, conclusions="All done.")
    listed = " ".join(caught.value.messages)
    assert "R-002" in listed and "Annex Z" in listed
    assert not RiskReview.objects.exists()

    services.risk_update(actor=engineer, risk=risk, afap_justification="No further reduction.")
    review = services.risk_review_complete(
        actor=engineer, device=device, conclusions="The plan was implemented."
    )
    assert (review.plan_version, review.risk_count) == (1, 2)


def test_review_complete_needs_conclusions(complete_file, device, engineer):
    with pytest.raises(ValidationError) as caught:
        services.risk_review_complete(actor=engineer, device=device, conclusions=" ")
    assert "conclusions" in caught.value.message_dict


def test_an_overall_evaluation_judged_not_acceptable_is_a_gap(complete_file, device, engineer):
    services.overall_evaluation_save(actor=engineer, device=device, conclusion="not_acceptable")
    assert codes(device) == ["overall_residual_risk_not_acceptable"]
