"""Properties of both engines on generated profiles (Hypothesis; no database)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samsvar.regulatory.classification import ProfileError, classify, questions, schema
from samsvar.regulatory.classification.common import validate
from tests.regulatory.strategies import (
    every_value,
    profiles,
    rank,
    without,
    wizard_answers,
    wizard_profiles,
)

REGIMES = ("mdr", "ivdr")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def any_profile(regime):
    return st.one_of(profiles(regime), wizard_profiles(regime))


@pytest.mark.parametrize("regime", REGIMES)
@SETTINGS
@given(data=st.data())
def test_any_valid_profile_classifies(regime, data):
    """Implementing rules 3.5 / 1.9: the result class is the highest over the rules that fired."""
    profile = data.draw(any_profile(regime))
    result = classify(regime, profile)
    assert result.rules, "at least one rule always applies"
    assert result.device_class == max(
        (hit.device_class for hit in result.rules), key=lambda c: rank(regime, c)
    )
    deciding = [hit for hit in result.rules if hit.device_class == result.device_class]
    assert any(result.decided_by.startswith(hit.rule) for hit in deciding)
    data_out = result.to_dict()
    assert json.loads(json.dumps(data_out)) == data_out
    if result.special:
        assert result.device_class == ("I" if regime == "mdr" else "A")


@pytest.mark.parametrize("regime", REGIMES)
@SETTINGS
@given(data=st.data())
def test_removing_a_trigger_never_raises_the_class(regime, data):
    profile = data.draw(any_profile(regime))
    before = classify(regime, profile)
    for hit in before.rules:
        for attribute, value in hit.triggers:
            reduced = without(profile, attribute, value)
            try:
                after = classify(regime, reduced)
            except ProfileError:
                continue  # a required answer: not removable
            assert rank(regime, after.device_class) <= rank(regime, before.device_class), (
                f"removing {attribute}={value} from {hit.label} raised "
                f"{before.device_class} to {after.device_class}"
            )


@pytest.mark.parametrize("regime", REGIMES)
@SETTINGS
@given(data=st.data())
def test_the_wizard_asks_every_answer_that_matters(regime, data):
    """Answers to the questions the wizard asks classify the device exactly as the full profile:
    no question it skips could change the class or the class I variants."""
    profile = data.draw(profiles(regime))
    full = classify(regime, profile)
    asked = classify(regime, wizard_answers(regime, profile))
    assert (asked.device_class, asked.special) == (full.device_class, full.special)


@pytest.mark.parametrize("regime", REGIMES)
@SETTINGS
@given(data=st.data())
def test_questions_the_wizard_skips_cannot_change_the_class(regime, data):
    """For a profile built by the wizard, any answer to a question it did not ask (in any
    value) leaves the class and the class I variants as they were."""
    answers = data.draw(wizard_profiles(regime))
    before = classify(regime, answers)
    asked = {q.attribute for q in questions(regime, answers)}
    for name, rules in schema(regime)["properties"].items():
        if name in asked:
            continue
        for value in every_value(rules):
            try:
                after = classify(regime, {**answers, name: value})
            except ProfileError:
                continue  # the answer would need another one first (e.g. route for a substance)
            assert (after.device_class, after.special) == (before.device_class, before.special), (
                f"unasked {name}={value!r} changed {before.device_class} to {after.device_class}"
            )


@pytest.mark.parametrize("regime", REGIMES)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_validator_agrees_with_jsonschema(regime, data):
    """Our small validator and the jsonschema package accept and reject the same profiles."""
    jsonschema = pytest.importorskip("jsonschema")
    spec = schema(regime)
    names = [*spec["properties"], "colour", "invasivness"]
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from(["", "yes", "long_term", "IIa", "C", "other", "teeth"]),
        st.lists(st.sampled_from(["teeth", "other", "blood", "ABO1", "x", "x"]), max_size=3),
    )
    base = data.draw(profiles(regime))
    if data.draw(st.booleans()):
        profile = base
    else:
        profile = dict(base)
        for _ in range(data.draw(st.integers(1, 3))):
            action = data.draw(st.sampled_from(["set", "drop"]))
            name = data.draw(st.sampled_from(names))
            if action == "set":
                profile[name] = data.draw(junk)
            else:
                profile.pop(name, None)
    expected = jsonschema.Draft202012Validator(spec).is_valid(profile)
    try:
        validate(profile, spec)
        ours = True
    except ProfileError:
        ours = False
    assert ours == expected, profile
