"""Harmonised standards register seed, common specifications and edition warnings."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samsvar.regulatory import standards
from samsvar.regulatory.standards import AppliedEdition, Standard, edition_warnings

REQUIRED_NUMBERS = [
    "EN ISO 13485",
    "EN ISO 14971",
    "EN ISO 15223-1",
    "EN ISO 20417",
    "EN 62304",
    "EN 62366-1",
    "EN ISO 10993-1",
    "EN ISO 10993-5",
    "EN ISO 10993-10",
    "EN ISO 10993-23",
    "EN 60601-1",
    "EN 60601-1-2",
    "EN 60601-1-6",
    "EN 60601-1-8",
    "EN 60601-1-11",
    "EN ISO 11135",
    "EN ISO 11137-1",
    "EN ISO 11607-1",
    "EN ISO 11607-2",
    "EN ISO 17664-1",
    "EN 13612",
    "EN ISO 18113-1",
    "EN ISO 18113-2",
    "EN ISO 18113-3",
    "EN ISO 18113-4",
    "EN ISO 18113-5",
    "EN ISO 15197",
    "EN ISO 23640",
]


def test_the_register_loads_with_unique_keys_and_labels():
    items = standards.catalogue()
    assert len({s.key for s in items}) == len(items)
    assert len({s.label for s in items}) == len(items)
    for s in items:
        assert s.title_en.strip() and s.topic_nb.strip()
        assert s.harmonised in standards.HARMONISED
        assert s.status in standards.STATUSES
        assert 1990 < s.year < 2100


@pytest.mark.parametrize("number", REQUIRED_NUMBERS)
def test_the_register_has_the_seed_standards(number):
    assert number in {s.number for s in standards.catalogue()}


def test_superseded_editions_point_at_a_newer_edition_of_the_register():
    by_key = {s.key: s for s in standards.catalogue()}
    for s in standards.catalogue():
        if s.status == "superseded":
            newer = by_key[s.superseded_by]
            assert newer.status == "current"
            assert newer.year >= s.year
        else:
            assert s.superseded_by == ""


def test_confirmed_harmonised_editions_name_their_decision():
    for s in standards.catalogue():
        if s.confirmed and s.harmonised_under("mdr") and s.status == "current":
            assert s.decision_mdr.startswith("(EU) "), s.key
        if s.confirmed and s.harmonised_under("ivdr") and s.status == "current":
            assert s.decision_ivdr.startswith("(EU) "), s.key
        if s.harmonised == "unknown":
            assert not s.confirmed and not s.decision_mdr and not s.decision_ivdr, s.key


def test_iso_14971_and_13485_are_harmonised_under_both_regulations():
    by_key = {s.key: s for s in standards.catalogue()}
    rm = by_key["en-iso-14971-2019"]
    assert rm.label == "EN ISO 14971:2019+A11:2021"
    assert (rm.decision_mdr, rm.decision_ivdr) == ("(EU) 2022/757", "(EU) 2022/729")
    qms = by_key["en-iso-13485-2016"]
    assert qms.harmonised == "both" and qms.decision_mdr == "(EU) 2022/6"
    assert by_key["en-iso-11135-2014"].decision_ivdr == "(EU) 2021/1195"
    assert by_key["en-iso-10993-23-2021"].harmonised == "mdr"


def test_harmonised_lists_only_current_editions_of_the_regime():
    mdr = standards.harmonised("mdr")
    assert all(s.status == "current" and s.harmonised in ("mdr", "both") for s in mdr)
    assert "en-iso-17511-2021" not in {s.key for s in mdr}
    assert "en-iso-17511-2021" in {s.key for s in standards.harmonised("ivdr")}


def test_common_specifications_are_listed():
    specs = {c.reference: c for c in standards.common_specifications()}
    assert specs["Commission Implementing Regulation (EU) 2022/2346"].regime == "mdr"
    assert specs["Commission Implementing Regulation (EU) 2022/1107"].regime == "ivdr"
    assert specs["Commission Implementing Regulation (EU) 2020/1207"].regime == "mdr"
    for c in specs.values():
        assert c.title_en.strip() and c.topic_nb.strip()


# --- edition_warnings ----------------------------------------------------------------------------

TODAY = date(2026, 11, 26)


def std(key, number, year, *, amendments=(), status="current", superseded_by="", end=None):
    return Standard(
        key=key,
        number=number,
        year=year,
        amendments=tuple(amendments),
        identical_to="",
        title_en="Title",
        topic_nb="Emne",
        harmonised="both",
        decision_mdr="",
        decision_ivdr="",
        status=status,
        superseded_by=superseded_by,
        transition_end=end,
        confirmed=True,
    )


def register(end_of_old):
    return [
        std("new", "EN ISO 99999", 2024, amendments=("AC:2024", "A11:2025")),
        std("old", "EN ISO 99999", 2018, status="superseded", superseded_by="new", end=end_of_old),
    ]


def kinds(warnings):
    return [w.kind for w in warnings]


def test_a_current_edition_with_its_amendments_is_fine():
    applied = [AppliedEdition("EN ISO 99999", 2024, ("A11:2025",))]
    assert edition_warnings(applied, TODAY, register=register(None)) == []


def test_a_superseded_edition_is_reported_with_its_replacement():
    warnings = edition_warnings(
        [AppliedEdition("EN ISO 99999", 2018)], TODAY, register=register(None)
    )
    assert kinds(warnings) == [standards.SUPERSEDED]
    assert warnings[0].replacement == "EN ISO 99999:2024+AC:2024+A11:2025"
    assert "superseded" in warnings[0].message_en and "erstattet" in warnings[0].message_nb


def test_an_ended_transition_is_an_error():
    warnings = edition_warnings(
        [AppliedEdition("EN ISO 99999", 2018)], TODAY, register=register(date(2026, 1, 1))
    )
    assert kinds(warnings) == [standards.SUPERSEDED, standards.TRANSITION_ENDED]
    ended = warnings[1]
    assert ended.severity == "error" and ended.days_left < 0
    assert ended.transition_end == date(2026, 1, 1)


@pytest.mark.parametrize(("days", "warned"), [(0, True), (1, True), (180, True), (181, False)])
def test_a_transition_ending_within_180_days_is_a_warning(days, warned):
    end = TODAY + timedelta(days=days)
    warnings = edition_warnings(
        [AppliedEdition("EN ISO 99999", 2018)], TODAY, register=register(end)
    )
    assert (standards.TRANSITION_ENDING in kinds(warnings)) is warned
    if warned:
        assert warnings[-1].days_left == days


def test_a_missing_amendment_is_reported_but_a_missing_corrigendum_is_not():
    warnings = edition_warnings(
        [AppliedEdition("EN ISO 99999", 2024)], TODAY, register=register(None)
    )
    assert kinds(warnings) == [standards.AMENDMENT_MISSING]
    assert warnings[0].message_en.startswith("EN ISO 99999:2024 lacks A11:2025;")


def test_editions_outside_the_register_are_reported():
    warnings = edition_warnings(
        [
            AppliedEdition("EN ISO 99999", 2010),
            AppliedEdition("EN ISO 99999", 2030),
            AppliedEdition("EN 12345", 2020),
        ],
        TODAY,
        register=register(None),
    )
    assert kinds(warnings) == [
        standards.OLDER_THAN_CATALOGUE,
        standards.NEWER_THAN_CATALOGUE,
        standards.UNKNOWN_STANDARD,
    ]
    assert warnings[0].replacement == "EN ISO 99999:2024+AC:2024+A11:2025"


def test_numbers_match_regardless_of_case_and_spacing():
    applied = [AppliedEdition("en iso  99999", 2024, ("A11:2025",))]
    assert edition_warnings(applied, TODAY, register=register(None)) == []


def test_the_built_in_register_flags_iso_13485_2012():
    warnings = edition_warnings([AppliedEdition.parse("EN ISO 13485:2012")], TODAY)
    assert kinds(warnings) == [standards.SUPERSEDED, standards.TRANSITION_ENDED]
    assert warnings[0].replacement == "EN ISO 13485:2016+AC:2018+A11:2021"
    assert warnings[0].confirmed is False  # the 2019 date is unconfirmed data


def test_the_built_in_register_wants_a11_on_iso_14971():
    warnings = edition_warnings([AppliedEdition.parse("EN ISO 14971:2019")], TODAY)
    assert kinds(warnings) == [standards.AMENDMENT_MISSING]
    assert edition_warnings([AppliedEdition.parse("EN ISO 14971:2019+A11:2021")], TODAY) == []


@pytest.mark.parametrize(
    ("label", "parsed"),
    [
        ("EN ISO 14971:2019+A11:2021", ("EN ISO 14971", 2019, ("A11:2021",))),
        ("EN 60601-1:2006/A2:2021", ("EN 60601-1", 2006, ("A2:2021",))),
        ("EN ISO 13485:2016 + AC:2018 + A11:2021", ("EN ISO 13485", 2016, ("AC:2018", "A11:2021"))),
        ("EN ISO 10993-1:2020", ("EN ISO 10993-1", 2020, ())),
    ],
)
def test_parse_reads_edition_labels(label, parsed):
    edition = AppliedEdition.parse(label)
    assert (edition.number, edition.year, edition.amendments) == parsed


def test_parse_refuses_a_label_without_a_year():
    with pytest.raises(ValueError):
        AppliedEdition.parse("EN ISO 14971")


current_editions = [
    s for s in standards.catalogue() if s.status == "current" and s.transition_end is None
]


@given(st.sampled_from(current_editions), st.dates(date(2020, 1, 1), date(2040, 1, 1)))
def test_a_current_edition_applied_as_listed_never_warns(edition, today):
    applied = AppliedEdition(edition.number, edition.year, edition.amendments)
    assert edition_warnings([applied], today) == []
