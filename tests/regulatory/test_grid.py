"""The same properties as test_properties.py, on a deterministic grid instead of random profiles.

The grid is every basic device shape (invasiveness and duration, active or not, what kind of
active device; IVD product type and setting) with every single answer added to it. Random
profiles rarely reach a narrow path such as "surgically invasive, transient, reusable, not
connected"; the grid reaches every such path with one answer, so each sub-rule is checked.
"""

import itertools

import pytest

from samsvar.regulatory.classification import ProfileError, classify, questions, schema
from tests.regulatory.strategies import every_value, rank, without

SHAPES = [
    {"invasiveness": "non_invasive"},
    *(
        {"invasiveness": kind, "duration": duration}
        for kind, duration in itertools.product(
            ("body_orifice", "surgically_invasive"), ("transient", "short_term", "long_term")
        )
    ),
    {"invasiveness": "implantable"},
]
ACTIVITY = [
    {},
    {"active": True, "active_type": "therapeutic"},
    {"active": True, "active_type": "diagnostic_monitoring"},
    {"active": True, "active_type": "other"},
    {"software": True, "active_type": "other"},
]
BASES = {
    "mdr": [{**shape, **activity} for shape in SHAPES for activity in ACTIVITY],
    "ivdr": [
        {"product_type": kind, "use_setting": setting, **extra}
        for kind in schema("ivdr")["properties"]["product_type"]["enum"]
        for setting in schema("ivdr")["properties"]["use_setting"]["enum"]
        for extra in (
            [{"used_with_device_class": "C"}, {"used_with_device_class": "A"}]
            if kind in ("calibrator", "control")
            else [{}]
        )
    ],
}


def grid(regime):
    """Every base, and every base with one more answer (each value it can take). An answer that
    needs another one first (route for a substance-based device) comes with each value of it."""
    properties = schema(regime)["properties"]
    for base in BASES[regime]:
        yield base, None
        for name, rules in properties.items():
            if name in base:
                continue
            for value in every_value(rules):
                profile = {**base, name: value}
                try:
                    classify(regime, profile)
                except ProfileError as error:
                    needed = error.attribute
                    if needed == name or needed not in properties:
                        continue
                    for extra in every_value(properties[needed]):
                        yield {**profile, needed: extra}, base
                    continue
                yield profile, base


def _labels(result):
    return [hit.label for hit in result.rules]


def asked(regime, profile):
    return {q.attribute for q in questions(regime, profile)}


@pytest.mark.parametrize("regime", ["mdr", "ivdr"])
def test_grid_class_is_the_highest_rule_and_triggers_never_raise_it(regime):
    checked = 0
    for profile, _base in grid(regime):
        result = classify(regime, profile)
        top = max(rank(regime, hit.device_class) for hit in result.rules)
        assert rank(regime, result.device_class) == top
        for hit in result.rules:
            for attribute, value in hit.triggers:
                try:
                    after = classify(regime, without(profile, attribute, value))
                except ProfileError:
                    continue
                assert rank(regime, after.device_class) <= rank(regime, result.device_class), (
                    profile,
                    hit.label,
                    attribute,
                )
                checked += 1
    assert checked > 200


@pytest.mark.parametrize("regime", ["mdr", "ivdr"])
def test_grid_unasked_questions_cannot_change_the_class(regime):
    """Wherever an answer makes a rule apply, every question the wizard still does not ask is
    irrelevant: any answer to it leaves the class and the class I variants unchanged."""
    properties = schema(regime)["properties"]
    contexts = 0
    for profile, base in grid(regime):
        before = classify(regime, profile)
        if base is not None and _labels(before) == _labels(classify(regime, base)):
            continue  # this answer made no rule apply: its context was checked with the base
        contexts += 1
        open_questions = asked(regime, profile)
        for name, rules in properties.items():
            if name in open_questions or name in profile:
                continue
            for value in every_value(rules):
                try:
                    after = classify(regime, {**profile, name: value})
                except ProfileError:
                    continue
                assert (after.device_class, after.special) == (
                    before.device_class,
                    before.special,
                ), (profile, name, value)
    assert contexts > 30
