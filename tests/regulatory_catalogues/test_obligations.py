"""MDR/IVDR Article 10 and 10a catalogue (pure Python, no database)."""

import pytest

from samsvar.regulatory import obligations

QMS_LETTERS = "abcdefghijklm"


@pytest.mark.parametrize("regime", obligations.REGIMES)
def test_the_catalogue_loads_with_unique_keys_and_both_languages(regime):
    items = obligations.catalogue(regime)
    keys = [o.key for o in items]
    assert len(keys) == len(set(keys))
    assert all(key.startswith(f"{regime}-") for key in keys)
    for item in items:
        assert item.title_en.strip() and item.title_nb.strip()
        assert item.summary_en.strip() and item.summary_nb.strip()
        assert item.summary_en != item.summary_nb
        assert item.scope in obligations.SCOPES
        assert item.applies_when in obligations.APPLIES_WHEN
        assert item.citation == f"{regime.upper()} Art. {item.paragraph}"


def test_keys_are_unique_across_both_regimes():
    keys = [o.key for regime in obligations.REGIMES for o in obligations.catalogue(regime)]
    assert len(keys) == len(set(keys))


def test_mdr_has_article_10_paragraphs_1_to_16_and_10a():
    paragraphs = {o.paragraph for o in obligations.catalogue("mdr")}
    assert {f"10({n})" for n in range(1, 17)} <= paragraphs
    assert "10a" in paragraphs


def test_ivdr_has_paragraphs_1_to_15_and_10a_but_no_16():
    paragraphs = {o.paragraph for o in obligations.catalogue("ivdr")}
    assert {f"10({n})" for n in range(1, 16)} <= paragraphs
    assert "10(16)" not in paragraphs
    assert "10a" in paragraphs


@pytest.mark.parametrize(("regime", "qms"), [("mdr", "10(9)"), ("ivdr", "10(8)")])
def test_the_qms_paragraph_has_aspects_a_to_m_as_separate_items(regime, qms):
    items = obligations.by_key(regime)
    parent = next(o for o in items.values() if o.paragraph == qms)
    children = [o for o in items.values() if o.parent == parent.key]
    assert [o.paragraph for o in children] == [f"{qms}({letter})" for letter in QMS_LETTERS]
    assert parent.scope == "manufacturer"
    assert all(o.scope == "manufacturer" for o in children)


def test_every_parent_exists():
    for regime in obligations.REGIMES:
        items = obligations.by_key(regime)
        assert all(o.parent in items for o in items.values() if o.parent)


def test_technical_documentation_is_per_device_and_the_qms_manufacturer_wide():
    mdr = {o.paragraph: o for o in obligations.catalogue("mdr")}
    assert mdr["10(4)"].scope == "device"
    assert mdr["10(9)"].scope == "manufacturer"
    assert mdr["10(16)"].scope == "manufacturer"


def test_the_ivdr_numbering_is_shifted_after_paragraph_4():
    ivdr = {o.paragraph: o for o in obligations.catalogue("ivdr")}
    mdr = {o.paragraph: o for o in obligations.catalogue("mdr")}
    assert "performance evaluation" in ivdr["10(3)"].summary_en.lower()
    assert "PMPF" in ivdr["10(3)"].title_en
    assert ivdr["10(5)"].title_en == mdr["10(6)"].title_en  # DoC and CE marking
    assert "10 years" in ivdr["10(7)"].summary_en
    assert "15 years" not in ivdr["10(7)"].summary_en
    assert "15 years" in mdr["10(8)"].summary_en
    assert "Section 20" in ivdr["10(10)"].summary_en
    assert "Section 23" in mdr["10(11)"].summary_en
    assert "82 and 83" in ivdr["10(12)"].summary_en
    assert "27(1)" in ivdr["10(14)"].summary_en
    assert "Article 78" in ivdr["10(8)(i)"].summary_en


def test_custom_made_devices_get_10_5_instead_of_10_4_and_10_6():
    standard = {o.paragraph for o in obligations.for_device("mdr")}
    custom = {o.paragraph for o in obligations.for_device("mdr", custom_made=True)}
    assert {"10(4)", "10(6)"} <= standard and "10(5)" not in standard
    assert "10(5)" in custom and not {"10(4)", "10(6)"} & custom


def test_manufacturer_items_are_the_qms_systems_and_liability():
    paragraphs = {o.paragraph for o in obligations.for_manufacturer("mdr")}
    assert {"10(9)", "10(9)(a)", "10(13)", "10(14)", "10(16)"} <= paragraphs
    assert "10(4)" not in paragraphs


def test_article_10a_is_flagged_unconfirmed():
    for regime in obligations.REGIMES:
        item = obligations.by_key(regime)[f"{regime}-10a"]
        assert item.confirmed is False
        assert item.note
    confirmed = [o for o in obligations.catalogue("mdr") if o.paragraph != "10a"]
    assert all(o.confirmed for o in confirmed)


def test_unknown_regime_is_refused():
    with pytest.raises(ValueError):
        obligations.catalogue("mdd")


def test_titles_follow_the_language():
    item = obligations.by_key("mdr")["mdr-10-4"]
    assert item.title("nb") == "Teknisk dokumentasjon"
    assert item.title("en") == "Technical documentation"
