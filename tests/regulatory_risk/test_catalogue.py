"""The hazard-category and safety-characteristic catalogues (ISO 14971:2019 5.3, 5.4)."""

import copy
import dataclasses
import re

import pytest

from samsvar.regulatory.risk.catalogue import (
    CatalogueError,
    _read,
    all_hazard_categories,
    all_safety_topics,
    hazard_categories,
    hazard_category,
    parse_hazard_categories,
    parse_safety_topics,
    safety_topic,
    safety_topics,
)

GROUPS = ("energy", "biological_chemical", "operational", "information")

# The sub-categories the four Annex C groups must offer at least.
REQUIRED = {
    "energy": {
        "electrical",
        "thermal",
        "mechanical",
        "moving_parts",
        "suspended_masses",
        "vibration",
        "pressure",
        "acoustic",
        "ionizing_radiation",
        "non_ionizing_radiation",
    },
    "biological_chemical": {"biological_agents", "toxic", "allergenic", "residues", "degradation"},
    "operational": {
        "incorrect_output",
        "incorrect_measurement",
        "loss_of_function",
        "data_transfer",
        "use_error",
    },
    "information": {"instructions", "warnings", "labelling", "security"},
}

TEXT = re.compile(r"\S")


def texts_of(item, names):
    return [getattr(item, name) for name in names]


# --- Hazard categories ------------------------------------------------------------------------


def test_the_four_groups_in_catalogue_order():
    groups = hazard_categories()
    assert tuple(group.key for group in groups) == GROUPS
    assert all(group.is_group and group.group == group.key for group in groups)
    assert all(group.subcategories and not group.examples for group in groups)


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_offers_its_typical_sub_categories(group):
    names = {sub.key.split(".", 1)[1] for sub in hazard_category(group).subcategories}
    assert REQUIRED[group] <= names


def test_sub_categories_are_keyed_under_their_group_with_examples():
    for group in hazard_categories():
        for sub in group.subcategories:
            assert sub.key.startswith(group.key + ".")
            assert re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", sub.key)
            assert sub.group == group.key and not sub.is_group
            assert not sub.subcategories
            assert len(sub.examples) >= 3
            for example in sub.examples:
                assert TEXT.search(example.en) and TEXT.search(example.nb)


def test_every_hazard_text_is_there_in_both_languages():
    for item in all_hazard_categories():
        en = texts_of(item, ("title_en", "description_en"))
        nb = texts_of(item, ("title_nb", "description_nb"))
        assert all(TEXT.search(text) for text in en + nb), item.key
        assert item.title_en != item.title_nb, item.key
    electrical = hazard_category("energy.electrical")
    assert electrical.title() == "Electrical energy"
    assert electrical.title("nb") == "Elektrisk energi"
    assert electrical.title("nb-NO") == electrical.title("nb")
    assert electrical.description("en") == electrical.description_en
    assert electrical.examples[0].text("nb") == electrical.examples[0].nb


def test_keys_and_titles_are_unique():
    every = all_hazard_categories()
    keys = [item.key for item in every]
    assert len(keys) == len(set(keys))
    assert len({item.title_en for item in every}) == len(every)
    assert len({item.title_nb for item in every}) == len(every)


def test_all_hazard_categories_lists_each_group_before_its_sub_categories():
    order = [item.key for item in all_hazard_categories()]
    expected = []
    for group in hazard_categories():
        expected.append(group.key)
        expected.extend(sub.key for sub in group.subcategories)
    assert order == expected


def test_a_group_and_a_sub_category_are_found_by_key():
    assert hazard_category("information").title() == "Information hazards"
    use_error = hazard_category("operational.use_error")
    assert use_error in hazard_category("operational").subcategories
    assert any("Slip" in example.en for example in use_error.examples)
    assert any("Lapse" in example.en for example in use_error.examples)
    assert any("Mistake" in example.en for example in use_error.examples)


@pytest.mark.parametrize("key", ["energy.laser", "Energy", "energy.", "", "electrical", ["x"]])
def test_an_unknown_hazard_category_raises_key_error_naming_it(key):
    with pytest.raises(KeyError) as caught:
        hazard_category(key)
    message = str(caught.value)
    assert repr(key) in message and "energy.electrical" in message


def test_the_catalogue_is_read_once_and_frozen():
    assert hazard_categories() is hazard_categories()
    assert hazard_category("energy.thermal") is hazard_category("energy.thermal")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hazard_category("energy").title_en = "Power"  # type: ignore[misc]


