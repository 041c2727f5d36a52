"""The quality management system as a checklist: EN ISO 13485:2016 clauses 4-8 and the QMS aspects
(a)-(m) of MDR Article 10(9), with the coverage of both by the controlled documents.

- `iso13485_clauses()`: every clause and sub-clause of ISO 13485:2016 clauses 4 to 8, numbers and
  titles only (data: `data/iso13485.toml`; titles in English and our own Norwegian).
- `art10_9_items()`: MDR Art. 10(9)(a)-(m), taken from the Article 10 catalogue
  (`data/art10_mdr.toml`), keyed "mdr:10(9)(a)" and so on.
- `retention_years()`: how long the technical documentation, the declaration and certificates
  are kept after the last device is placed on the market (MDR Art. 10(8), IVDR Art. 10(7)).
- `coverage()`: the quality manual map. Each document number maps to the references it cites;
  the report lists, for each clause and each Art. 10(9) aspect, the documents behind it and the
  gaps.

Coverage rule. A clause is covered when a document cites it directly, or when it has sub-clauses
and every one of them is covered. Citing a clause does not cover its sub-clauses: a quality
manual that cites "7.3" says how design and development is organised, yet 7.3.2 to 7.3.10 each
still need the procedure that carries them out, so a gap under a cited heading stays visible.
The documents listed for a clause are those citing it and those covering its sub-clauses.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from samsvar.regulatory import obligations

STANDARD = "ISO 13485:2016"
MDR_PREFIX = "mdr:"

# MDR Art. 10(8): at least 10 years after the last device is placed on the market, 15 for
# implantable devices. IVDR Art. 10(7): 10 years, no longer period for any device.
RETENTION_YEARS = 10
RETENTION_YEARS_IMPLANTABLE = 15

_ISO_REFERENCE = re.compile(
    r"^(?:iso\s*13485(?::2016)?\s*[:\s]\s*(?:clause\s*)?)?(?P<number>\d+(?:\.\d+)*)\.?$"
)
_MDR_REFERENCE = re.compile(
    r"^(?:mdr\s*[:\-]?\s*(?:art(?:icle)?\.?\s*)?)?10\s*\(\s*9\s*\)\s*\(\s*(?P<letter>[a-m])\s*\)$"
)
_MDR_OBLIGATION_KEY = re.compile(r"^mdr-10-9-(?P<letter>[a-m])$")


@dataclass(frozen=True, kw_only=True)
class Clause:
    """One clause or sub-clause of ISO 13485:2016 (number and title, never the text)."""

    number: str  # "7.5.9.1"
    title_en: str
    title_nb: str
    level: int  # 1 for "7", 2 for "7.5", ...
    parent: str  # "7.5.9"; "" for a main clause

    @property
    def citation(self) -> str:
        return f"{STANDARD} {self.number}"

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en


@dataclass(frozen=True, kw_only=True)
class QmsAspect:
    """One aspect the manufacturer's QMS must address under MDR Art. 10(9) (a)-(m)."""

    key: str  # "mdr:10(9)(a)"
    letter: str  # "a"
    paragraph: str  # "10(9)(a)"
    title_en: str
    title_nb: str
    summary_en: str
    summary_nb: str

    @property
    def citation(self) -> str:
        return f"MDR Art. {self.paragraph}"

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en


def _sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


@cache
def _clauses() -> tuple[Clause, ...]:
    text = resources.files("samsvar.regulatory").joinpath("data", "iso13485.toml")
    rows = tomllib.loads(text.read_text("utf-8"))["clause"]
    clauses = tuple(
        Clause(
            number=row["number"],
            title_en=row["title_en"],
            title_nb=row["title_nb"],
            level=row["number"].count(".") + 1,
            parent=row["number"].rpartition(".")[0],
        )
        for row in rows
    )
    numbers = [c.number for c in clauses]
    if numbers != sorted(numbers, key=_sort_key) or len(set(numbers)) != len(numbers):
        raise ValueError("iso13485.toml: clauses must be unique and in the order of the standard")
    known = set(numbers)
    orphans = [c.number for c in clauses if c.parent and c.parent not in known]
    if orphans:
        raise ValueError(f"iso13485.toml: clauses without their parent: {orphans}")
    return clauses


