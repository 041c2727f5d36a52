"""MDR/IVDR Annex I GSPR catalogue and checklist completeness (pure Python)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samsvar.regulatory import gspr
from samsvar.regulatory.gspr import ChecklistEntry, completeness


@pytest.mark.parametrize("regime", gspr.REGIMES)
def test_the_catalogue_loads_with_unique_numbers_and_both_languages(regime):
    items = gspr.catalogue(regime)
    numbers = [r.number for r in items]
    assert len(numbers) == len(set(numbers))
    keys = [r.key for r in items]
    assert len(keys) == len(set(keys))
    for r in items:
        assert r.title_en.strip() and r.title_nb.strip()
        assert r.citation == f"{regime.upper()} Annex I Section {r.number}"


@pytest.mark.parametrize("regime", gspr.REGIMES)
def test_every_parent_exists_and_sections_are_in_their_chapter(regime):
    items = gspr.by_number(regime)
    chapters = {c.number: c for c in gspr.chapters(regime)}
    for r in items.values():
        if r.parent:
            assert r.parent in items, r.number
        chapter = chapters[r.chapter]
        assert chapter.first <= r.section <= chapter.last


@pytest.mark.parametrize(
    "number",
    [
        "1", "3(a)", "3(f)", "4(c)", "9", "10.1(a)", "10.1(h)", "10.4.1", "10.4.1(b)", "10.4.5",
        "10.6", "11.8", "12.2", "13.2(c)", "14.2(a)", "14.2(g)", "14.7", "15.2", "16.4(d)",
        "17.1", "17.2", "17.3", "17.4", "18.8", "19.4", "20.6", "21.3", "22.3",
        "23.1", "23.2", "23.3", "23.4", "23.1(h)", "23.2(s)", "23.3(j)", "23.4(ab)",
    ],
)  # fmt: skip
def test_mdr_annex_i_has_the_checklist_points(number):
    assert number in gspr.by_number("mdr")


@pytest.mark.parametrize(
    "number",
    [
        "1", "8", "9.1(a)", "9.1(b)", "9.4(b)", "10.3", "11.1(c)", "12", "13.2(f)", "13.7",
        "14.1", "15.2(b)", "16.4", "17.5", "18.8", "19.1", "19.3(b)",
        "20.1(j)", "20.2(u)", "20.3(h)", "20.4.1(a)", "20.4.1(ah)", "20.4.2(g)",
    ],
)  # fmt: skip
def test_ivdr_annex_i_has_the_checklist_points(number):
    assert number in gspr.by_number("ivdr")


def test_chapters_follow_the_annex():
    mdr, ivdr = gspr.by_number("mdr"), gspr.by_number("ivdr")
    assert (mdr["9"].chapter, mdr["10"].chapter, mdr["23.4"].chapter) == ("I", "II", "III")
    assert (ivdr["8"].chapter, ivdr["9"].chapter, ivdr["20.4.1"].chapter) == ("I", "II", "III")
    assert "9" not in {r.number for r in gspr.catalogue("ivdr") if r.chapter == "I"}
    assert "24" not in mdr and "21" not in ivdr


def test_headings_are_not_assessable():
    numbers = {r.number for r in gspr.assessable("mdr")}
    assert "10" not in numbers and "10.4" not in numbers and "16.1" not in numbers
    assert "10.1" in numbers and "16.1(a)" in numbers


def test_parent_and_section_of_a_number():
    assert gspr.parent_of("10.4.1(a)") == "10.4.1"
    assert gspr.parent_of("10.4.1") == "10.4"
    assert gspr.parent_of("23") == ""
    assert gspr.section_of("20.4.1(ah)") == 20


def test_unknown_regime_is_refused():
    with pytest.raises(ValueError):
        gspr.catalogue("aimdd")


# --- completeness --------------------------------------------------------------------------------


def test_completeness_counts_each_state():
    entries = [
        ChecklistEntry(number="1", applicable=True, methods=("ISO 14971",), evidence=("RMF-1",)),
        ChecklistEntry(number="2", applicable=True, methods=("analysis",)),
        ChecklistEntry(number="3", applicable=True, evidence=("RMF-1",)),
        ChecklistEntry(number="4", applicable=True),
        ChecklistEntry(number="9", applicable=False, justification="Not an Annex XVI product."),
        ChecklistEntry(number="12.1", applicable=False, justification="   "),
        ChecklistEntry(number="12.2", applicable=False),
        ChecklistEntry(number="13.1"),
    ]
    assert completeness(entries) == {
        "total": 8,
        "applicable": 4,
        "not_applicable": 3,
        "undecided": 1,
        "not_applicable_justified": 1,
        "missing_justification": 2,
        "missing_method": 2,
        "missing_evidence": 2,
        "complete": 2,
    }


def test_completeness_against_the_catalogue_counts_what_is_not_assessed():
    entries = [
        {"number": "1", "applicable": True, "methods": ["x"], "evidence": ["y"]},
        {"number": "10", "applicable": False, "justification": "heading"},
        {"number": "99.9", "applicable": False, "justification": "typo"},
    ]
    counts = completeness(entries, regime="mdr")
    assert counts["not_assessed"] == len(gspr.assessable("mdr")) - 1
    assert counts["unknown"] == 2  # a heading and a number that does not exist


def test_empty_strings_do_not_count_as_method_or_evidence():
    counts = completeness(
        [ChecklistEntry(number="1", applicable=True, methods=("",), evidence=(" ",))]
    )
    assert counts["missing_method"] == 1 and counts["missing_evidence"] == 1
    assert counts["complete"] == 0


entry = st.builds(
    ChecklistEntry,
    number=st.sampled_from([r.number for r in gspr.assessable("ivdr")]),
    applicable=st.none() | st.booleans(),
    justification=st.sampled_from(["", "reason"]),
    methods=st.lists(st.sampled_from(["", "test"]), max_size=2).map(tuple),
    evidence=st.lists(st.sampled_from(["", "doc"]), max_size=2).map(tuple),
)


@given(st.lists(entry, max_size=30))
def test_completeness_counts_add_up(entries):
    c = completeness(entries, regime="ivdr")
    assert c["total"] == len(entries)
    assert c["applicable"] + c["not_applicable"] + c["undecided"] == c["total"]
    assert c["not_applicable_justified"] + c["missing_justification"] == c["not_applicable"]
    assert c["complete"] <= c["applicable"] + c["not_applicable_justified"]
    assert c["missing_method"] <= c["applicable"] and c["missing_evidence"] <= c["applicable"]
    assert c["unknown"] == 0
    assert 0 <= c["not_assessed"] <= len(gspr.assessable("ivdr"))
