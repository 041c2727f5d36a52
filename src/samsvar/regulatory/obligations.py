"""MDR/IVDR Article 10 (general obligations of manufacturers) and Article 10a as a catalogue.

The catalogue lives in `data/art10_mdr.toml` and `data/art10_ivdr.toml`: one item per paragraph,
and for the quality management system paragraph (MDR 10(9), IVDR 10(8)) one item per aspect
(a)-(m). Each item says whether it is met once for the whole manufacturer or per device, so the
Article 10 checklist can put it in the right place. Summaries are our own words, not the legal text.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

REGIMES = ("mdr", "ivdr")
SCOPES = ("device", "manufacturer")
APPLIES_WHEN = ("always", "custom_made", "not_custom_made")

_FILES = {"mdr": "art10_mdr.toml", "ivdr": "art10_ivdr.toml"}


@dataclass(frozen=True, kw_only=True)
class Obligation:
    key: str  # "mdr-10-9-a"
    regime: str  # "mdr" | "ivdr"
    paragraph: str  # "10(9)(a)"
    parent: str  # key of the parent paragraph, "" for a paragraph
    scope: str  # "device" | "manufacturer"
    applies_when: str  # "always" | "custom_made" | "not_custom_made"
    title_en: str
    title_nb: str
    summary_en: str
    summary_nb: str
    confirmed: bool
    note: str = ""

    @property
    def citation(self) -> str:
        """The citation, e.g. "MDR Art. 10(9)(a)"."""
        return f"{self.regime.upper()} Art. {self.paragraph}"

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en

    def summary(self, language: str) -> str:
        return self.summary_nb if language.startswith("nb") else self.summary_en


def _check_regime(regime: str) -> None:
    if regime not in REGIMES:
        raise ValueError(f"unknown regime {regime!r}; expected one of {REGIMES}")


@cache
def _load(regime: str) -> tuple[Obligation, ...]:
    text = resources.files("samsvar.regulatory").joinpath("data", _FILES[regime]).read_text("utf-8")
    data = tomllib.loads(text)
    if data.get("regime") != regime:
        raise ValueError(f"{_FILES[regime]} declares regime {data.get('regime')!r}")
    return tuple(
        Obligation(
            key=row["key"],
            regime=regime,
            paragraph=row["paragraph"],
            parent=row.get("parent", ""),
            scope=row["scope"],
            applies_when=row.get("applies_when", "always"),
            title_en=row["title_en"],
            title_nb=row["title_nb"],
            summary_en=row["summary_en"],
            summary_nb=row["summary_nb"],
            confirmed=row.get("confirmed", True),
            note=row.get("note", ""),
        )
        for row in data["obligation"]
    )


def catalogue(regime: str) -> list[Obligation]:
    """Every Article 10 / 10a item of `regime` ("mdr" or "ivdr"), in the order of the Regulation."""
    _check_regime(regime)
    return list(_load(regime))


def by_key(regime: str) -> dict[str, Obligation]:
    """The catalogue of `regime` keyed by item key."""
    return {item.key: item for item in catalogue(regime)}


def for_device(regime: str, *, custom_made: bool = False) -> list[Obligation]:
    """The per-device items that apply to a device (custom-made or not)."""
    wanted = {"always", "custom_made" if custom_made else "not_custom_made"}
    return [o for o in catalogue(regime) if o.scope == "device" and o.applies_when in wanted]


def for_manufacturer(regime: str) -> list[Obligation]:
    """The items met once for the whole manufacturer (QMS and its aspects, systems, liability)."""
    return [o for o in catalogue(regime) if o.scope == "manufacturer"]
