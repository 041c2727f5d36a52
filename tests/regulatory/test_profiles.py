"""Profiles, schemas and wizard questions: clear errors, closed vocabularies, two languages."""

import json

import pytest

from samsvar.regulatory.classification import (
    CLASS_ORDER,
    Classification,
    ProfileError,
    Question,
    classify,
    questions,
    schema,
)
from samsvar.regulatory.classification import ivdr as ivdr_engine
from samsvar.regulatory.classification import mdr as mdr_engine
from samsvar.regulatory.classification.common import SUPPORTED_KEYWORDS, _questions

REGIMES = ("mdr", "ivdr")
ENGINES = {"mdr": mdr_engine, "ivdr": ivdr_engine}


# ---- errors name the attribute ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "message", "attribute"),
    [
        ({"invasivness": "non_invasive"}, "unknown attribute 'invasivness'", "invasivness"),
        (
            {"invasiveness": "body_orifice", "duration": "forever"},
            "duration: 'forever' is not one of transient, short_term, long_term",
            "duration",
        ),
        (
            {"invasiveness": "body_orifice"},
            "missing attribute 'duration' (needed when invasiveness is body_orifice or "
            "surgically_invasive)",
            "duration",
        ),
        ({}, "missing attribute 'invasiveness'", "invasiveness"),
        (
            {"invasiveness": "non_invasive", "active": True},
            "missing attribute 'active_type' (needed when active is true)",
            "active_type",
        ),
        (
            {"invasiveness": "non_invasive", "active": "yes"},
            "active: 'yes' is not true or false",
            "active",
        ),
        (
            {"invasiveness": "non_invasive", "active": 1},
            "active: 1 is not true or false",
            "active",
        ),
        (
            {"invasiveness": "implantable", "location": "teeth"},
            "location: 'teeth' is not a list of values",
            "location",
        ),
        (
            {"invasiveness": "implantable", "location": ["teeth", "liver"]},
            "location: 'liver' is not one of heart_or_central_circulatory_system",
            "location",
        ),
        (
            {"invasiveness": "implantable", "location": ["teeth", "teeth"]},
            "location: 'teeth' is listed more than once",
            "location",
        ),
        (
            {"invasiveness": None},
            "invasiveness: null is not one of non_invasive, body_orifice",
            "invasiveness",
        ),
    ],
)
def test_mdr_profile_errors_name_the_attribute(profile, message, attribute):
    with pytest.raises(ProfileError) as caught:
        classify("mdr", profile)
    assert message in str(caught.value)
    assert caught.value.attribute == attribute
    assert isinstance(caught.value, ValueError)


def test_unknown_attribute_suggests_the_right_one():
    with pytest.raises(ProfileError, match=r"did you mean 'invasiveness'\?"):
        classify("mdr", {"invasivness": "non_invasive"})


@pytest.mark.parametrize(
    ("profile", "message", "attribute"),
    [
        (
            {"product_type": "reagent", "use_setting": "self_test"},
            "product_type: 'reagent'",
            "product_type",
        ),
        ({"product_type": "assay_reagent"}, "missing attribute 'use_setting'", "use_setting"),
        (
            {"product_type": "calibrator", "use_setting": "professional_lab"},
            "missing attribute 'used_with_device_class' (needed when product_type is 'calibrator')",
            "used_with_device_class",
        ),
        (
            {"product_type": "control", "use_setting": "professional_lab", "assigned_value": True},
            "missing attribute 'used_with_device_class'",
            "used_with_device_class",
        ),
        (
            {"product_type": "assay_reagent", "use_setting": "self_test", "markers": ["ABO"]},
            "markers: 'ABO' is not one of ABO1",
            "markers",
        ),
        (
            {"product_type": "assay_reagent", "use_setting": "lab", "purpose": []},
            "use_setting: 'lab' is not one of",
            "use_setting",
        ),
    ],
)
def test_ivdr_profile_errors_name_the_attribute(profile, message, attribute):
    with pytest.raises(ProfileError) as caught:
        classify("ivdr", profile)
    assert message in str(caught.value)
    assert caught.value.attribute == attribute


@pytest.mark.parametrize("profile", [[], "mdr", None, 3])
def test_a_profile_must_be_an_object(profile):
    with pytest.raises(ProfileError, match="must be an object") as caught:
        classify("mdr", profile)
    assert caught.value.attribute is None


def test_unknown_regime_is_a_value_error():
    with pytest.raises(ValueError, match="unknown regime 'mdd'"):
        classify("mdd", {})
    assert classify("MDR", {"invasiveness": "non_invasive"}).regime == "mdr"


