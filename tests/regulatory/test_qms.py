"""ISO 13485:2016 clause catalogue, MDR Art. 10(9) QMS aspects, retention and the coverage map
(pure Python, no database)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samsvar.regulatory import obligations, qms

CLAUSES = qms.iso13485_clauses()
NUMBERS = [c.number for c in CLAUSES]
LEAVES = [c.number for c in CLAUSES if not qms.sub_clauses(c.number)]
ASPECTS = [a.key for a in qms.art10_9_items()]


def _key(number):
    return tuple(int(part) for part in number.split("."))


# --- the catalogue -----------------------------------------------------------------------------


def test_the_catalogue_runs_from_clause_4_to_8_in_order_without_duplicates():
    assert NUMBERS[0] == "4"
    assert NUMBERS[-1] == "8.5.3"
    assert sorted(NUMBERS, key=_key) == NUMBERS
    assert len(NUMBERS) == len(set(NUMBERS))
    assert [c.number for c in CLAUSES if c.level == 1] == ["4", "5", "6", "7", "8"]


def test_levels_and_parents_follow_the_numbers():
    known = set(NUMBERS)
    for c in CLAUSES:
        assert c.level == len(c.number.split("."))
        if c.level == 1:
            assert c.parent == ""
        else:
            assert c.parent == c.number.rsplit(".", 1)[0]
            assert c.parent in known


@pytest.mark.parametrize(
    ("number", "title"),
    [
        ("4.2.3", "Medical device file"),
        ("4.2.4", "Control of documents"),
        ("4.2.5", "Control of records"),
        ("5.6", "Management review"),
        ("6.2", "Human resources"),
        ("6.4.2", "Contamination control"),
        ("7.3.9", "Control of design and development changes"),
        ("7.3.10", "Design and development files"),
        ("7.5.9.2", "Particular requirements for implantable medical devices"),
        ("7.5.11", "Preservation of product"),
        ("7.6", "Control of monitoring and measuring equipment"),
        ("8.2.2", "Complaint handling"),
        ("8.2.3", "Reporting to regulatory authorities"),
        ("8.3.3", "Actions in response to nonconforming product detected after delivery"),
        ("8.5.2", "Corrective action"),
    ],
)
def test_clauses_of_the_standard_are_there_with_their_titles(number, title):
    assert qms.clause(number).title_en == title


@pytest.mark.parametrize(
    ("parent", "children"),
    [
        ("4.2", ["4.2.1", "4.2.2", "4.2.3", "4.2.4", "4.2.5"]),
        ("7.3", [f"7.3.{n}" for n in range(1, 11)]),
        ("7.5", [f"7.5.{n}" for n in range(1, 12)]),
        ("7.5.9", ["7.5.9.1", "7.5.9.2"]),
        ("8.2", [f"8.2.{n}" for n in range(1, 7)]),
        ("8.4", []),
    ],
)
def test_sub_clauses(parent, children):
    assert [c.number for c in qms.sub_clauses(parent)] == children


def test_every_clause_has_an_english_and_a_norwegian_title():
    for c in CLAUSES:
        assert c.title_en.strip() and c.title_nb.strip()
        assert c.title("nb") == c.title_nb
        assert c.title("en-gb") == c.title_en
        assert c.citation == f"ISO 13485:2016 {c.number}"
    differing = [c for c in CLAUSES if c.title_en != c.title_nb]
    assert len(differing) > 0.9 * len(CLAUSES)


def test_an_unknown_clause_is_a_key_error():
    with pytest.raises(KeyError):
        qms.clause("4.2.6")
    with pytest.raises(KeyError):
        qms.clause("Art. 15")


def test_clause_accepts_the_usual_spellings():
    assert qms.clause("ISO 13485:2016 4.2.4").number == "4.2.4"
    assert qms.clause("iso13485:7.3.10").number == "7.3.10"
    assert qms.clause(" 8.2.2. ").number == "8.2.2"


# --- MDR Art. 10(9) ----------------------------------------------------------------------------


def test_article_10_9_has_the_thirteen_aspects_a_to_m():
    items = qms.art10_9_items()
    assert [i.letter for i in items] == list("abcdefghijklm")
    assert [i.key for i in items] == [f"mdr:10(9)({letter})" for letter in "abcdefghijklm"]
    for item in items:
        assert item.citation == f"MDR Art. 10(9)({item.letter})"
        assert item.title_en and item.title_nb and item.title_en != item.title_nb


def test_article_10_9_is_read_from_the_article_10_catalogue():
    catalogue = obligations.by_key("mdr")
    for item in qms.art10_9_items():
        source = catalogue[f"mdr-10-9-{item.letter}"]
        assert (item.title_en, item.title_nb) == (source.title_en, source.title_nb)


# --- retention ---------------------------------------------------------------------------------


def test_retention_is_10_years_and_15_for_implantables_under_the_mdr():
    assert qms.retention_years(implantable=False) == 10
    assert qms.retention_years(implantable=True) == 15


def test_the_ivdr_has_no_15_year_rule():
    assert qms.retention_years(implantable=True, regime="ivdr") == 10


def test_an_unknown_regime_is_refused():
    with pytest.raises(ValueError, match="regime"):
        qms.retention_years(implantable=False, regime="fda")


def test_retention_end():
    assert qms.retention_end(dt.date(2025, 6, 30), implantable=False) == dt.date(2035, 6, 30)
    assert qms.retention_end(dt.date(2025, 6, 30), implantable=True) == dt.date(2040, 6, 30)
    assert qms.retention_end(dt.date(2024, 2, 29), implantable=False) == dt.date(2034, 2, 28)


# --- references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "key"),
    [
        ("4.2.4", "4.2.4"),
        ("ISO 13485:2016 4.2.4", "4.2.4"),
        ("ISO 13485 clause 7.3", "7.3"),
        ("iso13485:8.2.2", "8.2.2"),
        ("mdr:10(9)(a)", "mdr:10(9)(a)"),
        ("MDR Art. 10(9)(m)", "mdr:10(9)(m)"),
        ("mdr-10-9-e", "mdr:10(9)(e)"),
        ("MDR:10 (9) (c)", "mdr:10(9)(c)"),
        ("mdr:10(9)", None),
        ("mdr:10(8)", None),
        ("ivdr:10(8)(a)", None),
        ("Art. 15", None),
        ("", None),
    ],
)
def test_normalise_reference(reference, key):
    assert qms.normalise_reference(reference) == key


# --- coverage ----------------------------------------------------------------------------------


def test_a_direct_citation_covers_the_clause_and_names_the_document():
    report = qms.coverage({"SOP-004": ["4.2.4"], "SOP-005": ["ISO 13485:2016 4.2.4"]})
    row = report.row("4.2.4")
    assert row.status == qms.DIRECT
    assert row.direct == ("SOP-004", "SOP-005")
    assert "4.2.4" not in report.gaps


def test_a_heading_is_covered_when_all_its_sub_clauses_are():
    subs = ["4.2.1", "4.2.2", "4.2.3", "4.2.4"]
    report = qms.coverage({"QM-001": subs})
    assert report.row("4.2").status == qms.GAP
    assert "4.2" in report.gaps
    assert "4.2.5" in report.gaps

    report = qms.coverage({"QM-001": subs, "SOP-002": ["4.2.5"]})
    assert report.row("4.2").status == qms.SUB_CLAUSES
    assert report.row("4.2").direct == ()
    assert report.row("4.2").documents == ("QM-001", "SOP-002")
    assert report.row("4").status == qms.GAP  # 4.1 is still open
    report = qms.coverage({"QM-001": [*subs, "4.1"], "SOP-002": ["4.2.5"]})
    assert report.row("4").status == qms.SUB_CLAUSES


def test_citing_a_heading_does_not_cover_its_sub_clauses():
    report = qms.coverage({"QM-001": ["7.3"]})
    assert report.row("7.3").status == qms.DIRECT
    assert all(f"7.3.{n}" in report.gaps for n in range(1, 11))
    assert report.row("7").status == qms.GAP


def test_unknown_clause_numbers_are_reported_per_document_and_other_references_ignored():
    report = qms.coverage({"SOP-001": ["4.2.6", "Art. 15", "mdr:10(8)", "4.2.4"], "SOP-002": []})
    assert report.unknown == {"SOP-001": ("4.2.6",)}
    assert report.row("4.2.4").documents == ("SOP-001",)


def test_article_10_9_aspects_are_mapped_too():
    report = qms.coverage({"SOP-010": ["mdr:10(9)(k)", "8.2.3"], "QM-001": ["mdr-10-9-c"]})
    assert report.row("mdr:10(9)(k)").documents == ("SOP-010",)
    assert report.row("MDR Art. 10(9)(c)").documents == ("QM-001",)
    assert set(report.mdr_gaps) == set(ASPECTS) - {"mdr:10(9)(k)", "mdr:10(9)(c)"}
    assert report.mdr_covered_count == 2


def test_nothing_cited_means_everything_is_a_gap():
    report = qms.coverage({})
    assert report.gaps == tuple(NUMBERS)
    assert report.mdr_gaps == tuple(ASPECTS)
    assert report.covered_count == 0


def test_citing_every_leaf_covers_everything():
    report = qms.coverage({"QM-001": LEAVES})
    assert report.gaps == ()
    assert report.covered_count == len(NUMBERS)
    headings = [row for row in report.clauses if qms.sub_clauses(row.key)]
    assert all(row.status == qms.SUB_CLAUSES for row in headings)


citations = st.dictionaries(
    keys=st.from_regex(r"SOP-0[0-9]{2}", fullmatch=True),
    values=st.lists(st.sampled_from(NUMBERS + ASPECTS), max_size=12),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(citations)
def test_coverage_rule_holds_for_any_citations(doc_clauses):
    report = qms.coverage(doc_clauses)
    rows = {row.key: row for row in report.clauses}
    cited = {}
    for document, references in doc_clauses.items():
        for reference in references:
            cited.setdefault(reference, set()).add(document)
    for number, row in rows.items():
        kids = [c.number for c in qms.sub_clauses(number)]
        assert set(row.direct) == cited.get(number, set())
        expected = bool(cited.get(number)) or (bool(kids) and all(rows[k].covered for k in kids))
        assert row.covered == expected
        for kid in kids:
            assert set(rows[kid].documents) <= set(row.documents)
    assert set(report.gaps) == {k for k, row in rows.items() if not row.covered}
    for key in ASPECTS:
        assert report.row(key).covered == bool(cited.get(key))


@settings(max_examples=100, deadline=None)
@given(citations, st.from_regex(r"WI-0[0-9]{2}", fullmatch=True), st.sampled_from(NUMBERS))
def test_adding_a_citation_never_uncovers_anything(doc_clauses, document, number):
    before = qms.coverage(doc_clauses)
    after = qms.coverage({**doc_clauses, document: [number]})
    assert set(after.gaps) <= set(before.gaps)
    assert number not in after.gaps


@settings(max_examples=60, deadline=None)
@given(citations)
def test_coverage_does_not_depend_on_the_order_of_documents(doc_clauses):
    forward = qms.coverage(doc_clauses)
    backward = qms.coverage(dict(reversed(list(doc_clauses.items()))))
    assert forward == backward
