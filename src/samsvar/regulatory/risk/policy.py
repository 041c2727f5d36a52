"""The risk acceptability policy of a risk management plan (ISO 14971:2019 4.4).

A policy holds a severity scale and a probability scale (3 to 7 levels each), the P1 x P2 -> P
combination table and the acceptability matrix, plus the method and criteria for evaluating the
overall residual risk (clause 8). One probability scale serves P1 (the probability that the
hazardous situation occurs), P2 (the probability that it leads to the harm) and their combination
P. Ranks run from 1 (least severe, least probable) upwards.

`validate_policy` names every problem; `default_policy` is a ready 5 x 5 policy (names and
definitions in our own words, English and Norwegian Bokmål) that a manufacturer adopts and edits;
`combine_by_product` derives a combination table for any probability scale.

Under the MDR and IVDR there is no "as low as reasonably practicable" middle band: each matrix cell
is acceptable or not acceptable, and a risk in an acceptable cell must still be reduced as far as
possible (see `completeness.afap_problems`).
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

MIN_LEVELS = 3
MAX_LEVELS = 7

ERROR = "error"
WARNING = "warning"

# Subjects of a policy problem: the part of the plan a form would show the message beside.
SEVERITY = "severity"
PROBABILITY = "probability"
COMBINATION = "combination"
MATRIX = "matrix"
OVERALL_METHOD = "overall_method"

# What the probabilities of the scale are counted per.
BASES = ("per_use", "per_device_year", "per_patient", "other")

# A product that lands within this relative distance below a range boundary counts as on it, so
# 1e-5 * 0.1 (1.0000000000000002e-06 or 9.999999999999999e-07 in floating point) is 1e-6.
_SNAP = 1e-9


def _language_is_nb(language: str) -> bool:
    return language.startswith(("nb", "no", "nn"))


def _text(en: str, nb: str, language: str) -> str:
    """The text in the language asked for, falling back to the other one when it is empty."""
    first, second = (nb, en) if _language_is_nb(language) else (en, nb)
    return first or second


@dataclass(frozen=True, kw_only=True)
class Level:
    rank: int
    name_en: str
    name_nb: str
    definition_en: str
    definition_nb: str

    def name(self, language: str = "en") -> str:
        return _text(self.name_en, self.name_nb, language)

    def definition(self, language: str = "en") -> str:
        return _text(self.definition_en, self.definition_nb, language)


@dataclass(frozen=True, kw_only=True)
class SeverityLevel(Level):
    """A level of the severity scale; rank 1 is the least severe."""


@dataclass(frozen=True, kw_only=True)
class ProbabilityLevel(Level):
    """A probability level covering [low, high); the top level covers [low, 1.0] inclusive."""

    low: float
    high: float

    def contains(self, value: float, *, top: bool = False) -> bool:
        return self.low <= value < self.high or (top and value == self.high)


def _rank_order(level: Level) -> tuple[int, int]:
    return (0, level.rank) if _is_rank(level.rank) else (1, 0)


@dataclass(frozen=True, kw_only=True)
class _Scale:
    """The levels are kept in rank order whatever order they are given in, so two scales with
    the same levels are equal (levels whose rank is not a whole number go last)."""

    levels: tuple

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(sorted(self.levels, key=_rank_order)))

    @property
    def ranks(self) -> tuple[int, ...]:
        return tuple(sorted(level.rank for level in self.levels))

    @property
    def size(self) -> int:
        return len(self.levels)

    def has(self, rank: object) -> bool:
        return _is_rank(rank) and any(level.rank == rank for level in self.levels)

    def level(self, rank: int):
        for level in self.levels:
            if level.rank == rank:
                return level
        raise KeyError(rank)

    def ordered(self) -> tuple:
        """The levels from rank 1 upwards (the order they are stored in)."""
        return self.levels


@dataclass(frozen=True, kw_only=True)
class SeverityScale(_Scale):
    levels: tuple[SeverityLevel, ...]


@dataclass(frozen=True, kw_only=True)
class ProbabilityScale(_Scale):
    levels: tuple[ProbabilityLevel, ...]
    basis: str  # one of BASES
    basis_en: str  # "per use of the device"
    basis_nb: str

    def basis_text(self, language: str = "en") -> str:
        return _text(self.basis_en, self.basis_nb, language)

    def rank_for(self, value: float) -> int:
        """The rank of the level that holds a probability (0 <= value <= 1).

        A value within a relative 1e-9 below a boundary counts as on the boundary, so products of
        decimal range ends land where a person doing the arithmetic by hand would put them.
        """
        if not 0.0 <= value <= 1.0 or math.isnan(value):
            raise ValueError(f"probability {value!r} is outside 0 to 1")
        levels = self.ordered()
        snapped = min(value * (1 + _SNAP), 1.0) if value > 0 else 0.0
        for index, level in enumerate(levels):
            if level.contains(snapped, top=index == len(levels) - 1):
                return level.rank
        if levels and snapped < levels[0].low:
            return levels[0].rank
        raise ValueError(f"probability {value!r} falls in no level of the scale")


def _freeze(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, kw_only=True)
class RiskPolicy:
    """The acceptability policy of a risk management plan.

    `combination` maps (P1 rank, P2 rank) to the P rank; `matrix` maps (severity rank, P rank) to
    True (acceptable) or False (not acceptable). Both are stored read-only. `combination_method`
    records how the table was made: "product" (by `combine_by_product`, to derive again when the
    probability ranges are edited) or "table" (set cell by cell).
    """

    severity: SeverityScale
    probability: ProbabilityScale
    combination: Mapping[tuple[int, int], int]
    matrix: Mapping[tuple[int, int], bool]
    overall_method_en: str
    overall_method_nb: str
    note_en: str = ""
    note_nb: str = ""
    combination_method: str = field(default="table")  # "table" | "product"

    def __post_init__(self) -> None:
        object.__setattr__(self, "combination", _freeze(self.combination))
        object.__setattr__(self, "matrix", _freeze(self.matrix))

    def __hash__(self) -> int:
        return hash(
            (
                self.severity,
                self.probability,
                frozenset(self.combination.items()),
                frozenset(self.matrix.items()),
                self.overall_method_en,
                self.overall_method_nb,
            )
        )

    def overall_method(self, language: str = "en") -> str:
        return _text(self.overall_method_en, self.overall_method_nb, language)


@dataclass(frozen=True, kw_only=True)
class PolicyProblem:
    """One thing wrong with a policy.

    `kind` is "error" (the policy cannot be approved) or "warning" (allowed, but the plan should
    say why). `subject` is the part of the plan ("severity", "probability", "combination",
    "matrix", "overall_method"); `ref` the level rank or the (row, column) cell concerned.
    """

    code: str
    kind: str
    subject: str
    ref: tuple[int, ...]
    message_en: str
    message_nb: str

    @property
    def is_error(self) -> bool:
        return self.kind == ERROR

    def message(self, language: str = "en") -> str:
        return self.message_nb if _language_is_nb(language) else self.message_en


# Problem codes.
SCALE_SIZE = "scale_size"
RANK_INVALID = "rank_invalid"
DUPLICATE_RANK = "duplicate_rank"
RANK_SEQUENCE = "rank_sequence"
MISSING_NAME = "missing_name"
MISSING_DEFINITION = "missing_definition"
DUPLICATE_NAME = "duplicate_name"
BASIS_MISSING = "basis_missing"
RANGE_INVALID = "range_invalid"
RANGE_OVERLAP = "range_overlap"
RANGE_GAP = "range_gap"
RANGE_START = "range_start"
RANGE_END = "range_end"
COMBINATION_MISSING = "combination_missing"
COMBINATION_UNKNOWN_LEVEL = "combination_unknown_level"
COMBINATION_UNKNOWN_RESULT = "combination_unknown_result"
COMBINATION_NOT_MONOTONE = "combination_not_monotone"
COMBINATION_EXCEEDS_FACTOR = "combination_exceeds_factor"
COMBINATION_NOT_PRODUCT = "combination_not_product"
MATRIX_MISSING = "matrix_missing"
MATRIX_UNKNOWN_CELL = "matrix_unknown_cell"
MATRIX_VALUE_INVALID = "matrix_value_invalid"
MATRIX_NOT_MONOTONE = "matrix_not_monotone"
OVERALL_METHOD_MISSING = "overall_method_missing"

# Every code with its kind; the tests hold a positive and a negative case for each.
PROBLEM_CODES = {
    SCALE_SIZE: ERROR,
    RANK_INVALID: ERROR,
    DUPLICATE_RANK: ERROR,
    RANK_SEQUENCE: ERROR,
    MISSING_NAME: ERROR,
    MISSING_DEFINITION: ERROR,
    DUPLICATE_NAME: ERROR,
    BASIS_MISSING: ERROR,
    RANGE_INVALID: ERROR,
    RANGE_OVERLAP: ERROR,
    RANGE_GAP: ERROR,
    RANGE_START: ERROR,
    RANGE_END: ERROR,
    COMBINATION_MISSING: ERROR,
    COMBINATION_UNKNOWN_LEVEL: ERROR,
    COMBINATION_UNKNOWN_RESULT: ERROR,
    COMBINATION_NOT_MONOTONE: WARNING,
    COMBINATION_EXCEEDS_FACTOR: WARNING,
    COMBINATION_NOT_PRODUCT: WARNING,
    MATRIX_MISSING: ERROR,
    MATRIX_UNKNOWN_CELL: ERROR,
    MATRIX_VALUE_INVALID: ERROR,
    MATRIX_NOT_MONOTONE: WARNING,
    OVERALL_METHOD_MISSING: ERROR,
}

_SCALE_WORDS = {
    SEVERITY: ("severity", "alvorlighetsnivå", "severity scale", "alvorlighetsskalaen"),
    PROBABILITY: (
        "probability",
        "sannsynlighetsnivå",
        "probability scale",
        "sannsynlighetsskalaen",
    ),
}


def _is_rank(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _num(value: float) -> str:
    """A range bound as people write it: 0, 1e-06, 0.001, 1.0."""
    return repr(float(value)) if value not in (0, 1) else ("0" if value == 0 else "1.0")


def _nb_num(value: float) -> str:
    return _num(value).replace(".", ",")


def _range(level: ProbabilityLevel, top: bool = False) -> tuple[str, str]:
    close = "]" if top else ")"
    return (
        f"[{_num(level.low)}, {_num(level.high)}{close}",
        f"[{_nb_num(level.low)}; {_nb_num(level.high)}{close}",
    )


class _Collector:
    def __init__(self) -> None:
        self.problems: list[PolicyProblem] = []

    def add(self, code: str, subject: str, ref: Iterable[int], en: str, nb: str) -> None:
        self.problems.append(
            PolicyProblem(
                code=code,
                kind=PROBLEM_CODES[code],
                subject=subject,
                ref=tuple(ref),
                message_en=en,
                message_nb=nb,
            )
        )


def _check_scale(out: _Collector, scale: _Scale, subject: str) -> None:
    word_en, word_nb, scale_en, scale_nb = _SCALE_WORDS[subject]
    levels = tuple(scale.levels)
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        out.add(
            SCALE_SIZE,
            subject,
            (),
            f"{scale_en} must have {MIN_LEVELS} to {MAX_LEVELS} levels, has {len(levels)}",
            f"{scale_nb} må ha {MIN_LEVELS} til {MAX_LEVELS} nivåer, har {len(levels)}",
        )
    ranks = [level.rank for level in levels]
    for level in levels:
        if not _is_rank(level.rank):
            out.add(
                RANK_INVALID,
                subject,
                (),
                f"{scale_en}: level {level.name('en')!r} has rank {level.rank!r}, "
                "not a whole number",
                f"{scale_nb}: nivået {level.name('nb')!r} har rang {level.rank!r}, ikke et heltall",
            )
    good = [rank for rank in ranks if _is_rank(rank)]
    seen: set[int] = set()
    for rank in good:
        if rank in seen:
            out.add(
                DUPLICATE_RANK,
                subject,
                (rank,),
                f"{scale_en}: duplicate rank {rank}",
                f"{scale_nb}: rang {rank} finnes flere ganger",
            )
        seen.add(rank)
    sequence = set(range(1, len(levels) + 1))
    if len(good) == len(ranks) and len(seen) == len(good) and seen != sequence:
        listed = ", ".join(str(rank) for rank in sorted(seen))
        out.add(
            RANK_SEQUENCE,
            subject,
            (),
            f"{scale_en}: ranks must run 1 to {len(levels)} without gaps, are {listed}",
            f"{scale_nb}: rangene må gå fra 1 til {len(levels)} uten hull, er {listed}",
        )
    names: dict[str, int] = {}
    for level in levels:
        rank = level.rank
        if not (level.name_en.strip() or level.name_nb.strip()):
            out.add(
                MISSING_NAME,
                subject,
                (rank,) if _is_rank(rank) else (),
                f"{word_en} level {rank} has no name",
                f"{word_nb} {rank} har ikke noe navn",
            )
        if not (level.definition_en.strip() or level.definition_nb.strip()):
            out.add(
                MISSING_DEFINITION,
                subject,
                (rank,) if _is_rank(rank) else (),
                f"{word_en} level {rank} has no definition",
                f"{word_nb} {rank} har ingen definisjon",
            )
        for name in {level.name_en.strip().casefold(), level.name_nb.strip().casefold()} - {""}:
            if name in names and names[name] != rank:
                out.add(
                    DUPLICATE_NAME,
                    subject,
                    (names[name], rank) if _is_rank(rank) else (),
                    f"{word_en} levels {names[name]} and {rank} have the same name {name!r}",
                    f"{word_nb} {names[name]} og {rank} har samme navn {name!r}",
                )
            names.setdefault(name, rank)


def _check_ranges(out: _Collector, scale: ProbabilityScale) -> None:
    if not (scale.basis_en.strip() or scale.basis_nb.strip()) or scale.basis not in BASES:
        out.add(
            BASIS_MISSING,
            PROBABILITY,
            (),
            "the probability scale does not say what its probabilities are counted per "
            f"(basis {scale.basis!r}; expected one of {', '.join(BASES)}, with a description)",
            "sannsynlighetsskalaen sier ikke hva sannsynlighetene gjelder per "
            f"(grunnlag {scale.basis!r}; forventet en av {', '.join(BASES)}, med en beskrivelse)",
        )
    levels = [lv for lv in scale.ordered() if _is_rank(lv.rank)]
    sound: list[ProbabilityLevel] = []
    for level in levels:
        bounds = (level.low, level.high)
        if not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds):
            reason_en = f"bounds {bounds!r} are not numbers"
            reason_nb = f"grensene {bounds!r} er ikke tall"
        elif any(math.isnan(b) for b in bounds):
            reason_en, reason_nb = "a bound is not a number", "en grense er ikke et tall"
        elif any(b < 0 or b > 1 for b in bounds):
            bad = next(b for b in bounds if b < 0 or b > 1)
            reason_en = f"bound {bad!r} is outside 0 to 1"
            reason_nb = f"grensen {bad!r} er utenfor 0 til 1"
        elif level.low >= level.high:
            en, nb = _range(level)
            reason_en, reason_nb = f"range {en} is empty", f"intervallet {nb} er tomt"
        else:
            sound.append(level)
            continue
        out.add(
            RANGE_INVALID,
            PROBABILITY,
            (level.rank,),
            f"probability level {level.rank}: {reason_en}",
            f"sannsynlighetsnivå {level.rank}: {reason_nb}",
        )
    if len(sound) != len(levels) or not sound:
        return  # contiguity is only meaningful once every range is itself sound
    first, last = sound[0], sound[-1]
    if first.low != 0:
        out.add(
            RANGE_START,
            PROBABILITY,
            (first.rank,),
            f"probability level {first.rank}: the lowest range must start at 0, "
            f"starts at {_num(first.low)}",
            f"sannsynlighetsnivå {first.rank}: det laveste intervallet må starte på 0, "
            f"starter på {_nb_num(first.low)}",
        )
    if last.high != 1:
        out.add(
            RANGE_END,
            PROBABILITY,
            (last.rank,),
            f"probability level {last.rank}: the top range must end at 1.0 inclusive, "
            f"ends at {_num(last.high)}",
            f"sannsynlighetsnivå {last.rank}: det øverste intervallet må slutte på 1,0 "
            f"(inkludert), slutter på {_nb_num(last.high)}",
        )
    for lower, upper in itertools.pairwise(sound):
        lower_en, lower_nb = _range(lower)
        upper_en, upper_nb = _range(upper, top=upper is last)
        if lower.high > upper.low:
            out.add(
                RANGE_OVERLAP,
                PROBABILITY,
                (lower.rank, upper.rank),
                f"probability level {lower.rank}: range {lower_en} overlaps level {upper.rank} "
                f"{upper_en}",
                f"sannsynlighetsnivå {lower.rank}: intervallet {lower_nb} overlapper nivå "
                f"{upper.rank} {upper_nb}",
            )
        elif lower.high < upper.low:
            out.add(
                RANGE_GAP,
                PROBABILITY,
                (lower.rank, upper.rank),
                f"probability levels {lower.rank} and {upper.rank} leave "
                f"[{_num(lower.high)}, {_num(upper.low)}) uncovered",
                f"sannsynlighetsnivå {lower.rank} og {upper.rank} lar "
                f"[{_nb_num(lower.high)}; {_nb_num(upper.low)}) stå udekket",
            )


def _check_combination(out: _Collector, policy: RiskPolicy) -> None:
    ranks = sorted({lv.rank for lv in policy.probability.levels if _is_rank(lv.rank)})
    known = set(ranks)
    table = policy.combination
    for p1 in ranks:
        for p2 in ranks:
            if (p1, p2) not in table:
                out.add(
                    COMBINATION_MISSING,
                    COMBINATION,
                    (p1, p2),
                    f"combination table has no entry for (P1={p1}, P2={p2})",
                    f"kombinasjonstabellen mangler verdi for (P1={p1}, P2={p2})",
                )
    for key, p in table.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            out.add(
                COMBINATION_UNKNOWN_LEVEL,
                COMBINATION,
                (),
                f"combination table entry {key!r} is not a (P1, P2) pair",
                f"kombinasjonstabellen har oppføringen {key!r}, som ikke er et (P1, P2)-par",
            )
            continue
        p1, p2 = key
        for label, rank in (("P1", p1), ("P2", p2)):
            if not (_is_rank(rank) and rank in known):
                out.add(
                    COMBINATION_UNKNOWN_LEVEL,
                    COMBINATION,
                    (p1, p2) if _is_rank(p1) and _is_rank(p2) else (),
                    f"combination table entry (P1={p1}, P2={p2}) refers to {label} level "
                    f"{rank}, which is not on the probability scale",
                    f"kombinasjonstabellen har oppføringen (P1={p1}, P2={p2}), som viser til "
                    f"{label}-nivå {rank}, som ikke finnes på sannsynlighetsskalaen",
                )
        if not (_is_rank(p) and p in known):
            out.add(
                COMBINATION_UNKNOWN_RESULT,
                COMBINATION,
                (p1, p2) if _is_rank(p1) and _is_rank(p2) else (),
                f"combination table entry (P1={p1}, P2={p2}) gives P={p}, which is not on the "
                "probability scale",
                f"kombinasjonstabellen gir P={p} for (P1={p1}, P2={p2}), som ikke finnes på "
                "sannsynlighetsskalaen",
            )

    def value(p1: int, p2: int) -> int | None:
        p = table.get((p1, p2))
        return p if _is_rank(p) and p in known else None

    for p1 in ranks:
        for p2 in ranks:
            p = value(p1, p2)
            if p is None:
                continue
            if p > min(p1, p2):
                out.add(
                    COMBINATION_EXCEEDS_FACTOR,
                    COMBINATION,
                    (p1, p2),
                    f"combination table: P={p} at (P1={p1}, P2={p2}) is above the lower of P1 "
                    f"and P2 ({min(p1, p2)}); a product of two probabilities is never larger "
                    "than either of them",
                    f"kombinasjonstabellen: P={p} for (P1={p1}, P2={p2}) er høyere enn den "
                    f"laveste av P1 og P2 ({min(p1, p2)}); produktet av to sannsynligheter er "
                    "aldri større enn noen av dem",
                )
            for label, previous in (("P1", (p1 - 1, p2)), ("P2", (p1, p2 - 1))):
                before = value(*previous) if previous[0] in known and previous[1] in known else None
                if before is not None and before > p:
                    out.add(
                        COMBINATION_NOT_MONOTONE,
                        COMBINATION,
                        (p1, p2),
                        f"combination table: P falls from {before} at (P1={previous[0]}, "
                        f"P2={previous[1]}) to {p} at (P1={p1}, P2={p2}); P must not decrease "
                        f"as {label} increases",
                        f"kombinasjonstabellen: P synker fra {before} ved (P1={previous[0]}, "
                        f"P2={previous[1]}) til {p} ved (P1={p1}, P2={p2}); P skal ikke synke "
                        f"når {label} øker",
                    )


def _check_product(out: _Collector, policy: RiskPolicy) -> None:
    """A table marked as derived by product must still match the (possibly edited) scale."""
    if policy.combination_method != "product" or errors(scale_problems(policy.probability)):
        return
    for (p1, p2), p in sorted(combine_by_product(policy.probability).items()):
        given = policy.combination.get((p1, p2))
        if given is not None and given != p:
            out.add(
                COMBINATION_NOT_PRODUCT,
                COMBINATION,
                (p1, p2),
                f"combination table: (P1={p1}, P2={p2}) gives P={given}, but the table is "
                f"marked as derived from the product of the ranges, which gives P={p}",
                f"kombinasjonstabellen: (P1={p1}, P2={p2}) gir P={given}, men tabellen er "
                f"merket som utledet av produktet av intervallene, som gir P={p}",
            )


def _check_matrix(out: _Collector, policy: RiskPolicy) -> None:
    severities = sorted({lv.rank for lv in policy.severity.levels if _is_rank(lv.rank)})
    probabilities = sorted({lv.rank for lv in policy.probability.levels if _is_rank(lv.rank)})
    matrix = policy.matrix
    for s in severities:
        for p in probabilities:
            if (s, p) not in matrix:
                out.add(
                    MATRIX_MISSING,
                    MATRIX,
                    (s, p),
                    f"matrix cell (S={s}, P={p}) is missing",
                    f"matrisecellen (S={s}, P={p}) mangler",
                )
    for key, acceptable in matrix.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            out.add(
                MATRIX_UNKNOWN_CELL,
                MATRIX,
                (),
                f"matrix cell {key!r} is not a (severity, P) pair",
                f"matrisecellen {key!r} er ikke et (alvorlighetsgrad, P)-par",
            )
            continue
        s, p = key
        ref = (s, p) if _is_rank(s) and _is_rank(p) else ()
        if not (_is_rank(s) and s in severities):
            out.add(
                MATRIX_UNKNOWN_CELL,
                MATRIX,
                ref,
                f"matrix cell (S={s}, P={p}) refers to severity level {s}, which is not on the "
                "severity scale",
                f"matrisecellen (S={s}, P={p}) viser til alvorlighetsnivå {s}, som ikke finnes "
                "på alvorlighetsskalaen",
            )
        if not (_is_rank(p) and p in probabilities):
            out.add(
                MATRIX_UNKNOWN_CELL,
                MATRIX,
                ref,
                f"matrix cell (S={s}, P={p}) refers to probability level {p}, which is not on "
                "the probability scale",
                f"matrisecellen (S={s}, P={p}) viser til sannsynlighetsnivå {p}, som ikke finnes "
                "på sannsynlighetsskalaen",
            )
        if not isinstance(acceptable, bool):
            out.add(
                MATRIX_VALUE_INVALID,
                MATRIX,
                ref,
                f"matrix cell (S={s}, P={p}) is {acceptable!r}; it must be acceptable (true) or "
                "not acceptable (false)",
                f"matrisecellen (S={s}, P={p}) er {acceptable!r}; den må være akseptabel (true) "
                "eller ikke akseptabel (false)",
            )

    def cell(s: int, p: int) -> bool | None:
        value = matrix.get((s, p))
        return value if isinstance(value, bool) else None

    for s in severities:
        for p in probabilities:
            if cell(s, p) is not True:
                continue
            for neighbour, what_en, what_nb in (
                ((s - 1, p), "less severe", "mindre alvorlige"),
                ((s, p - 1), "less probable", "mindre sannsynlige"),
            ):
                if cell(*neighbour) is False:
                    ns, np_ = neighbour
                    out.add(
                        MATRIX_NOT_MONOTONE,
                        MATRIX,
                        (s, p),
                        f"matrix cell (S={s}, P={p}) is acceptable but the {what_en} cell "
                        f"(S={ns}, P={np_}) is not",
                        f"matrisecellen (S={s}, P={p}) er akseptabel, men den {what_nb} cellen "
                        f"(S={ns}, P={np_}) er det ikke",
                    )


def validate_policy(policy: RiskPolicy) -> list[PolicyProblem]:
    """Every problem of the policy, errors and warnings, in a stable order.

    A policy with no error may be approved; a warning (a matrix or a combination table that is not
    monotone, a combined P above either factor) needs a rationale in the plan.
    """
    out = _Collector()
    _check_scale(out, policy.severity, SEVERITY)
    _check_scale(out, policy.probability, PROBABILITY)
    _check_ranges(out, policy.probability)
    _check_combination(out, policy)
    _check_product(out, policy)
    _check_matrix(out, policy)
    if not (policy.overall_method_en.strip() or policy.overall_method_nb.strip()):
        out.add(
            OVERALL_METHOD_MISSING,
            OVERALL_METHOD,
            (),
            "the plan states no method and criteria for evaluating the overall residual risk",
            "planen angir ingen metode og kriterier for å evaluere den samlede restrisikoen",
        )
    return out.problems


def errors(problems: Iterable[PolicyProblem]) -> list[PolicyProblem]:
    return [problem for problem in problems if problem.is_error]


def scale_problems(scale: ProbabilityScale) -> list[PolicyProblem]:
    """The problems of a probability scale on its own (levels, ranks, names, ranges)."""
    out = _Collector()
    _check_scale(out, scale, PROBABILITY)
    _check_ranges(out, scale)
    return out.problems


def representative_value(level: ProbabilityLevel) -> float:
    """The geometric midpoint of the level's range.

    A range starting at 0 has no geometric midpoint; its representative value is taken half a
    decade below its upper bound (high / sqrt(10)).
    """
    if level.low <= 0:
        return level.high / math.sqrt(10)
    return math.sqrt(level.low * level.high)


def combine_by_product(scale: ProbabilityScale) -> dict[tuple[int, int], int]:
    """A P1 x P2 -> P table: the product of the two levels' geometric midpoints, put back on the
    scale. P is non-decreasing in P1 and in P2 and never above the lower of the two.

    Raises ValueError when the scale has errors (its ranges must be contiguous from 0 to 1).
    """
    problems = errors(scale_problems(scale))
    if problems:
        raise ValueError(
            "cannot combine on an invalid probability scale: "
            + "; ".join(p.message_en for p in problems)
        )
    levels = scale.ordered()
    table = {}
    for first in levels:
        for second in levels:
            product = representative_value(first) * representative_value(second)
            rank = scale.rank_for(product)
            # Rounding can never lift the product above either factor's level.
            table[(first.rank, second.rank)] = min(rank, first.rank, second.rank)
    return table


# ---------------------------------------------------------------------------------------------
# Plain-data form (JSON-able) for storing a policy in a versioned record, and the default policy.


def policy_to_dict(policy: RiskPolicy) -> dict[str, Any]:
    def level(lv: Level) -> dict[str, Any]:
        row = {
            "rank": lv.rank,
            "name_en": lv.name_en,
            "name_nb": lv.name_nb,
            "definition_en": lv.definition_en,
            "definition_nb": lv.definition_nb,
        }
        if isinstance(lv, ProbabilityLevel):
            row["low"] = lv.low
            row["high"] = lv.high
        return row

    return {
        "severity": {"levels": [level(lv) for lv in policy.severity.ordered()]},
        "probability": {
            "basis": policy.probability.basis,
            "basis_en": policy.probability.basis_en,
            "basis_nb": policy.probability.basis_nb,
            "levels": [level(lv) for lv in policy.probability.ordered()],
        },
        "combination_method": policy.combination_method,
        "combination": [
            {"p1": p1, "p2": p2, "p": p} for (p1, p2), p in sorted(policy.combination.items())
        ],
        "matrix": [
            {"severity": s, "p": p, "acceptable": ok}
            for (s, p), ok in sorted(policy.matrix.items())
        ],
        "overall_method_en": policy.overall_method_en,
        "overall_method_nb": policy.overall_method_nb,
        "note_en": policy.note_en,
        "note_nb": policy.note_nb,
    }


def _get(data: Mapping, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected a table, got {type(data).__name__}")
    if key not in data:
        raise ValueError(f"{where}.{key}: missing")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        expected = getattr(kind, "__name__", None) or " or ".join(k.__name__ for k in kind)
        raise ValueError(f"{where}.{key}: expected {expected}, got {value!r}")
    return value


def _number(data: Mapping, key: str, where: str) -> float:
    value = _get(data, key, (int, float), where)
    if isinstance(value, bool):
        raise ValueError(f"{where}.{key}: expected a number, got {value!r}")
    return float(value)


def _levels(data: Mapping, where: str, probability: bool) -> tuple:
    rows = _get(data, "levels", list, where)
    levels = []
    for index, row in enumerate(rows):
        at = f"{where}.levels[{index}]"
        texts = {key: _get(row, key, str, at) for key in _TEXT_KEYS}
        rank = _get(row, "rank", int, at)
        if probability:
            levels.append(
                ProbabilityLevel(
                    rank=rank, low=_number(row, "low", at), high=_number(row, "high", at), **texts
                )
            )
        else:
            levels.append(SeverityLevel(rank=rank, **texts))
    return tuple(levels)


_TEXT_KEYS = ("name_en", "name_nb", "definition_en", "definition_nb")


def policy_from_dict(data: Mapping[str, Any]) -> RiskPolicy:
    """Read the plain form written by `policy_to_dict`.

    A malformed structure (a missing key, a wrong type) raises ValueError naming the field; a
    well-formed but unsound policy (overlapping ranges, a missing cell, ...) is returned as it is,
    for `validate_policy` to report.
    """
    severity = _get(data, "severity", Mapping, "policy")
    probability = _get(data, "probability", Mapping, "policy")
    method = data.get("combination_method", "table")
    if method not in ("table", "product"):
        raise ValueError(f"policy.combination_method: expected table or product, got {method!r}")
    combination_rows = data.get("combination")
    scale = ProbabilityScale(
        levels=_levels(probability, "probability", probability=True),
        basis=_get(probability, "basis", str, "probability"),
        basis_en=_get(probability, "basis_en", str, "probability"),
        basis_nb=_get(probability, "basis_nb", str, "probability"),
    )
    if combination_rows is None and method == "product":
        combination = combine_by_product(scale)
    else:
        combination = {}
        for index, row in enumerate(_get(data, "combination", list, "policy")):
            at = f"combination[{index}]"
            combination[(_get(row, "p1", int, at), _get(row, "p2", int, at))] = _get(
                row, "p", int, at
            )
    matrix = {}
    for index, row in enumerate(_get(data, "matrix", list, "policy")):
        at = f"matrix[{index}]"
        matrix[(_get(row, "severity", int, at), _get(row, "p", int, at))] = _get(
            row, "acceptable", bool, at
        )
    return RiskPolicy(
        severity=SeverityScale(levels=_levels(severity, "severity", probability=False)),
        probability=scale,
        combination=combination,
        matrix=matrix,
        overall_method_en=_get(data, "overall_method_en", str, "policy"),
        overall_method_nb=_get(data, "overall_method_nb", str, "policy"),
        note_en=_get(data, "note_en", str, "policy") if "note_en" in data else "",
        note_nb=_get(data, "note_nb", str, "policy") if "note_nb" in data else "",
        combination_method=method,
    )


def _matrix_from_rows(rows: Mapping[str, str]) -> list[dict[str, Any]]:
    """`{"5" = "A N N N N"}` (one letter per P rank from 1: A acceptable, N not) to entries."""
    cells = []
    for severity, row in rows.items():
        for p, letter in enumerate(row.split(), start=1):
            if letter not in ("A", "N"):
                raise ValueError(f"matrix row {severity}: {letter!r} is neither A nor N")
            cells.append({"severity": int(severity), "p": p, "acceptable": letter == "A"})
    return cells


@cache
def default_policy() -> RiskPolicy:
    """The ready 5 x 5 policy (data/default_policy.toml), P1 x P2 combined by product."""
    text = resources.files(__package__).joinpath("data", "default_policy.toml").read_text("utf-8")
    data = tomllib.loads(text)
    data["matrix"] = _matrix_from_rows(data.pop("matrix_rows"))
    return policy_from_dict(data)
