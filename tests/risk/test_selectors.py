"""The register, the matrix, traceability and history; query counts stay flat as the file grows."""

import pytest
from django.core.exceptions import ValidationError

from samsvar.risk import selectors, services
from samsvar.risk.facts import risk_file_facts


@pytest.fixture
def sample(build, engineer):
    """Three risks: R-001 S5 P5 (not acceptable) controlled to P1, R-002 S3 P1 (acceptable),
    R-003 not estimated; R-002 is flagged."""
    energy = build.hazard(title="Electrical energy", category_key="energy.electrical")
    severe = build.risk(severity=5, p1=5, p2=5, situation=build.situation(hazard=energy))
    build.control([severe])
    services.risk_update(actor=engineer, risk=severe, residual_p1=1, residual_p2=1)
    mild = build.risk(severity=3, p1=1, p2=1)
    unknown = build.risk(severity=2, p1=None, p2=None)
    services.production_info_create(
        actor=engineer,
        device=build.device,
        source="service",
        date="2026-02-01",
        description="Field report.",
        risks=[mild],
        finding="probability_underestimated",
    )
    for risk in (severe, mild, unknown):
        risk.refresh_from_db()
    return {"severe": severe, "mild": mild, "unknown": unknown}


def numbers(rows) -> list[str]:
    return [risk.code for risk in rows]


def test_register_filters(sample, device):
    assert numbers(selectors.register(device)) == ["R-001", "R-002", "R-003"]
    assert numbers(selectors.register(device, filters={"acceptable": "no"})) == ["R-001"]
    assert numbers(selectors.register(device, filters={"residual_acceptable": "yes"})) == [
        "R-001",
        "R-002",
    ]
    assert numbers(selectors.register(device, filters={"category": "energy"})) == ["R-001"]
    assert numbers(selectors.register(device, filters={"flagged": True})) == ["R-002"]
    assert numbers(selectors.register(device, filters={"estimated": "no"})) == ["R-003"]
    assert numbers(selectors.register(device, filters={"controlled": "yes"})) == ["R-001"]
    harm = sample["mild"].harm
    assert numbers(selectors.register(device, filters={"harm": str(harm.pk)})) == ["R-002"]
    assert numbers(selectors.register(device, filters={"q": "electrical"})) == ["R-001"]


def test_register_rows_carry_the_final_estimate(sample, device):
    rows = {risk.code: risk for risk in selectors.register(device)}
    severe = rows["R-001"]
    assert (severe.controlled, severe.control_count) == (True, 1)
    assert (severe.final_severity, severe.final_p, severe.final_acceptable) == (5, 1, True)
    mild = rows["R-002"]
    assert (mild.controlled, mild.final_p, mild.final_acceptable) == (False, 1, True)


def test_register_sorts_and_groups(sample, device):
    assert numbers(selectors.register(device, sort="-number")) == ["R-003", "R-002", "R-001"]
    assert numbers(selectors.register(device, sort="level"))[:2] == ["R-001", "R-002"]
    rows = selectors.register(device, group="level")
    groups = selectors.group_rows(rows, "level")
    labels = [group.label for group in groups]
    assert labels[0] == "S5, P5: not acceptable"
    assert "Not estimated" in labels
    by_harm = selectors.group_rows(selectors.register(device, group="harm"), "harm")
    assert len(by_harm) == 3


@pytest.mark.parametrize(
    ("filters", "sort", "group", "field"),
    [
        ({"acceptable": "perhaps"}, "", "", "acceptable"),
        ({"severity": "high"}, "", "", "severity"),
        ({"colour": "red"}, "", "", "colour"),
        ({}, "price", "", "sort"),
        ({}, "", "device", "group"),
    ],
)
def test_a_bad_register_parameter_is_named(sample, device, filters, sort, group, field):
    with pytest.raises(ValidationError) as caught:
        list(selectors.register(device, filters=filters, sort=sort, group=group))
    assert field in caught.value.message_dict


def test_the_matrix_counts_risks_per_cell_before_and_after_control(sample, device):
    before = selectors.matrix(device)
    assert (before.total, before.unestimated) == (3, 1)
    assert before.counts[(5, 5)] == 1 and before.counts[(3, 1)] == 1
    assert sum(before.counts.values()) == 2
    assert len(before.counts) == 25
    assert before.acceptable(5, 5) is False
    after = selectors.matrix(device, residual=True)
    assert after.counts[(5, 5)] == 0 and after.counts[(5, 1)] == 1
    rows = after.rows()
    assert rows[0][0].rank == 5  # most severe first
    assert [cell.count for cell in rows[0][1]] == [1, 0, 0, 0, 0]


def test_traceability_runs_from_hazard_to_verification(sample, device):
    hazards = selectors.traceability(device)
    first = hazards[0]
    assert first.title == "Electrical energy"
    (situation,) = first.trace_situations
    (risk,) = situation.trace_risks
    (control,) = risk.trace_controls
    assert risk == sample["severe"] and control.implementation_verified


def test_risk_history_includes_its_controls(sample, engineer):
    severe = sample["severe"]
    control = severe.controls.get()
    services.control_update(actor=engineer, control=control, implementation="DO-2")
    history = list(selectors.risk_history(severe))
    types = {event.object_type for event in history}
    assert types == {"risk.risk", "risk.controlmeasure"}
    assert history[0].object_type == "risk.controlmeasure"


def test_access_by_id_is_404_for_a_missing_record(auditor):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.access_risk_by_id(user=auditor, risk_id="abc")
    with pytest.raises(Http404):
        selectors.access_hazard_by_id(user=auditor, hazard_id=999)


def grow(build, engineer, count):
    for index in range(count):
        hazard = build.hazard(category_key="energy.electrical" if index % 2 else "")
        risk = build.risk(severity=1 + index % 5, p1=1 + index % 5, p2=5, situation=None)
        services.situation_update(actor=engineer, situation=risk.situation, hazard=hazard)
        if index % 3 == 0:
            build.control([risk])


def queries_for(django_assert_max_num_queries, device):
    with django_assert_max_num_queries(1):
        list(selectors.register(device, filters={"acceptable": "no"}, sort="level")[:50])
    with django_assert_max_num_queries(4):
        selectors.matrix(device)
        selectors.matrix(device, residual=True)
    with django_assert_max_num_queries(11):
        risk_file_facts(device)
    with django_assert_max_num_queries(7):
        seen = [
            (
                situation.hazard.code,
                risk.harm.name,
                [control.code for control in risk.trace_controls],
            )
            for hazard in selectors.traceability(device)
            for situation in hazard.trace_situations
            for risk in situation.trace_risks
        ]
    assert len(seen) == selectors.register(device).count()


def test_query_counts_do_not_grow_with_the_file(
    build, engineer, device, django_assert_max_num_queries
):
    grow(build, engineer, 3)
    queries_for(django_assert_max_num_queries, device)
    grow(build, engineer, 30)
    queries_for(django_assert_max_num_queries, device)
    assert len(risk_file_facts(device).risks) == 33