@cache
def _by_number() -> dict[str, Clause]:
    return {c.number: c for c in _clauses()}


@cache
def _children() -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = {c.number: [] for c in _clauses()}
    for c in _clauses():
        if c.parent:
            children[c.parent].append(c.number)
    return {number: tuple(kids) for number, kids in children.items()}


def iso13485_clauses() -> tuple[Clause, ...]:
    """Every clause and sub-clause of ISO 13485:2016 clauses 4 to 8, in the standard's order."""
    return _clauses()


def clause(number: str) -> Clause:
    """The clause with `number` ("4.2.4"); KeyError for a number the standard does not have."""
    key = normalise_reference(number)
    if key is None or key not in _by_number():
        raise KeyError(f"ISO 13485:2016 has no clause {number!r}")
    return _by_number()[key]


def sub_clauses(number: str) -> tuple[Clause, ...]:
    """The direct sub-clauses of clause `number`, in order (empty for a clause without any)."""
    return tuple(_by_number()[n] for n in _children()[clause(number).number])


@cache
def art10_9_items() -> tuple[QmsAspect, ...]:
    """MDR Art. 10(9)(a)-(m): what the manufacturer's QMS must address at least."""
    items = []
    for item in obligations.catalogue("mdr"):
        if item.parent != "mdr-10-9":
            continue
        letter = item.key.rsplit("-", 1)[1]
        items.append(
            QmsAspect(
                key=f"{MDR_PREFIX}{item.paragraph}",
                letter=letter,
                paragraph=item.paragraph,
                title_en=item.title_en,
                title_nb=item.title_nb,
                summary_en=item.summary_en,
                summary_nb=item.summary_nb,
            )
        )
    return tuple(items)


def retention_years(*, implantable: bool, regime: str = "mdr") -> int:
    """Minimum years to keep the technical documentation, the EU declaration of conformity and
    the certificates after the last device is placed on the market: MDR Art. 10(8) (15 years for
    implantable devices), IVDR Art. 10(7) (always 10)."""
    if regime not in obligations.REGIMES:
        raise ValueError(f"unknown regime {regime!r}; expected one of {obligations.REGIMES}")
    if implantable and regime == "mdr":
        return RETENTION_YEARS_IMPLANTABLE
    return RETENTION_YEARS


def retention_end(last_placed_on_market: date, *, implantable: bool, regime: str = "mdr") -> date:
    """The first day the documentation may be disposed of (29 February moves to 28 February)."""
    years = retention_years(implantable=implantable, regime=regime)
    try:
        return last_placed_on_market.replace(year=last_placed_on_market.year + years)
    except ValueError:
        return last_placed_on_market.replace(year=last_placed_on_market.year + years, day=28)


def normalise_reference(reference: str) -> str | None:
    """The canonical key of a cited reference, or None if it is neither an ISO 13485 clause
    number nor an MDR Art. 10(9) aspect.

    "4.2.4", "ISO 13485:2016 4.2.4" and "iso13485:4.2.4" give "4.2.4" (whether or not the
    standard has that clause); "mdr:10(9)(a)", "MDR Art. 10(9)(a)" and the Article 10 catalogue
    key "mdr-10-9-a" give "mdr:10(9)(a)".
    """
    text = " ".join(str(reference).split()).lower()
    if match := _ISO_REFERENCE.match(text):
        return ".".join(str(int(part)) for part in match.group("number").split("."))
    if match := _MDR_REFERENCE.match(text) or _MDR_OBLIGATION_KEY.match(text):
        return f"{MDR_PREFIX}10(9)({match.group('letter')})"
    return None


DIRECT = "direct"
SUB_CLAUSES = "sub_clauses"
GAP = "gap"


