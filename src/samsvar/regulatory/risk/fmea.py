"""Failure mode and effects analysis (FMEA) arithmetic, feeding the ISO 14971 risk analysis.

An FMEA worksheet (design, process or use) lists per item or function its failure modes with
effect and cause, scored on three 1 to 10 scales: severity S of the effect, occurrence O of the
cause, detection D (1: the failure is almost certainly detected before it causes the effect, 10:
it cannot be detected). The risk priority number is RPN = S x O x D (1 to 1000).

FMEA is a bottom-up tool for finding failure modes; it does not replace the ISO 14971:2019
estimation (5.5) and evaluation (6) of risks, which use the plan's policy. A row links to a hazard
of the risk analysis, and `suggested_severity_rank` proposes a rank of the policy's severity scale
for the harm that follows. That mapping is a starting point for the analyst, never a rule: the two
scales describe different things (the effect of one failure against the harm to a person).

`needs_action` applies an action threshold that a manufacturer sets in its FMEA procedure: action
is needed when the RPN reaches a limit, and whatever the RPN when the severity reaches a limit
(a rare but severe failure is never left alone because it is easy to detect).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .gap import is_norwegian

SCALE_MIN = 1
SCALE_MAX = 10
RPN_MAX = SCALE_MAX**3

SEVERITY = "severity"
OCCURRENCE = "occurrence"
DETECTION = "detection"
FACTORS = (SEVERITY, OCCURRENCE, DETECTION)

_FACTOR_NAMES = {
    SEVERITY: ("severity", "alvorlighetsgrad"),
    OCCURRENCE: ("occurrence", "forekomst"),
    DETECTION: ("detection", "oppdagbarhet"),
}


def factor_name(factor: str, language: str = "en") -> str:
    """The name of a factor ("severity", "occurrence", "detection") in English or Norwegian."""
    en, nb = _FACTOR_NAMES[factor]
    return nb if is_norwegian(language) else en


class FmeaKind(enum.StrEnum):
    """What the worksheet analyses: the design, the manufacturing process or the use."""

    DESIGN = "design"
    PROCESS = "process"
    USE = "use"

    def name_in(self, language: str = "en") -> str:
        en, nb = _KIND_NAMES[self]
        return nb if is_norwegian(language) else en


_KIND_NAMES = {
    FmeaKind.DESIGN: ("design FMEA", "konstruksjons-FMEA"),
    FmeaKind.PROCESS: ("process FMEA", "prosess-FMEA"),
    FmeaKind.USE: ("use FMEA", "bruks-FMEA"),
}


def fmea_kind(value: object) -> FmeaKind:
    """The kind for an FmeaKind or its value; ValueError naming the kinds otherwise."""
    try:
        return FmeaKind(value)
    except ValueError:
        known = ", ".join(kind.value for kind in FmeaKind)
        raise ValueError(f"FMEA kind {value!r} is not one of {known}") from None


def check_score(field: str, value: object) -> int:
    """The score when it is a whole number from 1 to 10; ValueError naming the field otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            f"{field}: {value!r} is not a whole number from {SCALE_MIN} to {SCALE_MAX}"
        )
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(f"{field}: {value} is outside {SCALE_MIN} to {SCALE_MAX}")
    return value


def rpn(severity: int, occurrence: int, detection: int) -> int:
    """The risk priority number S x O x D (1 to 1000); ValueError naming a bad factor."""
    return (
        check_score(SEVERITY, severity)
        * check_score(OCCURRENCE, occurrence)
        * check_score(DETECTION, detection)
    )


@dataclass(frozen=True, kw_only=True)
class ActionThreshold:
    """When an FMEA row needs an action: RPN at or above `rpn`, or severity at or above
    `severity` whatever the RPN. Either limit may be None to switch it off.

    The defaults (RPN 100, severity 9) are a common choice, not a requirement: the FMEA procedure
    of the manufacturer sets its own.
    """

    rpn: int | None = 100
    severity: int | None = 9

    def __post_init__(self) -> None:
        if self.rpn is not None:
            if isinstance(self.rpn, bool) or not isinstance(self.rpn, int):
                raise ValueError(f"rpn: {self.rpn!r} is not a whole number from 1 to {RPN_MAX}")
            if not 1 <= self.rpn <= RPN_MAX:
                raise ValueError(f"rpn: {self.rpn} is outside 1 to {RPN_MAX}")
        if self.severity is not None:
            check_score(SEVERITY, self.severity)


DEFAULT_THRESHOLD = ActionThreshold()

# Reasons an action is needed.
RPN_REASON = "rpn"
SEVERITY_REASON = "severity"


def action_reasons(
    severity: int,
    occurrence: int,
    detection: int,
    threshold: ActionThreshold = DEFAULT_THRESHOLD,
) -> tuple[str, ...]:
    """Why a row needs an action under the threshold: ("severity",), ("rpn",), both, or ()."""
    number = rpn(severity, occurrence, detection)
    reasons = []
    if threshold.severity is not None and severity >= threshold.severity:
        reasons.append(SEVERITY_REASON)
    if threshold.rpn is not None and number >= threshold.rpn:
        reasons.append(RPN_REASON)
    return tuple(reasons)


def needs_action(
    severity: int,
    occurrence: int,
    detection: int,
    threshold: ActionThreshold = DEFAULT_THRESHOLD,
) -> bool:
    """Whether a row needs an action under the threshold (see `ActionThreshold`)."""
    return bool(action_reasons(severity, occurrence, detection, threshold))


def suggested_severity_rank(fmea_severity: int, levels: int = 5) -> int:
    """A suggested rank on an ISO 14971 severity scale of `levels` levels (3 to 7; 5 for the
    default policy) for an FMEA severity from 1 to 10.

    The 1 to 10 scale is cut into `levels` equal bands, so 1 maps to rank 1, 10 to the top rank,
    and a higher FMEA severity never gives a lower rank; on five levels: 1-2 -> 1, 3-4 -> 2,
    5-6 -> 3, 7-8 -> 4, 9-10 -> 5. It is a suggestion for the analyst to confirm against the
    definitions of the plan's severity levels, not a rule.
    """
    check_score(SEVERITY, fmea_severity)
    if isinstance(levels, bool) or not isinstance(levels, int) or not 3 <= levels <= 7:
        raise ValueError(f"levels: {levels!r} is not a whole number from 3 to 7")
    return -(-fmea_severity * levels // SCALE_MAX)  # the ceiling, in whole numbers
