"""The acceptability policy: validation problem by problem, the default policy, the product
combination and the plain-data form (ISO 14971:2019 4.4)."""

import math
from dataclasses import replace

import pytest

from samsvar.regulatory.risk import (
    PROBLEM_CODES,
    combine_by_product,
    default_policy,
    policy_from_dict,
    policy_to_dict,
    validate_policy,
)
from samsvar.regulatory.risk import policy as pol

from .strategies import make_policy, probability_scale, replace_level, severity_scale

DEFAULT = default_policy()


def codes(policy):
    return [problem.code for problem in validate_policy(policy)]


def messages(policy, code):
    return [p.message_en for p in validate_policy(policy) if p.code == code]


def edit(mapping, remove=(), **_):
    return {key: value for key, value in mapping.items() if key not in remove}


def with_combination(policy, remove=(), set=None):
    table = edit(policy.combination, remove)
    table.update(set or {})
    return replace(policy, combination=table)


def with_matrix(policy, remove=(), set=None):
    matrix = edit(policy.matrix, remove)
    matrix.update(set or {})
    return replace(policy, matrix=matrix)


def severity_levels(policy, levels):
    return replace(policy, severity=replace(policy.severity, levels=tuple(levels)))


# --- the default policy --------------------------------------------------------------------------


def test_the_default_policy_validates_with_no_error_and_no_warning():
    assert validate_policy(DEFAULT) == []


def test_the_default_policy_is_five_by_five_in_both_languages_per_use():
    assert DEFAULT.severity.ranks == DEFAULT.probability.ranks == (1, 2, 3, 4, 5)
    assert [lv.name_en for lv in DEFAULT.severity.ordered()] == [
        "Negligible", "Minor", "Serious", "Critical", "Catastrophic",
    ]  # fmt: skip
    assert [lv.name_en for lv in DEFAULT.probability.ordered()] == [
        "Improbable", "Remote", "Occasional", "Probable", "Frequent",
    ]  # fmt: skip
    for scale in (DEFAULT.severity, DEFAULT.probability):
        for level in scale.levels:
            assert level.name_en and level.name_nb and level.definition_en and level.definition_nb
    assert DEFAULT.probability.basis == "per_use"
    assert DEFAULT.probability.basis_text("nb") == "per bruk av utstyret"
    ranges = [(lv.low, lv.high) for lv in DEFAULT.probability.ordered()]
    assert ranges == [(0, 1e-6), (1e-6, 1e-4), (1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 1.0)]
    assert DEFAULT.overall_method_en.strip() and DEFAULT.overall_method_nb.strip()
    assert DEFAULT.overall_method("nb") == DEFAULT.overall_method_nb


def test_the_default_combination_is_the_product_of_geometric_midpoints():
    assert DEFAULT.combination == combine_by_product(DEFAULT.probability)
    rows = [[DEFAULT.combination[(p1, p2)] for p2 in range(1, 6)] for p1 in range(1, 6)]
    assert rows == [
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 2],
        [1, 1, 1, 2, 2],
        [1, 1, 2, 2, 3],
        [1, 2, 2, 3, 5],
    ]


def test_the_default_matrix_is_acceptable_below_the_anti_diagonal():
    for (s, p), acceptable in DEFAULT.matrix.items():
        assert acceptable == (s + p <= 6), (s, p)
    assert DEFAULT.matrix[(5, 1)] and not DEFAULT.matrix[(5, 2)]
    assert DEFAULT.matrix[(1, 5)] and not DEFAULT.matrix[(2, 5)]


def test_the_default_policy_is_immutable():
    with pytest.raises(TypeError):
        DEFAULT.matrix[(1, 1)] = False
    with pytest.raises(TypeError):
        DEFAULT.combination[(1, 1)] = 5
    with pytest.raises(AttributeError):
        DEFAULT.overall_method_en = "x"


