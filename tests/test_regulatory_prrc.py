"""MDR/IVDR Art. 15(1)-(2): PRRC qualification routes (pure Python)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samsvar.regulatory import prrc


@pytest.mark.parametrize(
    ("route", "degree", "years", "regimes", "problems"),
    [
        (prrc.DEGREE, True, 1.0, "both", []),
        (prrc.DEGREE, True, 0.5, "mdr", [prrc.TOO_LITTLE_EXPERIENCE]),
        (prrc.DEGREE, False, 3.0, "mdr", [prrc.NO_DEGREE]),
        (prrc.EXPERIENCE, False, 4.0, "ivdr", []),
        (prrc.EXPERIENCE, True, 3.9, "ivdr", [prrc.TOO_LITTLE_EXPERIENCE]),
        (prrc.CUSTOM_MADE, False, 2.0, "mdr", []),
        (prrc.CUSTOM_MADE, False, 2.0, "ivdr", [prrc.CUSTOM_MADE_IVDR]),
        ("charm", True, 10, "mdr", [prrc.UNKNOWN_ROUTE]),
    ],
)
def test_qualification_problems(route, degree, years, regimes, problems):
    result = prrc.qualification_problems(
        route=route, has_degree=degree, years_experience=years, regimes=regimes
    )
    assert result == problems


@given(
    st.floats(min_value=4, max_value=60), st.booleans(), st.sampled_from(["mdr", "ivdr", "both"])
)
def test_four_years_of_experience_always_qualify(years, degree, regimes):
    assert (
        prrc.qualification_problems(
            route=prrc.EXPERIENCE, has_degree=degree, years_experience=years, regimes=regimes
        )
        == []
    )
