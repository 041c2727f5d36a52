"""Risk control options in priority order and the rationale rule (ISO 14971:2019 7.1)."""

import pytest

from samsvar.regulatory.risk import PRIORITY_ORDER, ControlKind, Ref, lower_priority_needs_rationale
from samsvar.regulatory.risk.control import skipped_kinds

DESIGN, PROTECTIVE, INFORMATION = PRIORITY_ORDER


def test_priority_order():
    assert [kind.priority for kind in PRIORITY_ORDER] == [1, 2, 3]
    assert DESIGN is ControlKind.INHERENT_SAFETY and INFORMATION.value == "information"
    assert DESIGN.name_in("nb") == "iboende sikkerhet gjennom konstruksjon og produksjon"


@pytest.mark.parametrize(
    ("used", "skipped"),
    [
        (set(), ()),
        ({DESIGN}, ()),
        ({DESIGN, PROTECTIVE}, ()),
        ({DESIGN, PROTECTIVE, INFORMATION}, ()),
        ({PROTECTIVE}, (DESIGN,)),
        ({PROTECTIVE, INFORMATION}, (DESIGN,)),
        ({INFORMATION}, (DESIGN, PROTECTIVE)),
        ({DESIGN, INFORMATION}, (PROTECTIVE,)),
    ],
)
def test_the_skipped_higher_priority_kinds(used, skipped):
    assert skipped_kinds(used) == skipped
    gap = lower_priority_needs_rationale(used, "")
    assert (gap is None) == (not skipped)
    assert lower_priority_needs_rationale(used, "Not practicable because ...") is None
    assert lower_priority_needs_rationale(used, "   ") == gap


def test_the_gap_names_the_risk_and_the_skipped_options():
    gap = lower_priority_needs_rationale(
        ["information"], "", ref=Ref(kind="risk", id=7, name="Overdose")
    )
    assert gap.code == "lower_priority_without_rationale" and gap.clause == "7.1"
    assert gap.message_en == (
        "Risk “Overdose” is controlled by information for safety (including training) without "
        "inherent safety by design and manufacture or protective measures in the device or the "
        "manufacturing process; record why the higher-priority option is not practicable"
    )
    assert gap.message_nb.startswith("Risiko «Overdose» er kontrollert med sikkerhetsinformasjon")


def test_kinds_given_as_strings_or_a_generator_work_and_unknown_kinds_fail():
    assert lower_priority_needs_rationale((k for k in ["protective"]), "") is not None
    with pytest.raises(ValueError, match="control kind 'label' is not one of inherent_safety"):
        lower_priority_needs_rationale({"label"}, "")