def test_answers_no_rule_reads_are_accepted():
    """A complete wizard may leave answers that no longer matter; they change nothing."""
    plain = classify("mdr", {"invasiveness": "non_invasive"})
    extra = classify(
        "mdr", {"invasiveness": "non_invasive", "duration": "long_term", "location": ["teeth"]}
    )
    assert extra.to_dict() == plain.to_dict()


# ---- the result -------------------------------------------------------------------------------


def test_result_is_frozen_and_shaped():
    result = classify("mdr", {"invasiveness": "non_invasive"})
    assert isinstance(result, Classification)
    with pytest.raises(AttributeError):
        result.device_class = "III"
    data = result.to_dict()
    assert list(data) == ["class", "special", "rules", "decided_by"]
    assert data["rules"] == [
        {"rule": "Rule 1", "sub": "", "class": "I", "reason": result.rules[0].reason}
    ]
    assert json.loads(json.dumps(data)) == data


# ---- the schemas ------------------------------------------------------------------------------


def _walk(node):
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in ("properties",):
                yield from _walk(value)
            else:
                for sub in value.values():
                    yield from _walk(sub)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@pytest.mark.parametrize("regime", REGIMES)
def test_schema_is_closed_draft_2020_12(regime):
    spec = schema(regime)
    assert spec["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert spec["type"] == "object"
    assert spec["additionalProperties"] is False
    for name, rules in spec["properties"].items():
        assert rules.get("description"), f"{name} is undocumented"
        assert rules["type"] in ("boolean", "string", "array"), name
        if rules["type"] == "string":
            assert rules["enum"], f"{name} has no closed list of values"
        if rules["type"] == "array":
            assert rules["items"]["enum"] and rules["uniqueItems"] is True, name


@pytest.mark.parametrize("regime", REGIMES)
def test_schema_uses_only_keywords_the_validator_knows(regime):
    spec = schema(regime)
    nodes = list(_walk(spec))
    assert len(nodes) > len(spec["properties"])
    for node in nodes:  # every schema object: the root, properties, items, if/then parts
        unknown = set(node) - SUPPORTED_KEYWORDS
        assert not unknown, unknown


@pytest.mark.parametrize("regime", REGIMES)
def test_schema_is_valid_for_jsonschema(regime):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema(regime))


def test_schema_returns_a_copy():
    spec = schema("mdr")
    spec["properties"].clear()
    assert schema("mdr")["properties"]


def test_class_values_match_the_class_order():
    assert schema("mdr")["properties"]["drives_device_class"]["enum"][1:] == list(
        CLASS_ORDER["mdr"]
    )
    assert schema("ivdr")["properties"]["used_with_device_class"]["enum"] == list(
        CLASS_ORDER["ivdr"]
    )


# ---- the wizard -------------------------------------------------------------------------------


@pytest.mark.parametrize("regime", REGIMES)
def test_one_question_per_attribute_with_both_languages(regime):
    spec = schema(regime)["properties"]
    every = questions(regime, {})
    all_questions = _questions(regime)
    assert [q.attribute for q in all_questions] == list(spec)
    assert set(ENGINES[regime].RELEVANT) == set(spec)
    for question in all_questions:
        assert isinstance(question, Question)
        assert question.kind in ("bool", "choice", "multi", "class")
        assert question.text_en and question.text_nb and question.text_en != question.text_nb
        assert question.rules
        assert bool(question.help_en) == bool(question.help_nb), question.attribute
        rules = spec[question.attribute]
        if question.kind == "bool":
            assert rules["type"] == "boolean" and question.choices == ()
        else:
            values = rules["enum"] if rules["type"] == "string" else rules["items"]["enum"]
            assert [c.value for c in question.choices] == values, question.attribute
            assert (question.kind == "multi") == (rules["type"] == "array")
            for choice in question.choices:
                assert choice.text_en and choice.text_nb
    assert every[0].attribute == all_questions[0].attribute


def _norwegian(regime):
    every = _questions(regime)
    return " ".join(
        [q.text_nb for q in every]
        + [q.help_nb for q in every]
        + [c.text_nb for q in every for c in q.choices]
    ).lower()


def test_norwegian_uses_the_regulatory_vocabulary():
    texts = _norwegian("mdr")
    for word in ("utstyret", "ikke-invasivt", "implanterbart", "kirurgisk invasivt", "programvare"):
        assert word in texts, word
    ivd = _norwegian("ivdr")
    for word in ("selvtesting", "pasientnær", "ledsagende diagnostikk", "kreft"):
        assert word in ivd, word