def test_level_texts_fall_back_to_the_other_language():
    level = replace(DEFAULT.severity.level(3), name_nb="", definition_en="")
    assert level.name("nb") == level.name_en == "Serious"
    assert level.definition("en") == level.definition_nb


# --- each validation problem: a positive and a negative case ----------------------------------

EIGHT = severity_scale(8)
SEVEN_LEVELS = make_policy(7, 7)
THREE_LEVELS = make_policy(3, 3)

# code -> (a policy with exactly that problem somewhere, the message expected in it)
POSITIVE = {
    pol.SCALE_SIZE: (
        replace(DEFAULT, severity=EIGHT),
        "severity scale must have 3 to 7 levels, has 8",
    ),
    pol.RANK_INVALID: (
        replace_level(DEFAULT, "severity", 3, rank="3"),
        "severity scale: level 'Serious' has rank '3', not a whole number",
    ),
    pol.DUPLICATE_RANK: (
        replace_level(DEFAULT, "severity", 3, rank=2),
        "severity scale: duplicate rank 2",
    ),
    pol.RANK_SEQUENCE: (
        replace_level(DEFAULT, "severity", 3, rank=6),
        "severity scale: ranks must run 1 to 5 without gaps, are 1, 2, 4, 5, 6",
    ),
    pol.MISSING_NAME: (
        replace_level(DEFAULT, "probability", 2, name_en=" ", name_nb=""),
        "probability level 2 has no name",
    ),
    pol.MISSING_DEFINITION: (
        replace_level(DEFAULT, "severity", 4, definition_en="", definition_nb=""),
        "severity level 4 has no definition",
    ),
    pol.DUPLICATE_NAME: (
        replace_level(DEFAULT, "severity", 4, name_en="MINOR"),
        "severity levels 2 and 4 have the same name 'minor'",
    ),
    pol.BASIS_MISSING: (
        replace(DEFAULT, probability=replace(DEFAULT.probability, basis="per_week")),
        "the probability scale does not say what its probabilities are counted per (basis "
        "'per_week'; expected one of per_use, per_device_year, per_patient, other, with a "
        "description)",
    ),
    pol.RANGE_INVALID: (
        replace_level(DEFAULT, "probability", 3, low=1e-3, high=1e-4),
        "probability level 3: range [0.001, 0.0001) is empty",
    ),
    pol.RANGE_OVERLAP: (
        replace_level(DEFAULT, "probability", 3, high=2e-3),
        "probability level 3: range [0.0001, 0.002) overlaps level 4 [0.001, 0.01)",
    ),
    pol.RANGE_GAP: (
        replace_level(DEFAULT, "probability", 3, high=5e-4),
        "probability levels 3 and 4 leave [0.0005, 0.001) uncovered",
    ),
    pol.RANGE_START: (
        replace_level(DEFAULT, "probability", 1, low=1e-9),
        "probability level 1: the lowest range must start at 0, starts at 1e-09",
    ),
    pol.RANGE_END: (
        replace_level(DEFAULT, "probability", 5, high=0.5),
        "probability level 5: the top range must end at 1.0 inclusive, ends at 0.5",
    ),
    pol.COMBINATION_MISSING: (
        with_combination(DEFAULT, remove=[(2, 5)]),
        "combination table has no entry for (P1=2, P2=5)",
    ),
    pol.COMBINATION_UNKNOWN_LEVEL: (
        with_combination(DEFAULT, set={(9, 1): 1}),
        "combination table entry (P1=9, P2=1) refers to P1 level 9, which is not on the "
        "probability scale",
    ),
    pol.COMBINATION_UNKNOWN_RESULT: (
        with_combination(DEFAULT, set={(2, 3): 8}),
        "combination table entry (P1=2, P2=3) gives P=8, which is not on the probability scale",
    ),
    pol.COMBINATION_NOT_MONOTONE: (
        with_combination(DEFAULT, set={(5, 4): 1}),
        "combination table: P falls from 2 at (P1=4, P2=4) to 1 at (P1=5, P2=4); P must not "
        "decrease as P1 increases",
    ),
    pol.COMBINATION_EXCEEDS_FACTOR: (
        with_combination(DEFAULT, set={(5, 4): 5}),
        "combination table: P=5 at (P1=5, P2=4) is above the lower of P1 and P2 (4); a product "
        "of two probabilities is never larger than either of them",
    ),
    pol.COMBINATION_NOT_PRODUCT: (
        with_combination(DEFAULT, set={(5, 5): 4}),
        "combination table: (P1=5, P2=5) gives P=4, but the table is marked as derived from the "
        "product of the ranges, which gives P=5",
    ),
    pol.MATRIX_MISSING: (
        with_matrix(DEFAULT, remove=[(4, 3)]),
        "matrix cell (S=4, P=3) is missing",
    ),
    pol.MATRIX_UNKNOWN_CELL: (
        with_matrix(DEFAULT, set={(9, 3): False}),
        "matrix cell (S=9, P=3) refers to severity level 9, which is not on the severity scale",
    ),
    pol.MATRIX_VALUE_INVALID: (
        with_matrix(DEFAULT, set={(1, 1): "yes"}),
        "matrix cell (S=1, P=1) is 'yes'; it must be acceptable (true) or not acceptable (false)",
    ),
    pol.MATRIX_NOT_MONOTONE: (
        with_matrix(DEFAULT, set={(2, 2): False}),
        "matrix cell (S=3, P=2) is acceptable but the less severe cell (S=2, P=2) is not",
    ),
    pol.OVERALL_METHOD_MISSING: (
        replace(DEFAULT, overall_method_en=" ", overall_method_nb=""),
        "the plan states no method and criteria for evaluating the overall residual risk",
    ),
}

