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

DEFAULT_MARKETS = ("NO",)


def unknown_markets(codes: list[str]) -> list[str]:
    """The codes in `codes` that are not EEA member states."""
    return [code for code in codes if code not in EEA_STATES]