def _asked(regime, answers):
    return [q.attribute for q in questions(regime, answers)]


def test_mdr_wizard_starts_with_the_basics():
    asked = _asked("mdr", {})
    assert asked[0] == "invasiveness"
    for hidden in ("duration", "location", "active_type", "reusable_surgical_instrument"):
        assert hidden not in asked


def test_mdr_no_duration_or_invasive_questions_for_non_invasive():
    asked = _asked("mdr", {"invasiveness": "non_invasive"})
    for hidden in (
        "duration",
        "location",
        "reusable_surgical_instrument",
        "absorbed_by_mucous_membrane",
        "joint_replacement",
        "administers_medicinal_product_by_inhalation",
    ):
        assert hidden not in asked
    for shown in ("channels_or_stores_for_administration", "contact", "substance_based"):
        assert shown in asked


def test_mdr_invasive_sub_questions_follow_invasiveness_and_duration():
    transient = _asked("mdr", {"invasiveness": "surgically_invasive", "duration": "transient"})
    assert "reusable_surgical_instrument" in transient
    assert "administration_potentially_hazardous" not in transient
    assert "joint_replacement" not in transient
    hazard = _asked(
        "mdr",
        {
            "invasiveness": "surgically_invasive",
            "duration": "transient",
            "administers_medicinal_product": True,
        },
    )
    assert "administration_potentially_hazardous" in hazard
    implant = _asked("mdr", {"invasiveness": "implantable"})
    assert "joint_replacement" in implant and "duration" not in implant
    assert "ancillary_component_screw_wedge_plate" not in implant
    joint = _asked("mdr", {"invasiveness": "implantable", "joint_replacement": True})
    assert "ancillary_component_screw_wedge_plate" in joint
    orifice = _asked("mdr", {"invasiveness": "body_orifice", "duration": "long_term"})
    assert "absorbed_by_mucous_membrane" in orifice
    assert "channels_or_stores_for_administration" not in orifice


def test_mdr_active_type_only_for_active_devices():
    assert "active_type" not in _asked("mdr", {"invasiveness": "non_invasive", "active": False})
    active = _asked("mdr", {"invasiveness": "non_invasive", "active": True})
    assert "active_type" in active
    assert "administers_or_exchanges_energy" not in active
    therapeutic = _asked(
        "mdr", {"invasiveness": "non_invasive", "active": True, "active_type": "therapeutic"}
    )
    assert "administers_or_exchanges_energy" in therapeutic
    assert "supplies_energy_absorbed" not in therapeutic


def test_mdr_software_questions():
    software = _asked("mdr", {"invasiveness": "non_invasive", "software": True})
    assert "active" not in software  # software is active
    assert {"active_type", "software_function", "drives_device_class"} <= set(software)
    assert "decision_impact" not in software
    decisions = _asked(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "software": True,
            "software_function": ["decision_support"],
        },
    )
    assert "decision_impact" in decisions


def test_ivdr_wizard():
    assert _asked("ivdr", {}) == ["product_type", "use_setting", "sterile"]
    reagent = _asked("ivdr", {"product_type": "assay_reagent", "use_setting": "self_test"})
    assert {"purpose", "self_test_analytes"} <= set(reagent)
    assert "markers" not in reagent
    grouping = _asked(
        "ivdr",
        {
            "product_type": "assay_reagent",
            "use_setting": "professional_lab",
            "purpose": ["blood_grouping_or_tissue_typing"],
        },
    )
    assert "markers" in grouping and "self_test_analytes" not in grouping
    receptacle = _asked("ivdr", {"product_type": "specimen_receptacle", "use_setting": "self_test"})
    assert "purpose" not in receptacle
    analyser = _asked(
        "ivdr", {"product_type": "instrument", "independent_measuring_function": True}
    )
    assert "purpose" in analyser
    control = _asked("ivdr", {"product_type": "control", "assigned_value": True})
    assert "used_with_device_class" in control


def test_wizard_rejects_unknown_answers_but_not_incomplete_ones():
    with pytest.raises(ProfileError, match="unknown attribute 'colour'"):
        questions("mdr", {"colour": "blue"})
    with pytest.raises(ProfileError, match="duration: 'ages'"):
        questions("mdr", {"invasiveness": "body_orifice", "duration": "ages"})
    assert questions("mdr", {"invasiveness": "body_orifice"})  # duration still to come
    assert questions("mdr") == questions("mdr", {})
