"""Risk analysis and estimation (ISO 14971:2019 5): numbering, computed levels, field errors,
refused deletions."""

import pytest
from django.core.exceptions import ValidationError

from samsvar.core.models import AuditEvent
from samsvar.risk import services
from samsvar.risk.models import Hazard, HazardousSituation, Risk


def test_records_are_numbered_per_device(build, make_device, engineer, plan):
    from tests.risk.conftest import Builder

    first, second = build.hazard(), build.hazard()
    other = Builder(make_device(engineer, name="Other"), engineer).hazard()
    assert (first.code, second.code, other.code) == ("H-001", "H-002", "H-001")
    situation = build.situation(hazard=first)
    assert situation.code == "HS-001"
    risk = build.risk(situation=situation)
    assert risk.code == "R-001"


def test_intended_use_starts_from_the_intended_purpose(device, engineer):
    analysis = services.risk_analysis_save(actor=engineer, device=device)
    assert analysis.intended_use == device.intended_purpose
    services.risk_analysis_save(
        actor=engineer, device=device, foreseeable_misuse="Bolus given twice."
    )
    analysis.refresh_from_db()
    assert analysis.foreseeable_misuse == "Bolus given twice."


@pytest.mark.parametrize(
    ("severity", "p1", "p2", "p", "acceptable"),
    [(5, 1, 1, 1, True), (5, 5, 2, 2, False), (3, 5, 4, 3, True), (4, 5, 4, 3, False)],
)
def test_p_and_acceptability_are_computed_from_the_policy(build, severity, p1, p2, p, acceptable):
    risk = build.risk(severity=severity, p1=p1, p2=p2)
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.severity, stored.p, stored.initial_acceptable) == (severity, p, acceptable)


def test_p_and_acceptability_cannot_be_typed_in(build):
    with pytest.raises(ValidationError) as caught:
        build.risk(p=5, initial_acceptable=True)
    assert set(caught.value.message_dict) == {"p", "initial_acceptable"}


def test_a_rank_off_the_scale_is_refused_on_its_field(build):
    with pytest.raises(ValidationError) as caught:
        build.risk(p1=6, p2="x")
    errors = caught.value.message_dict
    assert "probability scale (1, 2, 3, 4, 5)" in errors["p1"][0]
    assert errors["p2"] == ["Enter a whole number."]
    assert not Risk.objects.exists()


def test_p1_and_p2_come_together(build):
    with pytest.raises(ValidationError) as caught:
        build.risk(p1=3, p2=None)
    assert "p2" in caught.value.message_dict


def test_ranks_from_a_form_are_accepted_as_text(build):
    risk = build.risk(severity="4", p1="5", p2="5")
    assert (risk.severity, risk.p1, risk.p) == (4, 5, 5)


def test_a_harm_severity_off_the_scale_is_refused(build):
    with pytest.raises(ValidationError) as caught:
        build.harm(severity=9)
    assert "severity scale (1, 2, 3, 4, 5)" in caught.value.message_dict["severity"][0]


def test_a_new_harm_severity_re_estimates_its_risks(build, engineer):
    harm = build.harm(severity=2)
    risk = build.risk(harm=harm, p1=5, p2=4)
    assert (risk.p, risk.initial_acceptable) == (3, True)
    services.harm_update(actor=engineer, harm=harm, severity=5)
    risk.refresh_from_db()
    assert (risk.severity, risk.initial_acceptable) == (5, False)


def test_residual_estimate_is_computed_and_may_lower_the_severity(build, engineer):
    risk = build.risk(severity=4, p1=5, p2=4)
    services.risk_update(
        actor=engineer, risk=risk, residual_p1=5, residual_p2=4, residual_severity=2
    )
    risk.refresh_from_db()
    assert (risk.residual_p, risk.residual_acceptable) == (3, True)
    with pytest.raises(ValidationError) as caught:
        services.risk_update(actor=engineer, risk=risk, residual_severity=5)
    assert (
        "cannot exceed the harm's severity (4)" in caught.value.message_dict["residual_severity"][0]
    )


def test_a_situation_harm_pair_is_one_risk(build):
    risk = build.risk()
    with pytest.raises(ValidationError) as caught:
        build.risk(situation=risk.situation, harm=risk.harm)
    assert "already has a risk for this harm" in caught.value.message_dict["harm"][0]


def test_records_of_another_device_are_refused(build, make_device, engineer, plan):
    from tests.risk.conftest import Builder

    foreign = Builder(make_device(engineer, name="Other"), engineer).harm(severity=None)
    with pytest.raises(ValidationError) as caught:
        build.risk(harm=foreign)
    assert "harm" in caught.value.message_dict


def test_a_catalogue_hazard_needs_a_category(build):
    with pytest.raises(ValidationError) as caught:
        build.hazard(origin="catalogue", category_key="")
    assert "category_key" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        build.hazard(title="")
    assert "title" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        build.hazard(origin="catalogue", category_key="energy.warp_drive")
    assert "category_key" in caught.value.message_dict
    hazard = build.hazard(origin="catalogue", category_key="energy.electrical")
    assert hazard.category_key == "energy.electrical"


def test_a_hazard_with_situations_cannot_be_deleted(build, engineer):
    situation = build.situation()
    hazard = situation.hazard
    with pytest.raises(ValidationError, match="hazardous situations"):
        services.hazard_delete(actor=engineer, hazard=hazard)
    services.situation_delete(actor=engineer, situation=situation)
    services.hazard_delete(actor=engineer, hazard=hazard, reason="Duplicate")
    assert not Hazard.objects.filter(pk=hazard.pk).exists()
    assert not HazardousSituation.objects.exists()
    deleted = AuditEvent.objects.filter(action="delete", object_type="risk.hazard").get()
    assert deleted.reason == "Duplicate"


def test_a_situation_or_harm_with_risks_cannot_be_deleted(build, engineer):
    risk = build.risk()
    with pytest.raises(ValidationError, match="risks"):
        services.situation_delete(actor=engineer, situation=risk.situation)
    with pytest.raises(ValidationError, match="risks"):
        services.harm_delete(actor=engineer, harm=risk.harm)
    services.risk_delete(actor=engineer, risk=risk)
    services.harm_delete(actor=engineer, harm=risk.harm)


def test_a_signed_record_is_never_deleted(build, engineer, approver):
    from tests.risk.conftest import approve

    harm = approve(build.harm(), approver)
    with pytest.raises(ValidationError, match="signed"):
        services.harm_delete(actor=engineer, harm=harm)


def a_topic_key() -> str:
    from samsvar.regulatory.risk.catalogue import safety_topics

    return safety_topics()[0].key


def test_safety_characteristics_record_answers_and_hazards(build, device, engineer):
    hazard = build.hazard()
    topic = a_topic_key()
    item = services.safety_characteristic_save(
        actor=engineer,
        device=device,
        topic_key=topic,
        answer="yes",
        notes="Delivers insulin.",
        hazards=[hazard.pk],
    )
    assert list(item.hazards.all()) == [hazard]
    again = services.safety_characteristic_save(
        actor=engineer, device=device, topic_key=topic, answer="no", hazards=[]
    )
    assert again.pk == item.pk and again.answer == "no" and not again.hazards.exists()
    with pytest.raises(ValidationError) as caught:
        services.safety_characteristic_save(
            actor=engineer, device=device, topic_key=topic, answer="maybe"
        )
    assert "answer" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.safety_characteristic_save(actor=engineer, device=device, topic_key="")
    assert "topic_key" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.safety_characteristic_save(actor=engineer, device=device, topic_key="telepathy")
    assert "topic_key" in caught.value.message_dict
