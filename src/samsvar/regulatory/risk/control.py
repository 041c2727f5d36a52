"""Risk control options in priority order (ISO 14971:2019 7.1; MDR/IVDR Annex I §4).

1. inherent safety by design and manufacture;
2. protective measures in the device itself or in the manufacturing process;
3. information for safety and, where appropriate, training of users.

A higher-priority kind is used where practicable. Using a lower-priority kind while a higher one
is absent needs a recorded rationale why the higher kinds are not practicable.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from .gap import RISK, Gap, Ref, capitalised, is_norwegian


class ControlKind(enum.StrEnum):
    INHERENT_SAFETY = "inherent_safety"
    PROTECTIVE = "protective"
    INFORMATION = "information"

    @property
    def priority(self) -> int:
        """1 for the highest priority (inherent safety) to 3 (information for safety)."""
        return PRIORITY_ORDER.index(self) + 1

    def name_in(self, language: str = "en") -> str:
        en, nb = _NAMES[self]
        return nb if is_norwegian(language) else en


PRIORITY_ORDER = (ControlKind.INHERENT_SAFETY, ControlKind.PROTECTIVE, ControlKind.INFORMATION)

_NAMES = {
    ControlKind.INHERENT_SAFETY: (
        "inherent safety by design and manufacture",
        "iboende sikkerhet gjennom konstruksjon og produksjon",
    ),
    ControlKind.PROTECTIVE: (
        "protective measures in the device or the manufacturing process",
        "beskyttelsestiltak i utstyret eller i produksjonsprosessen",
    ),
    ControlKind.INFORMATION: (
        "information for safety (including training)",
        "sikkerhetsinformasjon (inkludert opplæring)",
    ),
}

LOWER_PRIORITY_WITHOUT_RATIONALE = "lower_priority_without_rationale"


def control_kind(value: object) -> ControlKind:
    """The kind for a ControlKind or its value; ValueError naming the kinds otherwise."""
    try:
        return ControlKind(value)
    except ValueError:
        known = ", ".join(kind.value for kind in ControlKind)
        raise ValueError(f"control kind {value!r} is not one of {known}") from None


def skipped_kinds(kinds_used: Iterable[ControlKind | str]) -> tuple[ControlKind, ...]:
    """The kinds of higher priority than the lowest one used that are not used."""
    used = {control_kind(kind) for kind in kinds_used}
    if not used:
        return ()
    lowest = max(kind.priority for kind in used)
    return tuple(kind for kind in PRIORITY_ORDER if kind.priority < lowest and kind not in used)


def lower_priority_needs_rationale(
    kinds_used: Iterable[ControlKind | str], rationale: str, *, ref: Ref | None = None
) -> Gap | None:
    """A gap when a lower-priority kind is used without every higher one and no rationale says
    why the higher kinds are not practicable; None otherwise (also when no control is used).

    Example: information for safety alone needs a rationale why neither a design change nor a
    protective measure is practicable; design plus information needs one for protective measures.
    """
    kinds = tuple(control_kind(kind) for kind in kinds_used)
    skipped = skipped_kinds(kinds)
    if not skipped or rationale.strip():
        return None
    ref = ref or Ref(kind=RISK)
    lowest = max(kinds, key=lambda kind: kind.priority)
    missing_en = " or ".join(kind.name_in("en") for kind in skipped)
    missing_nb = " eller ".join(kind.name_in("nb") for kind in skipped)
    return Gap(
        code=LOWER_PRIORITY_WITHOUT_RATIONALE,
        clause="7.1",
        ref=ref,
        message_en=(
            f"{capitalised(ref.describe('en'))} is controlled by {lowest.name_in('en')} without "
            f"{missing_en}; record why the higher-priority option is not practicable"
        ),
        message_nb=(
            f"{capitalised(ref.describe('nb'))} er kontrollert med {lowest.name_in('nb')} uten "
            f"{missing_nb}; dokumenter hvorfor det høyere prioriterte alternativet ikke er "
            "gjennomførbart"
        ),
    )
