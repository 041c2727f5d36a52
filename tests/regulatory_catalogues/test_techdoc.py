"""Annex II/III technical documentation structure and Annex IV DoC content (pure Python)."""

import pytest

from samsvar.regulatory import techdoc


@pytest.mark.parametrize("regime", techdoc.REGIMES)
def test_sections_load_with_unique_keys_parents_and_both_languages(regime):
    sections = techdoc.sections(regime)
    keys = [s.key for s in sections]
    assert len(keys) == len(set(keys))
    known = {(s.annex, s.number) for s in sections}
    for s in sections:
        assert s.title_en.strip() and s.title_nb.strip()
        assert s.annex in ("II", "III")
        if s.parent:
            assert (s.annex, s.parent) in known, s.key
        assert s.citation == f"{regime.upper()} Annex {s.annex} Section {s.number}"


def test_mdr_annex_ii_and_iii_have_the_expected_sections():
    numbers = {(s.annex, s.number) for s in techdoc.sections("mdr")}
    for number in ("1.1", "1.2", "2", "3", "4", "5", "6.1", "6.2", "1.1(b)", "6.2(g)"):
        assert ("II", number) in numbers
    assert ("III", "1.1") in numbers and ("III", "1.2") in numbers


def test_ivdr_annex_ii_and_iii_have_the_expected_sections():
    numbers = {(s.annex, s.number) for s in techdoc.sections("ivdr")}
    for number in ("1.1", "1.2", "3.1", "3.2", "4", "5", "6.1.1", "6.1.2.6", "6.2", "6.3.3",
                   "6.4", "6.5(d)"):  # fmt: skip
        assert ("II", number) in numbers
    assert ("III", "1") in numbers and ("III", "2") in numbers


@pytest.mark.parametrize("regime", techdoc.REGIMES)
def test_doc_items_cover_annex_iv_points_1_to_10_in_order(regime):
    items = techdoc.doc_items(regime)
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys))
    points = [int(i.point) for i in items]
    assert points == sorted(points)
    assert set(points) == set(range(1, 11))
    for item in items:
        assert item.required in techdoc.REQUIRED
        assert item.title_en.strip() and item.title_nb.strip()
        assert item.citation == f"{regime.upper()} Annex IV point {item.point}"


def test_the_mdr_doc_has_the_required_items():
    items = {i.key: i for i in techdoc.doc_items("mdr")}
    for key in (
        "manufacturer-name",
        "manufacturer-srn",
        "manufacturer-address",
        "sole-responsibility",
        "basic-udi-di",
        "product-name",
        "intended-purpose",
        "risk-class",
        "conformity-statement",
        "common-specifications",
        "notified-body",
        "procedure",
        "certificates",
        "additional-information",
        "place-date",
        "signatory",
        "signature",
    ):
        assert f"mdr-doc-{key}" in items
    assert items["mdr-doc-basic-udi-di"].required == "always"
    assert items["mdr-doc-notified-body"].required == "if_applicable"
    assert items["mdr-doc-harmonised-standards"].required == "optional"
    assert "Art. 31" in items["mdr-doc-manufacturer-srn"].title_en


def test_the_ivdr_doc_refers_to_article_28_for_the_srn():
    items = {i.key: i for i in techdoc.doc_items("ivdr")}
    assert "Art. 28" in items["ivdr-doc-manufacturer-srn"].title_en


def test_unknown_regime_is_refused():
    with pytest.raises(ValueError):
        techdoc.sections("ivdd")
    with pytest.raises(ValueError):
        techdoc.doc_items("ivdd")
