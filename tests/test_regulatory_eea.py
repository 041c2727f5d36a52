"""The EEA state list in samsvar/regulatory (pure Python, no database)."""

from samsvar.regulatory import eea


def test_the_eea_is_the_eu_27_plus_iceland_liechtenstein_and_norway():
    assert len(eea.EU_STATES) == 27
    assert set(eea.EEA_STATES) == set(eea.EU_STATES) | {"IS", "LI", "NO"}
    assert "CH" not in eea.EEA_STATES and "GB" not in eea.EEA_STATES


def test_every_state_has_a_norwegian_name():
    assert set(eea.EEA_STATES_NB) == set(eea.EEA_STATES)
    assert eea.state_names("nb")["DE"] == "Tyskland"
    assert eea.state_names("en")["NO"] == "Norway"


def test_unknown_markets_names_only_the_non_eea_codes():
    assert eea.unknown_markets(["NO", "US", "SE", "CH"]) == ["US", "CH"]