# --- Checks on load: hazards --------------------------------------------------------------------


def hazard_data():
    return copy.deepcopy(_read("hazards.toml"))


def test_the_shipped_hazard_file_parses_to_the_catalogue():
    assert parse_hazard_categories(hazard_data()) == hazard_categories()


def _first_category(data):
    return data["group"][0]["category"][0]


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda d: d["group"][1].update(key="energy"), "duplicate key 'energy'"),
        (
            lambda d: d["group"][0]["category"][1].update(key="energy.electrical"),
            "duplicate key 'energy.electrical'",
        ),
        (lambda d: _first_category(d).update(title_nb=""), "title_nb is missing or empty"),
        (lambda d: _first_category(d).pop("description_en"), "description_en is missing"),
        (lambda d: d["group"][0].update(title_en="  "), "title_en is missing or empty"),
        (lambda d: _first_category(d).update(key="thermal.electrical"), "must be 'energy'"),
        (lambda d: _first_category(d).update(key="energy.Electrical"), "must be 'energy'"),
        (lambda d: _first_category(d).update(key="energy"), "must be 'energy'"),
        (lambda d: d["group"][0].update(key="Energy"), "must be a lower-case name"),
        (lambda d: _first_category(d).update(clause="C.2"), "unknown field 'clause'"),
        (lambda d: _first_category(d).update(examples=[]), "examples is missing or empty"),
        (
            lambda d: _first_category(d)["examples"].append({"en": "Spark"}),
            "expected a table with en and nb",
        ),
        (
            lambda d: _first_category(d)["examples"].append({"en": "Spark", "nb": ""}),
            "en and nb must both be non-empty",
        ),
        (lambda d: d["group"][0].update(category=[]), "has no category"),
        (lambda d: d["group"][0].update(category="electrical"), "category must be a list"),
        (lambda d: d.update(group=[]), "the file has no group"),
        (lambda d: d["group"].append("energy"), "expected a table"),
    ],
)
def test_a_broken_hazard_file_is_refused_naming_entry_and_field(break_it, message):
    data = hazard_data()
    break_it(data)
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_hazard_categories(data)


def test_the_error_names_where_the_entry_is():
    data = hazard_data()
    data["group"][2]["category"][1]["title_en"] = ""
    key = data["group"][2]["category"][1]["key"]
    with pytest.raises(CatalogueError) as caught:
        parse_hazard_categories(data)
    assert "group[2]" in str(caught.value) and f"category[1] ({key})" in str(caught.value)


# --- Safety-characteristic topics ---------------------------------------------------------------


def test_there_are_34_topics_in_sequence_with_stable_keys():
    topics = safety_topics()
    assert len(topics) == 34
    assert [topic.sequence for topic in topics] == list(range(1, 35))
    assert [topic.position for topic in topics] == [(n,) for n in range(1, 35)]
    keys = [topic.key for topic in topics]
    assert len(set(keys)) == 34
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in keys)
    assert {"intended_use", "implanted", "software", "alarms", "portable"} <= set(keys)
    assert topics[0].key == "intended_use" and topics[1].key == "implanted"
    assert topics[-1].key == "essential_performance"


def test_no_topic_carries_a_clause_number():
    fields = {field.name for field in dataclasses.fields(safety_topic("implanted"))}
    assert not {"clause", "number", "reference"} & fields
    for topic in all_safety_topics():
        assert not re.search(r"\bA\.\d", topic.title_en + topic.question_en), topic.key


def test_the_usability_topic_has_eight_keyed_sub_questions():
    usability = safety_topic("usability")
    assert usability.sequence == 29 and usability.parent == ""
    subs = usability.subtopics
    assert len(subs) == 8
    assert [sub.sequence for sub in subs] == list(range(1, 9))
    assert [sub.position for sub in subs] == [(29, n) for n in range(1, 9)]
    assert all(sub.key.startswith("usability.") and sub.parent == "usability" for sub in subs)
    assert safety_topic("usability.control_interface") in subs
    assert {sub.key for sub in subs} >= {
        "usability.distracting_environment",
        "usability.connections",
        "usability.menu_control",
        "usability.special_needs",
    }
    others = [topic for topic in safety_topics() if topic.key != "usability"]
    assert not any(topic.subtopics for topic in others)


