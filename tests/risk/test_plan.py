"""The risk management plan (ISO 14971:2019 4.4): default policy, validation, approval, and the
re-evaluation of every risk when the policy changes."""

import copy

import pytest
from django.core.exceptions import ValidationError

from samsvar.core.models import AuditEvent
from samsvar.regulatory.risk import default_policy, policy_to_dict
from samsvar.risk import selectors, services
from samsvar.risk.models import Risk, RiskLevelChange
from tests.risk.conftest import approve


def with_cell(policy: dict, severity: int, p: int, acceptable: bool) -> dict:
    changed = copy.deepcopy(policy)
    for cell in changed["matrix"]:
        if (cell["severity"], cell["p"]) == (severity, p):
            cell["acceptable"] = acceptable
    return changed


def test_adopting_the_default_gives_the_ready_5x5_policy(device, engineer):
    plan = services.plan_adopt_default(actor=engineer, device=device)
    assert plan.policy == policy_to_dict(default_policy())
    assert selectors.plan_policy(device) == default_policy()
    assert plan.overall_method
    assert AuditEvent.objects.filter(object_type="risk.riskplan", object_id=str(plan.pk)).exists()


def test_a_device_has_one_plan(plan, engineer, device):
    with pytest.raises(ValidationError, match="already has a risk management plan"):
        services.plan_adopt_default(actor=engineer, device=device)


def test_an_invalid_policy_is_refused_naming_the_problem(plan, engineer):
    broken = copy.deepcopy(plan.policy)
    broken["matrix"] = [c for c in broken["matrix"] if (c["severity"], c["p"]) != (4, 2)]
    with pytest.raises(ValidationError) as caught:
        services.plan_update(actor=engineer, plan=plan, policy=broken)
    assert "matrix cell (S=4, P=2) is missing" in " ".join(caught.value.message_dict["policy"])
    plan.refresh_from_db()
    assert plan.policy == policy_to_dict(default_policy())


def test_a_malformed_policy_is_refused_on_the_policy_field(plan, engineer):
    with pytest.raises(ValidationError) as caught:
        services.plan_update(actor=engineer, plan=plan, policy={"severity": 3})
    assert "policy" in caught.value.message_dict


def test_a_policy_warning_is_allowed(plan, engineer):
    # (S=3, P=3) acceptable but (S=2, P=3) not: not monotone, a warning only.
    policy = with_cell(plan.policy, 2, 3, False)
    services.plan_update(actor=engineer, plan=plan, policy=policy)
    plan.refresh_from_db()
    assert plan.policy == policy


def test_an_unknown_plan_field_is_refused(plan, engineer):
    with pytest.raises(ValidationError) as caught:
        services.plan_update(actor=engineer, plan=plan, version=9)
    assert "version" in caught.value.message_dict


def test_plan_approval_is_an_approved_signature_on_the_current_version(plan, approver, engineer):
    assert not selectors.plan_approved(plan.device)
    approve(plan, approver)
    assert selectors.plan_approved(plan.device)
    services.plan_update(actor=engineer, plan=plan, scope="Whole life cycle.", reason="Scope")
    assert plan.version == 2
    assert not selectors.plan_approved(plan.device)


def test_changing_an_approved_plan_needs_a_reason(plan, approver, engineer):
    approve(plan, approver)
    with pytest.raises(ValidationError) as caught:
        services.plan_update(actor=engineer, plan=plan, scope="Changed")
    assert "reason" in caught.value.message_dict
    plan.refresh_from_db()
    assert plan.scope == "" and plan.version == 1


def test_a_new_policy_re_evaluates_every_risk_and_records_the_changes(
    build, plan, approver, engineer
):
    # S5 with P=1 is acceptable under the default policy; S3 with P=1 too.
    severe = build.risk(severity=5, p1=1, p2=1)
    moderate = build.risk(severity=3, p1=1, p2=1)
    assert severe.initial_acceptable is True
    approve(plan, approver)

    stricter = with_cell(plan.policy, 5, 1, False)
    services.plan_update(actor=engineer, plan=plan, policy=stricter, reason="Stricter for S5")

    assert plan.version == 2
    severe.refresh_from_db()
    moderate.refresh_from_db()
    assert severe.initial_acceptable is False
    assert moderate.initial_acceptable is True
    changes = list(selectors.level_changes(plan))
    assert [(c.risk_id, c.estimate) for c in changes] == [(severe.pk, "initial")]
    change = changes[0]
    assert (change.plan_version, change.before_acceptable, change.after_acceptable) == (
        2,
        True,
        False,
    )
    assert (change.before_p, change.after_p) == (1, 1)
    # The risk change itself is in the audit trail with the plan's reason.
    event = AuditEvent.objects.filter(object_type="risk.risk", object_id=str(severe.pk)).first()
    assert event.changes["initial_acceptable"] == [True, False]
    assert event.reason == "Stricter for S5"


def test_residual_estimates_are_re_evaluated_too(build, plan, engineer):
    risk = build.risk(severity=5, p1=5, p2=5)
    build.control([risk])
    services.risk_update(actor=engineer, risk=risk, residual_p1=1, residual_p2=1)
    services.plan_update(actor=engineer, plan=plan, policy=with_cell(plan.policy, 5, 1, False))
    risk.refresh_from_db()
    assert risk.residual_acceptable is False
    kinds = set(RiskLevelChange.objects.filter(risk=risk).values_list("estimate", flat=True))
    assert kinds == {"residual"}


def test_a_smaller_scale_leaves_risks_off_it_without_an_estimate(build, plan, engineer):
    risk = build.risk(severity=5, p1=5, p2=5)
    small = policy_to_dict(default_policy())
    small["severity"]["levels"] = small["severity"]["levels"][:4]
    small["matrix"] = [c for c in small["matrix"] if c["severity"] <= 4]
    services.plan_update(actor=engineer, plan=plan, policy=small)
    risk.refresh_from_db()
    assert risk.p is None and risk.initial_acceptable is None
    change = RiskLevelChange.objects.get(risk=risk)
    assert change.after_p is None and "severity" in change.note
    gaps = {gap.code for gap in selectors.risk_file_gaps(plan.device)}
    assert "risk_without_estimate" in gaps


def test_an_unchanged_policy_records_no_change(build, plan, engineer):
    build.risk(severity=5, p1=5, p2=5)
    services.plan_update(actor=engineer, plan=plan, policy=copy.deepcopy(plan.policy), scope="x")
    assert not RiskLevelChange.objects.exists()


def test_adopting_a_plan_estimates_risks_recorded_before(device, engineer):
    from tests.risk.conftest import Builder

    build = Builder(device, engineer)
    risk = build.risk(severity=None, p1=None, p2=None)
    assert risk.p is None
    with pytest.raises(ValidationError) as caught:
        services.risk_update(actor=engineer, risk=risk, p1=2, p2=2)
    assert "Adopt a risk management plan first" in caught.value.message_dict["p1"][0]
    plan = services.plan_adopt_default(actor=engineer, device=device)
    services.harm_update(actor=engineer, harm=risk.harm, severity=4)
    services.risk_update(actor=engineer, risk=risk, p1=5, p2=5)
    risk.refresh_from_db()
    assert (risk.severity, risk.p, risk.initial_acceptable) == (4, 5, False)
    assert Risk.objects.get(pk=risk.pk).device_id == plan.device_id