# code -> a policy close to the problem that does not have it
NEGATIVE = {
    pol.SCALE_SIZE: [SEVEN_LEVELS, THREE_LEVELS],
    pol.RANK_INVALID: [DEFAULT],
    pol.DUPLICATE_RANK: [
        severity_levels(DEFAULT, reversed(DEFAULT.severity.levels)),  # order does not matter
    ],
    pol.RANK_SEQUENCE: [severity_levels(DEFAULT, reversed(DEFAULT.severity.levels))],
    pol.MISSING_NAME: [replace_level(DEFAULT, "probability", 2, name_en="")],  # nb is enough
    pol.MISSING_DEFINITION: [replace_level(DEFAULT, "severity", 4, definition_nb="")],
    pol.DUPLICATE_NAME: [
        replace_level(DEFAULT, "severity", 4, name_en="Critical", name_nb="critical"),  # own
    ],
    pol.BASIS_MISSING: [
        replace(DEFAULT, probability=replace(DEFAULT.probability, basis="per_device_year")),
        replace(DEFAULT, probability=replace(DEFAULT.probability, basis_en="")),
    ],
    pol.RANGE_INVALID: [DEFAULT],
    pol.RANGE_OVERLAP: [DEFAULT],  # ranges that touch do not overlap
    pol.RANGE_GAP: [DEFAULT],
    pol.RANGE_START: [DEFAULT],
    pol.RANGE_END: [DEFAULT],
    pol.COMBINATION_MISSING: [DEFAULT],
    pol.COMBINATION_UNKNOWN_LEVEL: [DEFAULT],
    pol.COMBINATION_UNKNOWN_RESULT: [DEFAULT],
    pol.COMBINATION_NOT_MONOTONE: [with_combination(DEFAULT, set={(5, 5): 4})],
    # P equal to the lower factor is the most a product can give.
    pol.COMBINATION_EXCEEDS_FACTOR: [with_combination(DEFAULT, set={(5, 4): 4, (4, 5): 4})],
    pol.COMBINATION_NOT_PRODUCT: [
        replace(with_combination(DEFAULT, set={(5, 5): 4}), combination_method="table"),
    ],
    pol.MATRIX_MISSING: [DEFAULT],
    pol.MATRIX_UNKNOWN_CELL: [DEFAULT],
    pol.MATRIX_VALUE_INVALID: [DEFAULT],
    pol.MATRIX_NOT_MONOTONE: [
        with_matrix(DEFAULT, set={(5, 2): True}),  # moving the boundary keeps it monotone
        with_matrix(DEFAULT, set={(1, 5): False}),
    ],
    pol.OVERALL_METHOD_MISSING: [replace(DEFAULT, overall_method_en="")],
}


