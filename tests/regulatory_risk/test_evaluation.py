"""Risk estimation (5.5), evaluation (6) and re-evaluation when the policy changes."""

import itertools
from dataclasses import replace

import pytest

from samsvar.regulatory.risk import (
    Change,
    RiskEstimate,
    cell_counts,
    default_policy,
    estimate,
    reevaluate,
)

from .strategies import make_policy

DEFAULT = default_policy()
RANKS = range(1, 6)


def test_every_combination_of_the_default_policy_follows_the_table_and_the_matrix():
    seen_cells = set()
    for s, p1, p2 in itertools.product(RANKS, RANKS, RANKS):
        result = estimate(DEFAULT, s, p1, p2)
        p = DEFAULT.combination[(p1, p2)]
        assert result == RiskEstimate(
            severity=s, p1=p1, p2=p2, p=p, acceptable=DEFAULT.matrix[(s, p)], cell=(s, p)
        )
        seen_cells.add(result.cell)
    # P = 4 never arises from the product table: the product of two midpoints skips it.
    assert {p for _, p in seen_cells} == {1, 2, 3, 5}


def test_examples_read_like_a_risk_table():
    assert estimate(DEFAULT, 5, 5, 5) == RiskEstimate(
        severity=5, p1=5, p2=5, p=5, acceptable=False, cell=(5, 5)
    )
    assert estimate(DEFAULT, 5, 5, 4).p == 3  # 0.1 x 0.00316
    assert estimate(DEFAULT, 3, 5, 4).acceptable  # serious, occasional
    assert not estimate(DEFAULT, 4, 5, 4).acceptable  # critical, occasional
    assert estimate(DEFAULT, 5, 1, 5).acceptable  # catastrophic, improbable


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((6, 1, 1), "severity_rank: 6 is not a level of the severity scale (1, 2, 3, 4, 5)"),
        ((0, 1, 1), "severity_rank: 0"),
        ((1, 9, 1), "p1_rank: 9 is not a level of the probability scale (1, 2, 3, 4, 5)"),
        ((1, 1, -1), "p2_rank: -1 is not a level of the probability scale"),
        ((1, "2", 1), "p1_rank: '2' is not a level"),
        ((True, 1, 1), "severity_rank: True is not a level"),
        ((1, 1, 2.0), "p2_rank: 2.0 is not a level"),
    ],
)
def test_unknown_ranks_raise_naming_the_field(args, field):
    with pytest.raises(ValueError) as raised:
        estimate(DEFAULT, *args)
    assert str(raised.value).startswith(field)


def test_a_broken_policy_is_named_when_it_cannot_answer():
    no_entry = replace(
        DEFAULT, combination={k: v for k, v in DEFAULT.combination.items() if k != (2, 3)}
    )
    with pytest.raises(ValueError, match=r"no valid entry for \(P1=2, P2=3\)"):
        estimate(no_entry, 1, 2, 3)
    no_cell = replace(DEFAULT, matrix={k: v for k, v in DEFAULT.matrix.items() if k != (4, 1)})
    with pytest.raises(ValueError, match=r"matrix cell \(S=4, P=1\) is missing"):
        estimate(no_cell, 4, 1, 1)


def test_reevaluate_reports_nothing_when_the_policy_is_unchanged():
    risks = [estimate(DEFAULT, *r) for r in itertools.product(RANKS, RANKS, RANKS)]
    assert reevaluate(DEFAULT, DEFAULT, risks) == []


def test_a_stricter_matrix_flags_exactly_the_risks_in_the_changed_cell():
    stricter = replace(DEFAULT, matrix={**DEFAULT.matrix, (3, 3): False})
    risks = {
        "in (3,3)": estimate(DEFAULT, 3, 4, 5),
        "in (3,2)": estimate(DEFAULT, 3, 5, 3),
        "in (4,3)": estimate(DEFAULT, 4, 4, 5),
    }
    (change,) = reevaluate(DEFAULT, stricter, risks)
    assert change.key == "in (3,3)"
    assert change.old.acceptable and not change.new.acceptable
    assert change.became_unacceptable and change.acceptability_changed and not change.p_changed


def test_a_changed_combination_reports_p_changes_even_if_acceptability_holds():
    changed = replace(DEFAULT, combination={**DEFAULT.combination, (5, 5): 4})
    risks = [estimate(DEFAULT, 1, 5, 5), estimate(DEFAULT, 5, 5, 5), estimate(DEFAULT, 1, 1, 1)]
    changes = reevaluate(DEFAULT, changed, risks)
    assert [c.key for c in changes] == [0, 1]
    assert all(c.p_changed and not c.acceptability_changed for c in changes)
    assert changes[0].new.p == 4


def test_a_smaller_scale_leaves_risks_to_estimate_again():
    four = make_policy(4, 4)
    changes = reevaluate(DEFAULT, four, {"r1": estimate(DEFAULT, 5, 1, 1)})
    assert changes == [
        Change(
            key="r1",
            old=estimate(DEFAULT, 5, 1, 1),
            new=None,
            reason="severity_rank: 5 is not a level of the severity scale (1, 2, 3, 4)",
        )
    ]
    assert changes[0].acceptability_changed and not changes[0].became_unacceptable


def test_stored_values_are_not_trusted():
    stale = replace(estimate(DEFAULT, 5, 5, 5), acceptable=True)
    assert reevaluate(DEFAULT, DEFAULT, [stale]) == []


def test_an_estimate_off_the_old_scales_is_an_error_naming_it():
    alien = RiskEstimate(severity=7, p1=1, p2=1, p=1, acceptable=True, cell=(7, 1))
    with pytest.raises(ValueError, match="estimate 'x' under the old policy: severity_rank: 7"):
        reevaluate(DEFAULT, DEFAULT, {"x": alien})


def test_cell_counts_give_every_cell_of_the_heatmap():
    risks = [estimate(DEFAULT, 5, 5, 5), estimate(DEFAULT, 5, 5, 5), estimate(DEFAULT, 1, 1, 1)]
    counts = cell_counts(DEFAULT, risks)
    assert len(counts) == 25 and sum(counts.values()) == 3
    assert counts[(5, 5)] == 2 and counts[(1, 1)] == 1 and counts[(3, 3)] == 0
