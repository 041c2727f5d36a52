"""The EEA states in which the MDR and IVDR apply (EU 27 plus Iceland, Liechtenstein, Norway)."""

EU_STATES = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DK": "Denmark",
    "EE": "Estonia",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LV": "Latvia",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spain",
    "SE": "Sweden",
}
EFTA_EEA_STATES = {"IS": "Iceland", "LI": "Liechtenstein", "NO": "Norway"}
EEA_STATES = {**EU_STATES, **EFTA_EEA_STATES}

# The same states by their Norwegian names, for the Norwegian interface.
EEA_STATES_NB = {
    "AT": "Østerrike",
    "BE": "Belgia",
    "BG": "Bulgaria",
    "HR": "Kroatia",
    "CY": "Kypros",
    "CZ": "Tsjekkia",
    "DK": "Danmark",
    "EE": "Estland",
    "FI": "Finland",
    "FR": "Frankrike",
    "DE": "Tyskland",
    "GR": "Hellas",
    "HU": "Ungarn",
    "IE": "Irland",
    "IT": "Italia",
    "LV": "Latvia",
    "LT": "Litauen",
    "LU": "Luxembourg",
    "MT": "Malta",
    "NL": "Nederland",
    "PL": "Polen",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spania",
    "SE": "Sverige",
    "IS": "Island",
    "LI": "Liechtenstein",
    "NO": "Norge",
}

DEFAULT_MARKETS = ("NO",)


def state_names(language: str) -> dict[str, str]:
    """EEA state names in `language` ("nb" for Norwegian Bokmål, else English)."""
    return EEA_STATES_NB if language.startswith("nb") else EEA_STATES


def unknown_markets(codes: list[str]) -> list[str]:
    """The codes in `codes` that are not EEA member states."""
    return [code for code in codes if code not in EEA_STATES]