def test_every_problem_code_has_a_positive_and_a_negative_case():
    assert set(POSITIVE) == set(NEGATIVE) == set(PROBLEM_CODES)


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_each_problem_is_reported_with_a_precise_message(code):
    policy, message = POSITIVE[code]
    problems = [p for p in validate_policy(policy) if p.code == code]
    assert message in [p.message_en for p in problems]
    for problem in problems:
        assert problem.kind == PROBLEM_CODES[code]
        assert problem.is_error == (PROBLEM_CODES[code] == "error")
        assert problem.message_nb and problem.message_nb != problem.message_en
        assert problem.message("nb") == problem.message_nb


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_each_problem_is_absent_from_its_near_miss(code):
    for policy in NEGATIVE[code]:
        assert code not in codes(policy)


def test_scale_size_counts_too_few_levels_too():
    two = replace(DEFAULT, probability=probability_scale([0.0, 0.5, 1.0]))
    assert "probability scale must have 3 to 7 levels, has 2" in messages(two, pol.SCALE_SIZE)


def test_three_and_seven_level_policies_validate_clean():
    assert validate_policy(SEVEN_LEVELS) == []
    assert validate_policy(THREE_LEVELS) == []


def test_range_bounds_outside_zero_to_one_or_not_numbers_are_invalid():
    above = replace_level(DEFAULT, "probability", 5, high=1.5)
    assert "probability level 5: bound 1.5 is outside 0 to 1" in messages(above, pol.RANGE_INVALID)
    nan = replace_level(DEFAULT, "probability", 2, low=math.nan)
    assert "probability level 2: a bound is not a number" in messages(nan, pol.RANGE_INVALID)
    text = replace_level(DEFAULT, "probability", 2, low="1e-6")
    assert messages(text, pol.RANGE_INVALID) == [
        "probability level 2: bounds ('1e-6', 0.0001) are not numbers"
    ]


def test_a_matrix_cell_with_an_unknown_probability_level_is_named():
    policy = with_matrix(DEFAULT, set={(2, 6): True})
    assert messages(policy, pol.MATRIX_UNKNOWN_CELL) == [
        "matrix cell (S=2, P=6) refers to probability level 6, which is not on the probability "
        "scale"
    ]


def test_matrix_monotonicity_names_the_less_probable_cell_too():
    found = messages(with_matrix(DEFAULT, set={(2, 2): False}), pol.MATRIX_NOT_MONOTONE)
    assert found == [
        "matrix cell (S=2, P=3) is acceptable but the less probable cell (S=2, P=2) is not",
        "matrix cell (S=3, P=2) is acceptable but the less severe cell (S=2, P=2) is not",
    ]


def test_combination_monotonicity_in_p2_is_named():
    found = messages(with_combination(DEFAULT, set={(5, 4): 1}), pol.COMBINATION_NOT_MONOTONE)
    assert (
        "combination table: P falls from 2 at (P1=5, P2=3) to 1 at (P1=5, P2=4); P must not "
        "decrease as P2 increases"
    ) in found


def test_warnings_alone_do_not_make_a_policy_an_error():
    problems = validate_policy(with_matrix(DEFAULT, set={(2, 2): False}))
    assert problems and not pol.errors(problems)


def test_problems_point_at_their_subject_and_cell():
    (problem,) = validate_policy(with_matrix(DEFAULT, remove=[(4, 3)]))
    assert (problem.subject, problem.ref) == ("matrix", (4, 3))
    (problem,) = validate_policy(with_combination(DEFAULT, remove=[(2, 5)]))
    assert (problem.subject, problem.ref) == ("combination", (2, 5))
    (problem,) = validate_policy(replace_level(DEFAULT, "probability", 1, low=1e-9))
    assert (problem.subject, problem.ref) == ("probability", (1,))


