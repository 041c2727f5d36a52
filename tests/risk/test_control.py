"""Risk control (ISO 14971:2019 7): priority of control options, information for safety,
verification, one measure for several risks, links recorded in the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from samsvar.core.models import AuditEvent
from samsvar.risk import services
from samsvar.risk.models import ControlMeasure


def test_one_measure_controls_several_risks(build):
    first, second = build.risk(), build.risk()
    control = build.control([first, second])
    assert control.code == "RC-001"
    assert set(control.risks.all()) == {first, second}
    event = AuditEvent.objects.filter(
        object_type="risk.controlmeasure", object_id=str(control.pk), changes__has_key="risks"
    ).get()
    assert event.changes["risks"] == [[], ["R-001", "R-002"]]


def test_information_for_safety_needs_the_label_or_ifu_text(build, device, engineer):
    risk = build.risk(control_option_rationale="A design change is not practicable.")
    with pytest.raises(ValidationError) as caught:
        services.control_create(
            actor=engineer,
            device=device,
            risks=[risk],
            kind="information",
            description="Warning in the IFU",
        )
    assert "safety_information_text" in caught.value.message_dict
    assert not ControlMeasure.objects.exists()


def test_a_lower_priority_kind_alone_needs_a_rationale_on_the_risk(build, engineer):
    risk = build.risk()
    with pytest.raises(ValidationError) as caught:
        build.control([risk], kind="information")
    message = caught.value.message_dict["risks"][0]
    assert "R-001" in message and "not practicable" in message
    assert not ControlMeasure.objects.exists()

    services.risk_update(
        actor=engineer,
        risk=risk,
        control_option_rationale="The cannula cannot be redesigned within the platform.",
    )
    control = build.control([risk], kind="information")
    assert list(control.risks.all()) == [risk]
    # The rationale cannot be taken away while only lower-priority kinds control the risk.
    with pytest.raises(ValidationError) as caught:
        services.risk_update(actor=engineer, risk=risk, control_option_rationale="")
    assert "control_option_rationale" in caught.value.message_dict


def test_design_first_needs_no_rationale(build):
    risk = build.risk()
    build.control([risk], kind="inherent_safety")
    build.control([risk], kind="protective")
    assert risk.controls.count() == 2


def test_changing_the_kind_checks_the_rule_for_every_linked_risk(build, engineer):
    risk = build.risk()
    control = build.control([risk], kind="inherent_safety")
    with pytest.raises(ValidationError) as caught:
        services.control_update(actor=engineer, control=control, kind="protective")
    assert "risks" in caught.value.message_dict
    control.refresh_from_db()
    assert control.kind == "inherent_safety"


def test_verification_of_implementation_and_effectiveness_are_separate(build, engineer):
    risk = build.risk()
    control = build.control([risk], verified=False)
    services.control_verify(
        actor=engineer,
        control=control,
        aspect="implementation",
        evidence="VER-PUMP-031 rev B",
        result="pass",
        date=dt.date(2026, 4, 2),
        verified_by=engineer,
    )
    control.refresh_from_db()
    assert control.implementation_verified and not control.effectiveness_verified
    assert control.implementation_verified_by == engineer
    with pytest.raises(ValidationError) as caught:
        services.control_verify(
            actor=engineer,
            control=control,
            aspect="effectiveness",
            evidence="",
            result="maybe",
            date=None,
            verified_by=None,
        )
    assert set(caught.value.message_dict) == {"evidence", "result", "date", "verified_by"}


def test_a_control_that_introduced_a_hazard_cannot_be_deleted(build, engineer):
    risk = build.risk()
    control = build.control([risk])
    hazard = build.hazard(introduced_by=control)
    assert list(control.introduced_hazards.all()) == [hazard]
    with pytest.raises(ValidationError, match="hazards it introduced"):
        services.control_delete(actor=engineer, control=control)
    services.hazard_delete(actor=engineer, hazard=hazard)
    services.control_delete(actor=engineer, control=control)
    assert not risk.controls.exists()


def test_deleting_a_risk_records_the_lost_link_on_the_control(build, engineer):
    risk = build.risk()
    control = build.control([risk])
    services.risk_delete(actor=engineer, risk=risk)
    last = AuditEvent.objects.filter(
        object_type="risk.controlmeasure", object_id=str(control.pk), changes__has_key="risks"
    ).order_by("-seq")[0]
    assert last.changes["risks"] == [["R-001"], []]


def test_risks_of_another_device_cannot_be_linked(build, make_device, engineer, device):
    from tests.risk.conftest import Builder

    other = make_device(engineer, name="Other")
    services.plan_adopt_default(actor=engineer, device=other)
    foreign = Builder(other, engineer).risk()
    with pytest.raises(ValidationError) as caught:
        build.control([foreign])
    assert "risks" in caught.value.message_dict
