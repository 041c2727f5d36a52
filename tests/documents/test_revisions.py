"""Revision labels (ISO 13485 4.2.4 c): letters A, B, … Z, AA and numbers 1.0, 1.1, … 2.0."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samsvar.documents.revisions import (
    LETTERS,
    NUMERIC,
    LabelError,
    first_label,
    is_valid,
    next_label,
    sort_key,
)


def test_the_first_labels():
    assert first_label(LETTERS) == "A"
    assert first_label(NUMERIC) == "1.0"


@pytest.mark.parametrize(
    ("label", "expected"),
    [("A", "B"), ("H", "I"), ("Y", "Z"), ("Z", "AA"), ("AA", "AB"), ("AZ", "BA"), ("ZZ", "AAA")],
)
def test_letters_count_like_spreadsheet_columns(label, expected):
    assert next_label(LETTERS, label) == expected
    assert next_label(LETTERS, label, major=True) == expected


@pytest.mark.parametrize(
    ("label", "major", "expected"),
    [("1.0", False, "1.1"), ("1.9", False, "1.10"), ("1.10", True, "2.0"), ("2.3", True, "3.0")],
)
def test_numbers_step_the_minor_part_or_start_the_next_major(label, major, expected):
    assert next_label(NUMERIC, label, major=major) == expected


@pytest.mark.parametrize(
    ("scheme", "label"),
    [(LETTERS, "a"), (LETTERS, "1"), (LETTERS, ""), (LETTERS, "A1"), (NUMERIC, "1"),
     (NUMERIC, "A"), (NUMERIC, "01.0"), (NUMERIC, "1.0.1"), (NUMERIC, " 1.0")],
)  # fmt: skip
def test_a_label_of_another_form_is_refused(scheme, label):
    assert not is_valid(scheme, label)
    with pytest.raises(LabelError):
        next_label(scheme, label)


def test_an_unknown_scheme_is_refused():
    with pytest.raises(LabelError, match="unknown revision scheme"):
        first_label("roman")


def test_sort_keys_put_b_before_aa_and_1_9_before_1_10():
    assert sort_key(LETTERS, "B") < sort_key(LETTERS, "AA")
    assert sort_key(NUMERIC, "1.9") < sort_key(NUMERIC, "1.10") < sort_key(NUMERIC, "2.0")


@given(st.integers(min_value=0, max_value=800))
def test_every_next_letter_label_is_valid_and_later(steps):
    label = first_label(LETTERS)
    for _ in range(steps):
        label = next_label(LETTERS, label)
    following = next_label(LETTERS, label)
    assert is_valid(LETTERS, following)
    assert sort_key(LETTERS, following)[0] == sort_key(LETTERS, label)[0] + 1


@given(st.lists(st.booleans(), max_size=40))
def test_numeric_labels_always_increase(majors):
    label = first_label(NUMERIC)
    for major in majors:
        following = next_label(NUMERIC, label, major=major)
        assert is_valid(NUMERIC, following)
        assert sort_key(NUMERIC, following) > sort_key(NUMERIC, label)
        assert following.endswith(".0") or not major
        label = following