@dataclass(frozen=True, kw_only=True)
class CoverageRow:
    """One clause or aspect of the quality manual map and the documents behind it."""

    key: str  # "4.2.4" or "mdr:10(9)(a)"
    citation: str
    title_en: str
    title_nb: str
    level: int
    parent: str
    direct: tuple[str, ...]  # documents citing this clause itself
    documents: tuple[str, ...]  # direct ones and those covering its sub-clauses
    status: str  # DIRECT | SUB_CLAUSES | GAP

    @property
    def covered(self) -> bool:
        return self.status != GAP

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en


@dataclass(frozen=True, kw_only=True)
class CoverageReport:
    """The quality manual map: ISO 13485 clauses and MDR Art. 10(9) aspects against documents."""

    clauses: tuple[CoverageRow, ...]
    mdr_items: tuple[CoverageRow, ...]
    # Per document, cited ISO 13485 clause numbers the standard does not have (typing errors).
    unknown: Mapping[str, tuple[str, ...]]

    @property
    def gaps(self) -> tuple[str, ...]:
        """Clause numbers nothing covers, in the standard's order (a heading counts when any of
        its sub-clauses is a gap and no document cites the heading itself)."""
        return tuple(row.key for row in self.clauses if not row.covered)

    @property
    def mdr_gaps(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.mdr_items if not row.covered)

    @property
    def covered_count(self) -> int:
        return sum(row.covered for row in self.clauses)

    @property
    def mdr_covered_count(self) -> int:
        return sum(row.covered for row in self.mdr_items)

    def row(self, key: str) -> CoverageRow:
        wanted = normalise_reference(key) or key
        for row in (*self.clauses, *self.mdr_items):
            if row.key == wanted:
                return row
        raise KeyError(key)


def _ordered(documents: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(documents)))


def coverage(doc_clauses: Mapping[str, Iterable[str]]) -> CoverageReport:
    """Which ISO 13485 clauses and MDR Art. 10(9) aspects the documents cover, and the gaps.

    `doc_clauses` maps a document number ("SOP-007") to the references it cites, in any of the
    spellings `normalise_reference` accepts. References to other articles or standards are
    ignored; ISO 13485 clause numbers that do not exist are reported in `unknown`.
    """
    cited: dict[str, set[str]] = {}
    unknown: dict[str, list[str]] = {}
    clause_numbers = _by_number()
    aspect_keys = {item.key for item in art10_9_items()}
    for document, references in doc_clauses.items():
        for reference in references:
            key = normalise_reference(reference)
            if key is None:
                continue
            if key in clause_numbers or key in aspect_keys:
                cited.setdefault(key, set()).add(document)
            elif not key.startswith(MDR_PREFIX):
                unknown.setdefault(document, []).append(str(reference))

    # Children before parents: walk the catalogue backwards.
    documents: dict[str, set[str]] = {}
    covered: dict[str, str] = {}
    for c in reversed(_clauses()):
        kids = _children()[c.number]
        direct = cited.get(c.number, set())
        documents[c.number] = set(direct).union(*(documents[k] for k in kids))
        if direct:
            covered[c.number] = DIRECT
        elif kids and all(covered[k] != GAP for k in kids):
            covered[c.number] = SUB_CLAUSES
        else:
            covered[c.number] = GAP

    clause_rows = tuple(
        CoverageRow(
            key=c.number,
            citation=c.citation,
            title_en=c.title_en,
            title_nb=c.title_nb,
            level=c.level,
            parent=c.parent,
            direct=_ordered(cited.get(c.number, ())),
            documents=_ordered(documents[c.number]),
            status=covered[c.number],
        )
        for c in _clauses()
    )
    mdr_rows = tuple(
        CoverageRow(
            key=item.key,
            citation=item.citation,
            title_en=item.title_en,
            title_nb=item.title_nb,
            level=1,
            parent="",
            direct=_ordered(cited.get(item.key, ())),
            documents=_ordered(cited.get(item.key, ())),
            status=DIRECT if cited.get(item.key) else GAP,
        )
        for item in art10_9_items()
    )
    return CoverageReport(
        clauses=clause_rows,
        mdr_items=mdr_rows,
        unknown={doc: tuple(refs) for doc, refs in unknown.items()},
    )
