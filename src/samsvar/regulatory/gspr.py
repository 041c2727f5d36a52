"""MDR/IVDR Annex I general safety and performance requirements (GSPR) as a checklist catalogue.

`catalogue(regime)` lists every numbered requirement of Annex I down to its lettered points
(`data/gspr_mdr.toml`, `data/gspr_ivdr.toml`), with short English and Norwegian titles in our own
words. Pure headings (e.g. MDR "10 Chemical, physical and biological properties") are in the
catalogue to group the checklist but are not assessed themselves.

`completeness(entries)` counts how far a device's GSPR checklist (Annex II Section 4) has come:
each applicable requirement needs a method and evidence, each non-applicable one a justification.
"""

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

REGIMES = ("mdr", "ivdr")
_FILES = {"mdr": "gspr_mdr.toml", "ivdr": "gspr_ivdr.toml"}


@dataclass(frozen=True, kw_only=True)
class Chapter:
    number: str  # "I", "II", "III"
    first: int  # first and last section number in the chapter
    last: int
    title_en: str
    title_nb: str


@dataclass(frozen=True, kw_only=True)
class Requirement:
    key: str  # "mdr-gspr-10.4.1(a)"
    regime: str
    number: str  # "10.4.1(a)"
    chapter: str  # "II"
    section: int  # 10
    parent: str  # "10.4.1"; "" for a top-level section
    heading: bool  # a pure heading, not assessed itself
    title_en: str
    title_nb: str
    confirmed: bool

    @property
    def citation(self) -> str:
        """The citation, e.g. "MDR Annex I Section 10.4.1(a)"."""
        return f"{self.regime.upper()} Annex I Section {self.number}"

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en


@dataclass(frozen=True, kw_only=True)
class ChecklistEntry:
    """One row of a device's GSPR checklist.

    `applicable` is None while undecided. An applicable requirement needs at least one method
    (test, analysis, standard clause ...) and one piece of evidence (a controlled document);
    a non-applicable one needs a justification.
    """

    number: str
    applicable: bool | None = None
    justification: str = ""
    methods: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


def parent_of(number: str) -> str:
    """The parent number: "10.4.1(a)" -> "10.4.1"; "10.4.1" -> "10.4"; "10" -> ""."""
    if "(" in number:
        return number.split("(", 1)[0]
    if "." in number:
        return number.rsplit(".", 1)[0]
    return ""


def section_of(number: str) -> int:
    """The top-level section: "10.4.1(a)" -> 10."""
    return int(number.split("(", 1)[0].split(".", 1)[0])


def _check_regime(regime: str) -> None:
    if regime not in REGIMES:
        raise ValueError(f"unknown regime {regime!r}; expected one of {REGIMES}")


@cache
def _load(regime: str) -> tuple[tuple[Chapter, ...], tuple[Requirement, ...]]:
    text = resources.files("samsvar.regulatory").joinpath("data", _FILES[regime]).read_text("utf-8")
    data = tomllib.loads(text)
    if data.get("regime") != regime:
        raise ValueError(f"{_FILES[regime]} declares regime {data.get('regime')!r}")
    chapters = tuple(Chapter(**row) for row in data["chapters"])

    def chapter_for(section: int) -> str:
        for chapter in chapters:
            if chapter.first <= section <= chapter.last:
                return chapter.number
        raise ValueError(f"{_FILES[regime]}: section {section} is in no chapter")

    requirements = []
    for row in data["requirements"]:
        number = row["number"]
        section = section_of(number)
        requirements.append(
            Requirement(
                key=f"{regime}-gspr-{number}",
                regime=regime,
                number=number,
                chapter=chapter_for(section),
                section=section,
                parent=parent_of(number),
                heading=row.get("heading", False),
                title_en=row["title_en"],
                title_nb=row["title_nb"],
                confirmed=row.get("confirmed", True),
            )
        )
    return chapters, tuple(requirements)


def chapters(regime: str) -> list[Chapter]:
    """The three chapters of Annex I for `regime`."""
    _check_regime(regime)
    return list(_load(regime)[0])


def catalogue(regime: str) -> list[Requirement]:
    """Every Annex I requirement of `regime` ("mdr" or "ivdr"), in Annex order."""
    _check_regime(regime)
    return list(_load(regime)[1])


def assessable(regime: str) -> list[Requirement]:
    """The requirements a checklist row is made for (everything but pure headings)."""
    return [r for r in catalogue(regime) if not r.heading]


def by_number(regime: str) -> dict[str, Requirement]:
    return {r.number: r for r in catalogue(regime)}


def _get(entry: Any, name: str, default: Any) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name, default)
    return getattr(entry, name, default)


def _filled(values: Any) -> bool:
    if isinstance(values, str):
        return bool(values.strip())
    return any(str(v).strip() for v in values if v is not None)


def completeness(
    entries: Iterable[ChecklistEntry | Mapping[str, Any]], *, regime: str | None = None
) -> dict[str, int]:
    """Count the state of a GSPR checklist.

    Entries may be `ChecklistEntry` objects or mappings with the same keys. Returns:

    - total, applicable, not_applicable, undecided
    - not_applicable_justified, missing_justification (non-applicable without a justification)
    - missing_method, missing_evidence (applicable rows without them)
    - complete (applicable with method and evidence, or non-applicable with a justification)
    - with `regime`: not_assessed (assessable requirements with no row) and unknown (rows whose
      number is not an assessable requirement of that regime)
    """
    counts = dict.fromkeys(
        (
            "total",
            "applicable",
            "not_applicable",
            "undecided",
            "not_applicable_justified",
            "missing_justification",
            "missing_method",
            "missing_evidence",
            "complete",
        ),
        0,
    )
    seen: set[str] = set()
    for entry in entries:
        counts["total"] += 1
        seen.add(_get(entry, "number", ""))
        applicable = _get(entry, "applicable", None)
        if applicable is None:
            counts["undecided"] += 1
        elif applicable:
            counts["applicable"] += 1
            has_method = _filled(_get(entry, "methods", ()))
            has_evidence = _filled(_get(entry, "evidence", ()))
            counts["missing_method"] += not has_method
            counts["missing_evidence"] += not has_evidence
            counts["complete"] += has_method and has_evidence
        else:
            counts["not_applicable"] += 1
            if _filled(_get(entry, "justification", "")):
                counts["not_applicable_justified"] += 1
                counts["complete"] += 1
            else:
                counts["missing_justification"] += 1
    if regime is not None:
        numbers = {r.number for r in assessable(regime)}
        counts["not_assessed"] = len(numbers - seen)
        counts["unknown"] = len(seen - numbers)
    return counts
