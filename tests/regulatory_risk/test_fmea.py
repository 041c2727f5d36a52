"""FMEA arithmetic: S, O, D scales, RPN, the action threshold and the severity suggestion."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samsvar.regulatory.risk.fmea import (
    DEFAULT_THRESHOLD,
    RPN_MAX,
    ActionThreshold,
    FmeaKind,
    action_reasons,
    check_score,
    factor_name,
    fmea_kind,
    needs_action,
    rpn,
    suggested_severity_rank,
)

scores = st.integers(min_value=1, max_value=10)
levels = st.integers(min_value=3, max_value=7)


# --- Scales and RPN ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", range(1, 11))
def test_a_score_from_1_to_10_is_accepted(value):
    assert check_score("severity", value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "severity: 0 is outside 1 to 10"),
        (11, "severity: 11 is outside 1 to 10"),
        (-3, "severity: -3 is outside 1 to 10"),
        (5.0, "severity: 5.0 is not a whole number from 1 to 10"),
        ("5", "severity: '5' is not a whole number from 1 to 10"),
        (None, "severity: None is not a whole number from 1 to 10"),
        (True, "severity: True is not a whole number from 1 to 10"),
    ],
)
def test_a_bad_score_is_refused_naming_the_field(value, message):
    with pytest.raises(ValueError) as caught:
        check_score("severity", value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("s", "o", "d", "expected"),
    [(1, 1, 1, 1), (10, 10, 10, 1000), (9, 2, 3, 54), (5, 5, 4, 100), (7, 3, 1, 21)],
)
def test_rpn_is_the_product_of_the_three_scores(s, o, d, expected):
    assert rpn(s, o, d) == expected


@pytest.mark.parametrize(
    ("args", "field"),
    [((0, 5, 5), "severity"), ((5, 11, 5), "occurrence"), ((5, 5, 2.5), "detection")],
)
def test_rpn_names_the_factor_that_is_out_of_range(args, field):
    with pytest.raises(ValueError, match=f"^{field}: "):
        rpn(*args)


def test_factor_names_in_both_languages():
    assert [factor_name(f) for f in ("severity", "occurrence", "detection")] == [
        "severity",
        "occurrence",
        "detection",
    ]
    assert factor_name("occurrence", "nb") == "forekomst"
    assert factor_name("detection", "nb-NO") == "oppdagbarhet"


@given(scores, scores, scores)
def test_rpn_stays_within_1_and_1000_and_ignores_the_order(s, o, d):
    number = rpn(s, o, d)
    assert 1 <= number <= RPN_MAX
    assert number == rpn(o, d, s) == rpn(d, s, o)


@given(scores, scores, scores, st.sampled_from(["s", "o", "d"]))
def test_rpn_grows_with_each_factor(s, o, d, which):
    values = {"s": s, "o": o, "d": d}
    if values[which] == 10:
        return
    higher = {**values, which: values[which] + 1}
    assert rpn(higher["s"], higher["o"], higher["d"]) > rpn(s, o, d)


# --- FMEA kinds -------------------------------------------------------------------------------


def test_the_three_kinds_with_their_names():
    assert [kind.value for kind in FmeaKind] == ["design", "process", "use"]
    assert FmeaKind.DESIGN.name_in() == "design FMEA"
    assert FmeaKind.PROCESS.name_in("nb") == "prosess-FMEA"
    assert FmeaKind.USE.name_in("nb") == "bruks-FMEA"
    assert len({kind.name_in("nb") for kind in FmeaKind}) == 3


def test_a_kind_is_found_by_value():
    assert fmea_kind("use") is FmeaKind.USE
    assert fmea_kind(FmeaKind.PROCESS) is FmeaKind.PROCESS
    with pytest.raises(ValueError, match="'software' is not one of design, process, use"):
        fmea_kind("software")


# --- Action threshold -------------------------------------------------------------------------


def test_the_default_threshold_is_rpn_100_or_severity_9():
    assert ActionThreshold(rpn=100, severity=9) == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("s", "o", "d", "reasons"),
    [
        (9, 1, 1, ("severity",)),
        (10, 1, 1, ("severity",)),
        (5, 5, 4, ("rpn",)),
        (8, 4, 4, ("rpn",)),
        (9, 4, 3, ("severity", "rpn")),
        (8, 3, 4, ()),
        (1, 10, 9, ()),
        (8, 1, 10, ()),
    ],
)
def test_which_rows_need_an_action_under_the_default(s, o, d, reasons):
    assert action_reasons(s, o, d) == reasons
    assert needs_action(s, o, d) is bool(reasons)


def test_a_threshold_of_the_manufacturer_replaces_the_default():
    strict = ActionThreshold(rpn=50, severity=7)
    assert needs_action(7, 1, 1, strict) and not needs_action(7, 1, 1)
    assert needs_action(5, 5, 2, strict) and not needs_action(5, 5, 2)
    rpn_only = ActionThreshold(rpn=200, severity=None)
    assert not needs_action(10, 2, 2, rpn_only)
    assert action_reasons(10, 5, 4, rpn_only) == ("rpn",)
    severity_only = ActionThreshold(rpn=None, severity=8)
    assert not needs_action(7, 10, 10, severity_only)
    assert action_reasons(8, 1, 1, severity_only) == ("severity",)
    never = ActionThreshold(rpn=None, severity=None)
    assert not needs_action(10, 10, 10, never)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rpn": 0}, "rpn: 0 is outside 1 to 1000"),
        ({"rpn": 1001}, "rpn: 1001 is outside 1 to 1000"),
        ({"rpn": 99.5}, "rpn: 99.5 is not a whole number from 1 to 1000"),
        ({"rpn": True}, "rpn: True is not a whole number from 1 to 1000"),
        ({"severity": 0}, "severity: 0 is outside 1 to 10"),
        ({"severity": "9"}, "severity: '9' is not a whole number"),
    ],
)
def test_a_bad_threshold_is_refused_naming_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        ActionThreshold(**kwargs)


def test_needs_action_checks_the_scores():
    with pytest.raises(ValueError, match=r"^detection: 0 is outside"):
        needs_action(9, 1, 0)


thresholds = st.builds(
    ActionThreshold,
    rpn=st.none() | st.integers(min_value=1, max_value=RPN_MAX),
    severity=st.none() | scores,
)


@given(scores, scores, scores, thresholds)
def test_needs_action_is_exactly_the_threshold_rule(s, o, d, threshold):
    by_rpn = threshold.rpn is not None and s * o * d >= threshold.rpn
    by_severity = threshold.severity is not None and s >= threshold.severity
    assert needs_action(s, o, d, threshold) is (by_rpn or by_severity)


@given(scores, scores, scores, thresholds, st.sampled_from(["s", "o", "d"]))
def test_a_worse_score_never_removes_the_need_for_action(s, o, d, threshold, which):
    values = {"s": s, "o": o, "d": d}
    if values[which] == 10 or not needs_action(s, o, d, threshold):
        return
    worse = {**values, which: values[which] + 1}
    assert needs_action(worse["s"], worse["o"], worse["d"], threshold)


@given(st.integers(min_value=9, max_value=10), scores, scores)
def test_a_severe_failure_needs_action_however_rare_and_detectable(s, o, d):
    assert needs_action(s, o, d)
    assert "severity" in action_reasons(s, o, d)


# --- Suggested ISO 14971 severity -------------------------------------------------------------


def test_the_suggestion_on_the_five_level_scale():
    assert [suggested_severity_rank(s) for s in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.parametrize("n", range(3, 8))
def test_the_ends_of_the_scale_map_to_the_ends(n):
    assert suggested_severity_rank(1, n) == 1
    assert suggested_severity_rank(10, n) == n


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0,), "severity: 0 is outside 1 to 10"),
        ((5, 2), "levels: 2 is not a whole number from 3 to 7"),
        ((5, 8), "levels: 8 is not a whole number from 3 to 7"),
        ((5, 5.0), "levels: 5.0 is not a whole number from 3 to 7"),
        ((5, True), "levels: True is not a whole number from 3 to 7"),
    ],
)
def test_a_bad_suggestion_request_is_refused(args, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        suggested_severity_rank(*args)


@given(scores, levels)
def test_the_suggestion_is_a_rank_of_the_scale_and_never_falls(s, n):
    rank = suggested_severity_rank(s, n)
    assert 1 <= rank <= n
    if s < 10:
        assert suggested_severity_rank(s + 1, n) >= rank


@given(levels)
def test_every_rank_of_the_scale_can_be_suggested(n):
    assert {suggested_severity_rank(s, n) for s in range(1, 11)} == set(range(1, n + 1))


@given(scores, levels)
def test_the_suggestion_puts_the_score_in_its_equal_band(s, n):
    rank = suggested_severity_rank(s, n)
    # Band r of n covers the scores s with (r - 1) * 10 < s * n <= r * 10.
    assert (rank - 1) * 10 < s * n <= rank * 10
