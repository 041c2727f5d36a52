"""A gap in a risk management file: what is missing, where, and under which clause."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

# Kinds of object a gap points at.
PLAN = "plan"
HAZARD = "hazard"
SITUATION = "situation"
RISK = "risk"
CONTROL = "control"
OVERALL = "overall"

_KIND_WORDS = {
    PLAN: ("the risk management plan", "risikostyringsplanen"),
    HAZARD: ("hazard", "fare"),
    SITUATION: ("hazardous situation", "farlig situasjon"),
    RISK: ("risk", "risiko"),
    CONTROL: ("control measure", "risikokontrolltiltak"),
    OVERALL: ("the overall residual risk", "den samlede restrisikoen"),
}


@dataclass(frozen=True, kw_only=True)
class Ref:
    """The object a gap is about: its kind ("hazard", "risk", ...), its id and a readable name."""

    kind: str
    id: Hashable = None
    name: str = ""

    def describe(self, language: str = "en") -> str:
        """'hazard “Electric shock”', 'risk 12', 'the risk management plan'; Norwegian for "nb"."""
        en, nb = _KIND_WORDS.get(self.kind, (self.kind, self.kind))
        norwegian = is_norwegian(language)
        word = nb if norwegian else en
        if self.id is None and not self.name:
            return word
        quoted = f"«{self.name}»" if norwegian else f"“{self.name}”"
        label = quoted if self.name else str(self.id)
        return f"{word} {label}"


@dataclass(frozen=True, kw_only=True)
class Gap:
    """One gap. `code` is stable (the UI and tests key on it), `clause` is the ISO 14971:2019
    clause or "Annex Z" (EN ISO 14971:2019+A11:2021, MDR/IVDR Annex I), `ref` the object."""

    code: str
    clause: str
    ref: Ref
    message_en: str
    message_nb: str

    def message(self, language: str = "en") -> str:
        return self.message_nb if is_norwegian(language) else self.message_en


def is_norwegian(language: str) -> bool:
    return language.startswith(("nb", "no", "nn"))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
