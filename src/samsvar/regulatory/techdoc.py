"""Technical documentation structure (Annexes II and III) and EU declaration of conformity content
(Annex IV) for the MDR and the IVDR.

`sections(regime)` gives the Annex II and Annex III sections and their lettered points, in Annex
order, so the technical documentation can be laid out and checked section by section.
`doc_items(regime)` gives what the EU declaration of conformity must (or, where applicable, may)
contain, one item per thing a generator fills in. Data: `data/techdoc.toml`.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

REGIMES = ("mdr", "ivdr")
REQUIRED = ("always", "if_applicable", "optional")


@dataclass(frozen=True, kw_only=True)
class Section:
    key: str  # "mdr-annex-ii-6.1(b)"
    regime: str
    annex: str  # "II" | "III"
    number: str  # "6.1(b)"
    parent: str  # "6.1"; "" at top level
    heading: bool  # only groups subsections
    title_en: str
    title_nb: str
    confirmed: bool

    @property
    def citation(self) -> str:
        """The citation, e.g. "MDR Annex II Section 6.1(b)"."""
        return f"{self.regime.upper()} Annex {self.annex} Section {self.number}"

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en


@dataclass(frozen=True, kw_only=True)
class DocItem:
    key: str  # "mdr-doc-basic-udi-di"
    regime: str
    point: str  # Annex IV point, "3"
    required: str  # "always" | "if_applicable" | "optional"
    title_en: str
    title_nb: str
    confirmed: bool

    @property
    def citation(self) -> str:
        """The citation, e.g. "MDR Annex IV point 3"."""
        return f"{self.regime.upper()} Annex IV point {self.point}"

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en


def _parent(number: str) -> str:
    if "(" in number:
        return number.split("(", 1)[0]
    if "." in number:
        return number.rsplit(".", 1)[0]
    return ""


def _check_regime(regime: str) -> None:
    if regime not in REGIMES:
        raise ValueError(f"unknown regime {regime!r}; expected one of {REGIMES}")


@cache
def _load() -> dict:
    text = resources.files("samsvar.regulatory").joinpath("data", "techdoc.toml").read_text("utf-8")
    return tomllib.loads(text)


def sections(regime: str) -> list[Section]:
    """Annex II and Annex III sections of `regime` ("mdr" or "ivdr"), in Annex order."""
    _check_regime(regime)
    rows = _load()[regime]["sections"]
    known = {(row["annex"], row["number"]) for row in rows}

    def parent(annex: str, number: str) -> str:
        # The nearest ancestor that exists: MDR Annex III has 1.1 and 1.2 but no section 1.
        number = _parent(number)
        while number and (annex, number) not in known:
            number = _parent(number)
        return number

    return [
        Section(
            key=f"{regime}-annex-{row['annex'].lower()}-{row['number']}",
            regime=regime,
            annex=row["annex"],
            number=row["number"],
            parent=parent(row["annex"], row["number"]),
            heading=row.get("heading", False),
            title_en=row["title_en"],
            title_nb=row["title_nb"],
            confirmed=row.get("confirmed", True),
        )
        for row in rows
    ]


def doc_items(regime: str) -> list[DocItem]:
    """The content of the EU declaration of conformity (Annex IV) for `regime`, point by point."""
    _check_regime(regime)
    return [
        DocItem(
            key=f"{regime}-doc-{row['key']}",
            regime=regime,
            point=row["point"],
            required=row["required"],
            title_en=row["title_en"],
            title_nb=row["title_nb"],
            confirmed=row.get("confirmed", True),
        )
        for row in _load()[regime]["doc_items"]
    ]