def test_all_safety_topics_is_the_whole_questionnaire_in_order():
    every = all_safety_topics()
    assert len(every) == 34 + 8
    assert [item.position for item in every] == sorted(item.position for item in every)
    assert len({item.key for item in every}) == len(every)


def test_every_question_is_there_in_both_languages():
    for topic in all_safety_topics():
        texts = texts_of(topic, ("title_en", "title_nb", "question_en", "question_nb"))
        assert all(TEXT.search(text) for text in texts), topic.key
        assert "?" in topic.question_en and "?" in topic.question_nb, topic.key
        assert topic.question("nb") == topic.question_nb != topic.question_en
        assert topic.title("nb-NO") == topic.title_nb


def test_the_hazard_categories_a_topic_raises_resolve():
    raising = [topic for topic in all_safety_topics() if topic.hazard_categories]
    assert len(raising) == len(all_safety_topics())
    for topic in raising:
        for key in topic.hazard_categories:
            assert hazard_category(key).key == key
    assert "operational.incorrect_measurement" in safety_topic("measurements").hazard_categories
    assert "information.security" in safety_topic("software").hazard_categories


@pytest.mark.parametrize("key", ["Implanted", "29", "usability.fonts", "", None])
def test_an_unknown_topic_raises_key_error_naming_it(key):
    with pytest.raises(KeyError) as caught:
        safety_topic(key)
    assert repr(key) in str(caught.value) and "usability.control_interface" in str(caught.value)


def test_the_topics_are_read_once_and_frozen():
    assert safety_topics() is safety_topics()
    with pytest.raises(dataclasses.FrozenInstanceError):
        safety_topic("implanted").sequence = 3  # type: ignore[misc]


# --- Checks on load: topics --------------------------------------------------------------------


def topic_data():
    return copy.deepcopy(_read("safety_topics.toml"))


def known_keys():
    return {item.key for item in all_hazard_categories()}


def _usability(data):
    return next(row for row in data["topic"] if row["key"] == "usability")


def test_the_shipped_topic_file_parses_to_the_catalogue():
    assert parse_safety_topics(topic_data(), hazard_keys=known_keys()) == safety_topics()


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda d: d["topic"][1].update(key="intended_use"), "duplicate key 'intended_use'"),
        (
            lambda d: _usability(d)["subtopic"][1].update(key="usability.ui_design"),
            "duplicate key 'usability.ui_design'",
        ),
        (lambda d: d["topic"][0].update(question_nb=""), "question_nb is missing or empty"),
        (lambda d: d["topic"][3].pop("title_en"), "title_en is missing or empty"),
        (lambda d: d["topic"][2].update(sequence=4), "sequence must be 3"),
        (lambda d: d["topic"][2].update(sequence="3"), "sequence must be 3"),
        (lambda d: d["topic"][2].pop("sequence"), "sequence must be 3"),
        (lambda d: _usability(d)["subtopic"][0].update(sequence=2), "sequence must be 1"),
        (
            lambda d: d["topic"][0].update(hazard_categories=["energy.laser"]),
            "hazard category 'energy.laser' is not in the catalogue",
        ),
        (
            lambda d: d["topic"][0].update(hazard_categories="energy.thermal"),
            "hazard_categories must be a list",
        ),
        (lambda d: d["topic"][0].update(clause="A.2.1"), "unknown field 'clause'"),
        (
            lambda d: _usability(d)["subtopic"][0].update(key="ui.design"),
            "must be 'usability'",
        ),
        (
            lambda d: _usability(d)["subtopic"][0].update(subtopic=[]),
            "unknown field 'subtopic'",
        ),
        (lambda d: d["topic"][0].update(key="intended-use"), "must be a lower-case name"),
        (lambda d: d.update(topic=[]), "the file has no topic"),
    ],
)
def test_a_broken_topic_file_is_refused_naming_entry_and_field(break_it, message):
    data = topic_data()
    break_it(data)
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_safety_topics(data, hazard_keys=known_keys())


def test_topics_are_checked_against_the_hazard_catalogue_they_are_given():
    data = topic_data()
    with pytest.raises(CatalogueError, match="is not in the catalogue"):
        parse_safety_topics(data, hazard_keys={"energy.thermal"})


def test_a_topic_built_by_hand_is_placed_by_its_sequence():
    topic = dataclasses.replace(safety_topic("alarms"), position=())
    assert topic.position == (30,)
