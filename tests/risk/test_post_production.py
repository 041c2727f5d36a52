"""Production and post-production information (ISO 14971:2019 10): flags for review, observed
occurrence beside the estimate."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from samsvar.risk import selectors, services
from samsvar.risk.models import ProductionInfo


def info(device, actor, **fields):
    values = {
        "source": "complaint",
        "date": dt.date(2026, 5, 4),
        "reference": "CMP-2026-014",
        "description": "Occlusion alarm came late.",
    }
    values.update(fields)
    return services.production_info_create(actor=actor, device=device, **values)


def test_an_item_without_finding_flags_nothing(build, device, engineer):
    risk = build.risk()
    item = info(device, engineer, risks=[risk])
    risk.refresh_from_db()
    assert not risk.review_flag and not item.is_open


def test_an_underestimated_probability_flags_the_linked_risks(build, device, engineer):
    risk, other = build.risk(), build.risk()
    item = info(device, engineer, risks=[risk], finding="probability_underestimated")
    assert item.code == "PI-001" and item.is_open
    risk.refresh_from_db()
    other.refresh_from_db()
    assert risk.review_flag and "PI-001" in risk.review_reason
    assert not other.review_flag
    assert list(selectors.flagged_risks()) == [risk]


def test_a_new_hazard_flags_every_risk_of_the_linked_hazards(build, device, engineer):
    hazard = build.hazard()
    first = build.risk(situation=build.situation(hazard=hazard))
    second = build.risk(situation=build.situation(hazard=hazard))
    elsewhere = build.risk()
    info(device, engineer, hazards=[hazard], finding="new_hazard")
    flagged = set(selectors.flagged_risks())
    assert flagged == {first, second}
    assert elsewhere not in flagged


def test_flagged_risks_span_devices_for_the_dashboard(build, device, make_device, engineer):
    from tests.risk.conftest import Builder

    other = make_device(engineer, name="Meter")
    services.plan_adopt_default(actor=engineer, device=other)
    mine = build.risk()
    theirs = Builder(other, engineer).risk()
    info(device, engineer, risks=[mine], finding="severity_worse")
    info(other, engineer, risks=[theirs], finding="severity_worse")
    assert {risk.device_id for risk in selectors.flagged_risks()} == {device.pk, other.pk}


def test_clearing_a_flag_needs_a_note(build, device, engineer):
    risk = build.risk()
    item = info(device, engineer, risks=[risk], finding="severity_worse")
    risk.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.risk_flag_clear(actor=engineer, risk=risk, note="")
    assert "note" in caught.value.message_dict
    services.risk_flag_clear(actor=engineer, risk=risk, note="Severity S4 confirmed.")
    risk.refresh_from_db()
    assert not risk.review_flag and risk.review_note == "Severity S4 confirmed."
    assert not selectors.flagged_risks().exists()
    assert ProductionInfo.objects.get(pk=item.pk).is_open
    services.production_info_review(actor=engineer, item=item, note="Risk R-001 re-reviewed.")
    item.refresh_from_db()
    assert not item.is_open and item.reviewed_by == engineer
    assert not selectors.open_production_information().exists()


def test_flagging_a_signed_risk_keeps_its_version(build, device, engineer, approver):
    from tests.risk.conftest import approve

    risk = approve(build.risk(), approver)
    info(device, engineer, risks=[risk], finding="severity_worse")
    risk.refresh_from_db()
    assert risk.review_flag and risk.version == 1


def test_observed_occurrence_is_shown_beside_p1(build, device, engineer):
    situation = build.situation()
    build.risk(situation=situation, p1=2, p2=1)
    info(device, engineer, situation=situation, occurrences=3, exposure=100_000)
    info(device, engineer, situation=situation, occurrences=2, exposure=400_000, source="pms")
    observed = selectors.observed_occurrence(situation)
    assert (observed.occurrences, observed.exposure, observed.items) == (5, 500_000, 2)
    assert observed.rate == pytest.approx(1e-5)
    # 1e-5 per use is "Remote" (rank 2), as estimated.
    assert (observed.rank, observed.p1, observed.above_estimate) == (2, 2, False)
    info(device, engineer, situation=situation, occurrences=900, exposure=100_000)
    assert selectors.observed_occurrence(situation).above_estimate


def test_occurrences_cannot_exceed_exposure(build, device, engineer):
    situation = build.situation()
    with pytest.raises(ValidationError) as caught:
        info(device, engineer, situation=situation, occurrences=5, exposure=2)
    assert "occurrences" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        info(device, engineer, source="rumour", occurrences=-1)
    assert set(caught.value.message_dict) == {"source", "occurrences"}
    assert not ProductionInfo.objects.exists()
