"""Hypothesis strategies and helpers shared by the classification tests (no database)."""

from hypothesis import strategies as st

from samsvar.regulatory.classification import CLASS_ORDER, classify, questions, schema
from samsvar.regulatory.classification.common import _conforms


def _values(rules):
    if rules["type"] == "boolean":
        return st.booleans()
    if rules["type"] == "string":
        return st.sampled_from(rules["enum"])
    return st.lists(st.sampled_from(rules["items"]["enum"]), unique=True, max_size=4)


@st.composite
def profiles(draw, regime):
    """Any profile the regime's schema accepts, with the conditional answers filled in."""
    spec = schema(regime)
    properties = spec["properties"]
    required = spec.get("required", [])
    optional = [name for name in properties if name not in required]
    profile = {name: draw(_values(properties[name])) for name in required}
    # Mostly sparse profiles (a few answers, as real devices have), sometimes dense ones: with
    # every answer random, nearly everything is class III and the properties would prove little.
    if draw(st.integers(0, 4)) == 0:
        chosen = [name for name in optional if draw(st.booleans())]
    else:
        chosen = draw(st.lists(st.sampled_from(optional), unique=True, max_size=6))
    for name in chosen:
        rules = properties[name]
        value = st.just(True) if rules["type"] == "boolean" else _values(rules)
        profile[name] = draw(st.one_of(value, _values(rules)))
    changed = True
    while changed:
        changed = False
        for rule in spec.get("allOf", []):
            if _conforms(profile, rule["if"]):
                for name in rule["then"].get("required", []):
                    if name not in profile:
                        profile[name] = draw(_values(properties[name]))
                        changed = True
    return profile


def rank(regime, device_class):
    return CLASS_ORDER[regime].index(device_class)


def without(profile, attribute, value):
    """The profile with one trigger removed: the whole answer, or one entry of a list."""
    reduced = dict(profile)
    if value is None:
        reduced.pop(attribute, None)
    else:
        reduced[attribute] = [item for item in reduced.get(attribute, []) if item != value]
    return reduced


def wizard_answers(regime, profile):
    """The answers a wizard collects from `profile`: only the questions it asks, repeatedly."""
    answers = {}
    while True:
        asked = [q.attribute for q in questions(regime, answers)]
        new = {name: profile[name] for name in asked if name in profile and name not in answers}
        if not new:
            return answers
        answers.update(new)


def hit_labels(result, device_class=None):
    return [h.label for h in result.rules if device_class in (None, h.device_class)]


def mdr(**answers):
    return classify("mdr", answers)


def ivdr(**answers):
    return classify("ivdr", answers)


@st.composite
def wizard_profiles(draw, regime):
    """A profile as the wizard builds it: question by question, each answer opening the next.

    Optional questions are often left unanswered and mostly answered "no"; required ones (also
    the conditionally required, such as duration for an invasive device) are always answered.
    """
    spec = schema(regime)
    properties = spec["properties"]
    answers = {}
    skipped = set()
    while True:
        pending = [
            q.attribute
            for q in questions(regime, answers)
            if q.attribute not in answers and q.attribute not in skipped
        ]
        if not pending:
            return answers
        name = pending[0]
        needed = name in spec.get("required", []) or any(
            name in rule["then"].get("required", []) and _conforms(answers, rule["if"])
            for rule in spec.get("allOf", [])
        )
        if not needed and draw(st.booleans()):
            skipped.add(name)
            continue
        rules = properties[name]
        if rules["type"] == "boolean":
            # Mostly "no": a device with every special feature at once is class III anyway,
            # and would hide whether a single answer counts.
            answers[name] = draw(st.integers(0, 3)) == 0
        elif rules["type"] == "array":
            answers[name] = draw(
                st.lists(st.sampled_from(rules["items"]["enum"]), unique=True, max_size=2)
            )
        else:
            answers[name] = draw(st.sampled_from(rules["enum"]))


def every_value(rules):
    """Each value an answer can take (lists: each single entry, and all entries)."""
    if rules["type"] == "boolean":
        return [True, False]
    if rules["type"] == "string":
        return list(rules["enum"])
    entries = rules["items"]["enum"]
    return [[entry] for entry in entries] + [list(entries)]