def test_norwegian_messages_use_decimal_commas():
    policy, _ = POSITIVE[pol.RANGE_OVERLAP]
    (problem,) = validate_policy(policy)
    assert problem.message_nb == (
        "sannsynlighetsnivå 3: intervallet [0,0001; 0,002) overlapper nivå 4 [0,001; 0,01)"
    )


# --- the product combination -------------------------------------------------------------------


def test_representative_values_are_geometric_midpoints():
    levels = DEFAULT.probability.ordered()
    assert pol.representative_value(levels[0]) == pytest.approx(1e-6 / math.sqrt(10))
    assert pol.representative_value(levels[1]) == pytest.approx(1e-5)
    assert pol.representative_value(levels[4]) == pytest.approx(0.1)


def test_rank_for_snaps_products_onto_boundaries_and_covers_one():
    scale = DEFAULT.probability
    assert scale.rank_for(0.0) == 1
    assert scale.rank_for(1e-6) == 2
    assert scale.rank_for(1e-5 * 0.1) == 2  # 1.0000000000000002e-06 or 9.99...e-07
    assert scale.rank_for(0.0099999) == 4
    assert scale.rank_for(1.0) == 5
    with pytest.raises(ValueError, match="outside 0 to 1"):
        scale.rank_for(1.5)


def test_combine_by_product_refuses_an_invalid_scale():
    broken = replace_level(DEFAULT, "probability", 3, high=2e-3).probability
    with pytest.raises(ValueError, match="overlaps level 4"):
        combine_by_product(broken)


def test_combine_by_product_on_a_linear_three_level_scale():
    scale = probability_scale([0.0, 0.1, 0.5, 1.0])
    table = combine_by_product(scale)
    # midpoints 0.0316, 0.2236, 0.7071
    assert table[(3, 3)] == 3  # 0.5, on the boundary of the top level
    assert table[(2, 3)] == 2  # 0.158
    assert table[(2, 2)] == 1  # 0.05
    assert table[(1, 3)] == 1


# --- the plain-data form -----------------------------------------------------------------------


def test_the_plain_form_round_trips():
    data = policy_to_dict(DEFAULT)
    assert policy_from_dict(data) == DEFAULT
    assert len(data["combination"]) == 25 and len(data["matrix"]) == 25


def test_a_policy_is_hashable_and_equal_by_value():
    assert hash(policy_from_dict(policy_to_dict(DEFAULT))) == hash(DEFAULT)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("severity"), "policy.severity: missing"),
        (lambda d: d["probability"].pop("basis"), "probability.basis: missing"),
        (
            lambda d: d["severity"]["levels"][2].update(rank=True),
            "severity.levels[2].rank: expected int, got True",
        ),
        (
            lambda d: d["probability"]["levels"][0].update(low="0"),
            "probability.levels[0].low: expected int or float, got '0'",
        ),
        (
            lambda d: d["matrix"][3].update(acceptable="yes"),
            "matrix[3].acceptable: expected bool, got 'yes'",
        ),
        (lambda d: d["combination"][0].pop("p"), "combination[0].p: missing"),
        (
            lambda d: d.update(combination_method="guess"),
            "policy.combination_method: expected table or product, got 'guess'",
        ),
    ],
)
def test_a_malformed_plain_form_names_the_field(mutate, message):
    data = policy_to_dict(DEFAULT)
    mutate(data)
    with pytest.raises(ValueError) as raised:
        policy_from_dict(data)
    assert str(raised.value) == message


def test_an_unsound_but_well_formed_plain_form_is_left_to_validation():
    data = policy_to_dict(DEFAULT)
    data["matrix"] = data["matrix"][1:]
    assert codes(policy_from_dict(data)) == [pol.MATRIX_MISSING]
