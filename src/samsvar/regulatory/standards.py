"""Harmonised standards and common specifications: the register seed and edition warnings.

`catalogue()` lists the standard editions the register knows (`data/standards.toml`): number,
edition year, amendments, official English title, whether the edition is harmonised under the MDR
and/or IVDR and by which Commission Implementing Decision, and whether a newer edition has
superseded it, with the end of its transition period where known. Numbers and titles only: the
standards themselves are copyrighted.

`edition_warnings(applied, today)` checks the editions a manufacturer applies against the register:
superseded editions, transition periods that have ended or end within 180 days, and harmonised
amendments that are missing from the applied edition.
"""

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

HARMONISED = ("mdr", "ivdr", "both", "none", "unknown")
STATUSES = ("current", "superseded")
WINDOW_DAYS = 180

# Warning kinds.
SUPERSEDED = "superseded"
TRANSITION_ENDED = "transition_ended"
TRANSITION_ENDING = "transition_ending"
AMENDMENT_MISSING = "amendment_missing"
OLDER_THAN_CATALOGUE = "older_than_catalogue"
NEWER_THAN_CATALOGUE = "newer_than_catalogue"
UNKNOWN_STANDARD = "unknown_standard"


@dataclass(frozen=True, kw_only=True)
class Standard:
    """One edition of a standard, with its amendments."""

    key: str  # "en-iso-14971-2019"
    number: str  # "EN ISO 14971"
    year: int  # 2019
    amendments: tuple[str, ...]  # ("A11:2021",)
    identical_to: str  # "ISO 14971:2019"
    title_en: str
    topic_nb: str  # our own short Norwegian description, not an official title
    harmonised: str  # "mdr" | "ivdr" | "both" | "none" | "unknown"
    decision_mdr: str  # "(EU) 2022/757" or ""
    decision_ivdr: str
    status: str  # "current" | "superseded"
    superseded_by: str  # key of the newer edition, or ""
    transition_end: date | None
    confirmed: bool
    note: str = ""

    @property
    def label(self) -> str:
        """The edition as usually written, e.g. "EN ISO 14971:2019+A11:2021"."""
        return f"{self.number}:{self.year}" + "".join(f"+{a}" for a in self.amendments)

    def harmonised_under(self, regime: str) -> bool:
        return self.harmonised in (regime, "both")


@dataclass(frozen=True, kw_only=True)
class CommonSpecification:
    key: str
    reference: str  # "Commission Implementing Regulation (EU) 2022/1107"
    title_en: str
    topic_nb: str
    regime: str  # "mdr" | "ivdr"
    applies_from: date | None
    amended_by: tuple[str, ...]
    confirmed: bool
    note: str = ""


@dataclass(frozen=True)
class AppliedEdition:
    """An edition a manufacturer declares it applies, e.g. ("EN ISO 14971", 2019, ("A11:2021",))."""

    number: str
    year: int
    amendments: tuple[str, ...] = ()

    @classmethod
    def parse(cls, label: str) -> "AppliedEdition":
        """Read "EN ISO 14971:2019+A11:2021" or "EN ISO 14971:2019/A11:2021"."""
        head, *rest = re.split(r"\s*[+/]\s*(?=A(?:C|\d))", label.strip())
        number, sep, year = head.rpartition(":")
        if not sep or not year.strip().isdigit():
            raise ValueError(f"cannot read an edition year in {label!r}")
        return cls(number.strip(), int(year), tuple(a.strip() for a in rest))

    @property
    def label(self) -> str:
        return f"{self.number}:{self.year}" + "".join(f"+{a}" for a in self.amendments)


@dataclass(frozen=True, kw_only=True)
class Warning:
    kind: str
    severity: str  # "error" | "warning" | "info"
    applied: str  # label of the applied edition
    standard_key: str  # catalogue key of the matching edition, "" if none
    replacement: str  # label of the newer edition, "" if none
    transition_end: date | None
    days_left: int | None  # negative once the transition has ended
    confirmed: bool  # False when the catalogue data behind the warning is unconfirmed
    message_en: str
    message_nb: str

    def message(self, language: str) -> str:
        return self.message_nb if language.startswith("nb") else self.message_en


def normalise_number(number: str) -> str:
    """Compare numbers loosely: "en iso  14971" -> "EN ISO 14971"."""
    return " ".join(number.upper().split())


def _amendment(a: str) -> str:
    return a.strip().lstrip("+/").strip().upper()


@cache
def _load() -> tuple[tuple[Standard, ...], tuple[CommonSpecification, ...]]:
    text = (
        resources.files("samsvar.regulatory").joinpath("data", "standards.toml").read_text("utf-8")
    )
    data = tomllib.loads(text)
    standards = tuple(
        Standard(
            key=row["key"],
            number=row["number"],
            year=row["year"],
            amendments=tuple(row.get("amendments", ())),
            identical_to=row.get("identical_to", ""),
            title_en=row["title_en"],
            topic_nb=row["topic_nb"],
            harmonised=row["harmonised"],
            decision_mdr=row.get("decision_mdr", ""),
            decision_ivdr=row.get("decision_ivdr", ""),
            status=row.get("status", "current"),
            superseded_by=row.get("superseded_by", ""),
            transition_end=row.get("transition_end"),
            confirmed=row.get("confirmed", True),
            note=row.get("note", ""),
        )
        for row in data["standard"]
    )
    specs = tuple(
        CommonSpecification(
            key=row["key"],
            reference=row["reference"],
            title_en=row["title_en"],
            topic_nb=row["topic_nb"],
            regime=row["regime"],
            applies_from=row.get("applies_from"),
            amended_by=tuple(row.get("amended_by", ())),
            confirmed=row.get("confirmed", True),
            note=row.get("note", ""),
        )
        for row in data["common_specification"]
    )
    return standards, specs


def catalogue() -> list[Standard]:
    """Every standard edition in the register seed."""
    return list(_load()[0])


def common_specifications() -> list[CommonSpecification]:
    """The common specifications adopted under the MDR and the IVDR."""
    return list(_load()[1])


def harmonised(regime: str) -> list[Standard]:
    """Current editions harmonised under `regime` ("mdr" or "ivdr")."""
    return [s for s in catalogue() if s.status == "current" and s.harmonised_under(regime)]


def _warning(kind: str, severity: str, applied: AppliedEdition, std: Standard | None, **kw):
    return Warning(
        kind=kind,
        severity=severity,
        applied=applied.label,
        standard_key=std.key if std else "",
        replacement=kw.pop("replacement", ""),
        transition_end=kw.pop("transition_end", None),
        days_left=kw.pop("days_left", None),
        confirmed=std.confirmed if std else True,
        **kw,
    )


def edition_warnings(
    applied: Iterable[AppliedEdition],
    today: date,
    *,
    window_days: int = WINDOW_DAYS,
    register: Iterable[Standard] | None = None,
) -> list[Warning]:
    """Warnings for the `applied` editions on `today`. An empty list means nothing to act on.

    - superseded: the register knows a newer edition;
    - transition_ended: the edition's transition period ended before `today`;
    - transition_ending: it ends within `window_days` (180 by default);
    - amendment_missing: the register's edition has amendments (not corrigenda) that the
      applied one lacks;
    - older_than_catalogue / newer_than_catalogue / unknown_standard: the applied edition is not in
      the register (info, or a warning when a newer edition is known).
    `register` replaces the built-in catalogue (for tests and for a manufacturer's own additions).
    """
    entries = list(register) if register is not None else catalogue()
    by_key = {s.key: s for s in entries}
    by_number: dict[str, list[Standard]] = {}
    for s in entries:
        by_number.setdefault(normalise_number(s.number), []).append(s)

    warnings: list[Warning] = []
    for edition in applied:
        known = by_number.get(normalise_number(edition.number), [])
        if not known:
            warnings.append(
                _warning(
                    UNKNOWN_STANDARD,
                    "info",
                    edition,
                    None,
                    message_en=f"{edition.label} is not in the standards register.",
                    message_nb=f"{edition.label} finnes ikke i standardregisteret.",
                )
            )
            continue
        same_year = [s for s in known if s.year == edition.year]
        if not same_year:
            current = [s for s in known if s.status == "current"] or known
            newest = max(current, key=lambda s: s.year)
            if edition.year < newest.year:
                warnings.append(
                    _warning(
                        OLDER_THAN_CATALOGUE,
                        "warning",
                        edition,
                        newest,
                        replacement=newest.label,
                        message_en=f"{edition.label} is older than {newest.label}, the edition "
                        "in the register.",
                        message_nb=f"{edition.label} er eldre enn {newest.label}, som er "
                        "utgaven i registeret.",
                    )
                )
            else:
                warnings.append(
                    _warning(
                        NEWER_THAN_CATALOGUE,
                        "info",
                        edition,
                        newest,
                        message_en=f"{edition.label} is newer than any edition in the register "
                        f"({newest.label}); check its harmonisation status.",
                        message_nb=f"{edition.label} er nyere enn alle utgavene i registeret "
                        f"({newest.label}); kontroller om den er harmonisert.",
                    )
                )
            continue
        std = same_year[0]
        if std.status == "superseded":
            newer = by_key.get(std.superseded_by)
            replacement = newer.label if newer else ""
            warnings.append(
                _warning(
                    SUPERSEDED,
                    "warning",
                    edition,
                    std,
                    replacement=replacement,
                    transition_end=std.transition_end,
                    message_en=f"{edition.label} is superseded"
                    + (f" by {replacement}." if replacement else "."),
                    message_nb=f"{edition.label} er erstattet"
                    + (f" av {replacement}." if replacement else "."),
                )
            )
        if std.transition_end is not None:
            days_left = (std.transition_end - today).days
            end = std.transition_end.isoformat()
            if days_left < 0:
                warnings.append(
                    _warning(
                        TRANSITION_ENDED,
                        "error",
                        edition,
                        std,
                        transition_end=std.transition_end,
                        days_left=days_left,
                        message_en=f"The transition period for {edition.label} ended on {end}.",
                        message_nb=f"Overgangsperioden for {edition.label} utløp {end}.",
                    )
                )
            elif days_left <= window_days:
                warnings.append(
                    _warning(
                        TRANSITION_ENDING,
                        "warning",
                        edition,
                        std,
                        transition_end=std.transition_end,
                        days_left=days_left,
                        message_en=f"The transition period for {edition.label} ends on {end}, "
                        f"in {days_left} days.",
                        message_nb=f"Overgangsperioden for {edition.label} utløper {end}, om "
                        f"{days_left} dager.",
                    )
                )
        have = {_amendment(a) for a in edition.amendments}
        missing = [
            a
            for a in std.amendments
            if not _amendment(a).startswith("AC") and _amendment(a) not in have
        ]
        if missing:
            listed = ", ".join(missing)
            warnings.append(
                _warning(
                    AMENDMENT_MISSING,
                    "warning",
                    edition,
                    std,
                    replacement=std.label,
                    message_en=f"{edition.label} lacks {listed}; the register lists {std.label}.",
                    message_nb=f"{edition.label} mangler {listed}; registeret har {std.label}.",
                )
            )
    return warnings
