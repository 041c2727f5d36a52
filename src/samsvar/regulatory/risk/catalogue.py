"""Built-in catalogues for risk analysis (ISO 14971:2019 5.3 and 5.4), English and Norwegian.

- Hazard categories (`data/hazards.toml`): four groups after the grouping of ISO 14971 Annex C
  (energy; biological and chemical; operational; information), each with keyed sub-categories
  ("energy.electrical") and typical example hazards. A hazard record stores the key of the
  category it belongs to.
- Safety-characteristic questions (`data/safety_topics.toml`): the topics of the question list in
  ISO/TR 24971:2020 Annex A, each with a stable key, a sequence number that orders the
  questionnaire (not a clause number: the report's numbering is not confirmed here), a question in
  our own words and the hazard categories a "yes" typically raises. The usability topic has keyed
  sub-questions ("usability.control_interface").

Both files are read once and checked on load: unique keys, well-formed keys, both languages
present for every text, sequence numbers in order, hazard category references that resolve. A
fault raises `CatalogueError` naming the entry and the field. Titles, descriptions and questions
are our own words, not text of the standards.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from .policy import _text

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


class CatalogueError(ValueError):
    """A catalogue file that breaks the rules above; the message names the entry and field."""


@dataclass(frozen=True, kw_only=True)
class HazardExample:
    """A typical hazard of a category, as a short phrase."""

    en: str
    nb: str

    def text(self, language: str = "en") -> str:
        return _text(self.en, self.nb, language)


@dataclass(frozen=True, kw_only=True)
class HazardCategory:
    """A hazard group ("energy") or one of its sub-categories ("energy.electrical").

    `group` is the key of the group (the key itself for a group); a group holds its
    sub-categories, a sub-category its example hazards.
    """

    key: str
    group: str
    title_en: str
    title_nb: str
    description_en: str
    description_nb: str
    examples: tuple[HazardExample, ...] = ()
    subcategories: tuple[HazardCategory, ...] = ()

    @property
    def is_group(self) -> bool:
        return self.key == self.group

    def title(self, language: str = "en") -> str:
        return _text(self.title_en, self.title_nb, language)

    def description(self, language: str = "en") -> str:
        return _text(self.description_en, self.description_nb, language)


@dataclass(frozen=True, kw_only=True)
class SafetyTopic:
    """A question about a characteristic related to safety (ISO 14971:2019 5.3).

    `sequence` orders the questionnaire (within the parent for a sub-question); `parent` is the
    key of the topic a sub-question belongs to, empty for a topic. `hazard_categories` are the
    category keys a "yes" typically raises.
    """

    key: str
    sequence: int
    parent: str
    title_en: str
    title_nb: str
    question_en: str
    question_nb: str
    hazard_categories: tuple[str, ...] = ()
    subtopics: tuple[SafetyTopic, ...] = ()
    # (29,) for a topic, (29, 3) for its third sub-question: the questionnaire order. Given on
    # load; a topic built by hand without it is placed by its own sequence number.
    position: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.position:
            object.__setattr__(self, "position", (self.sequence,))

    def title(self, language: str = "en") -> str:
        return _text(self.title_en, self.title_nb, language)

    def question(self, language: str = "en") -> str:
        return _text(self.question_en, self.question_nb, language)


# ---------------------------------------------------------------------------------------------
# Reading and checking the files.


def _fields(
    entry: object, where: str, texts: Sequence[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """The entry as a dict after checking that it is a table with exactly the known fields and
    that every text field is a non-empty string."""
    if not isinstance(entry, Mapping):
        raise CatalogueError(f"{where}: expected a table, got {type(entry).__name__}")
    key = entry.get("key")
    if isinstance(key, str) and key.strip():
        where = f"{where} ({key})"
    known = {"key", *texts, *optional}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise CatalogueError(f"{where}: unknown field {unknown[0]!r}")
    for name in ("key", *texts):
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f"{where}: {name} is missing or empty")
    return dict(entry)


def _list(entry: Mapping, name: str, where: str) -> list:
    value = entry.get(name, [])
    if not isinstance(value, list):
        raise CatalogueError(f"{where}: {name} must be a list, got {type(value).__name__}")
    return value


def _child_key(key: str, parent: str, where: str) -> None:
    prefix, dot, name = key.partition(".")
    if prefix != parent or not dot or not _NAME.match(name):
        raise CatalogueError(
            f"{where}: key {key!r} must be {parent!r}, a dot and a lower-case name"
        )


def _unique(key: str, seen: set[str], where: str) -> None:
    if key in seen:
        raise CatalogueError(f"{where}: duplicate key {key!r}")
    seen.add(key)


def _sequence(entry: Mapping, expected: int, where: str) -> int:
    value = entry.get("sequence")
    if not isinstance(value, int) or isinstance(value, bool) or value != expected:
        raise CatalogueError(
            f"{where}: sequence must be {expected} (entries in order), got {value!r}"
        )
    return value


_TITLED = ("title_en", "title_nb", "description_en", "description_nb")


def parse_hazard_categories(data: Mapping[str, Any]) -> tuple[HazardCategory, ...]:
    """The hazard groups of a parsed hazards file, checked (see the module docstring)."""
    groups = []
    seen: set[str] = set()
    for g, row in enumerate(_list(data, "group", "hazards")):
        where = f"hazards: group[{g}]"
        row = _fields(row, where, _TITLED, optional=("category",))
        key = row["key"]
        where = f"{where} ({key})"
        if not _NAME.match(key):
            raise CatalogueError(f"{where}: key {key!r} must be a lower-case name")
        _unique(key, seen, where)
        categories = []
        for c, sub in enumerate(_list(row, "category", where)):
            at = f"{where}.category[{c}]"
            sub = _fields(sub, at, _TITLED, optional=("examples",))
            at = f"{at} ({sub['key']})"
            _child_key(sub["key"], key, at)
            _unique(sub["key"], seen, at)
            examples = []
            for e, example in enumerate(_list(sub, "examples", at)):
                example_at = f"{at}.examples[{e}]"
                if not isinstance(example, Mapping) or set(example) != {"en", "nb"}:
                    raise CatalogueError(f"{example_at}: expected a table with en and nb")
                if not all(
                    isinstance(example[lang], str) and example[lang].strip()
                    for lang in ("en", "nb")
                ):
                    raise CatalogueError(f"{example_at}: en and nb must both be non-empty text")
                examples.append(HazardExample(en=example["en"], nb=example["nb"]))
            if not examples:
                raise CatalogueError(f"{at}: examples is missing or empty")
            categories.append(
                HazardCategory(
                    group=key,
                    examples=tuple(examples),
                    **{name: sub[name] for name in ("key", *_TITLED)},
                )
            )
        if not categories:
            raise CatalogueError(f"{where}: has no category")
        groups.append(
            HazardCategory(
                group=key,
                subcategories=tuple(categories),
                **{name: row[name] for name in ("key", *_TITLED)},
            )
        )
    if not groups:
        raise CatalogueError("hazards: the file has no group")
    return tuple(groups)


_ASKED = ("title_en", "title_nb", "question_en", "question_nb")


def _topic(
    row: object,
    where: str,
    position: tuple[int, ...],
    parent: str,
    known: frozenset[str],
    seen: set[str],
) -> SafetyTopic:
    """One topic (or, with `parent`, one sub-question) at `position` in the questionnaire."""
    optional = ("sequence", "hazard_categories", *(() if parent else ("subtopic",)))
    row = _fields(row, where, _ASKED, optional=optional)
    key = row["key"]
    where = f"{where} ({key})"
    if parent:
        _child_key(key, parent, where)
    elif not _NAME.match(key):
        raise CatalogueError(f"{where}: key {key!r} must be a lower-case name")
    _unique(key, seen, where)
    sequence = _sequence(row, position[-1], where)
    categories = _list(row, "hazard_categories", where)
    for category in categories:
        if not isinstance(category, str) or category not in known:
            raise CatalogueError(f"{where}: hazard category {category!r} is not in the catalogue")
    subtopics = tuple(
        _topic(sub, f"{where}.subtopic[{s}]", (*position, s + 1), key, known, seen)
        for s, sub in enumerate(_list(row, "subtopic", where))
    )
    return SafetyTopic(
        key=key,
        sequence=sequence,
        parent=parent,
        hazard_categories=tuple(categories),
        subtopics=subtopics,
        position=position,
        **{name: row[name] for name in _ASKED},
    )


def parse_safety_topics(
    data: Mapping[str, Any], *, hazard_keys: Iterable[str]
) -> tuple[SafetyTopic, ...]:
    """The topics of a parsed safety-topics file, checked against the hazard category keys."""
    known = frozenset(hazard_keys)
    seen: set[str] = set()
    topics = tuple(
        _topic(row, f"safety topics: topic[{t}]", (t + 1,), "", known, seen)
        for t, row in enumerate(_list(data, "topic", "safety topics"))
    )
    if not topics:
        raise CatalogueError("safety topics: the file has no topic")
    return topics


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{name}: {error}") from None


def _flatten(items: Iterable, children: str) -> tuple:
    out = []
    for item in items:
        out.append(item)
        out.extend(getattr(item, children))
    return tuple(out)


@cache
def _hazards() -> tuple[tuple[HazardCategory, ...], Mapping[str, HazardCategory]]:
    groups = parse_hazard_categories(_read("hazards.toml"))
    every = _flatten(groups, "subcategories")
    return groups, MappingProxyType({item.key: item for item in every})


@cache
def _topics() -> tuple[tuple[SafetyTopic, ...], Mapping[str, SafetyTopic]]:
    topics = parse_safety_topics(_read("safety_topics.toml"), hazard_keys=_hazards()[1])
    every = _flatten(topics, "subtopics")
    return topics, MappingProxyType({item.key: item for item in every})


# ---------------------------------------------------------------------------------------------
# The catalogues.


def hazard_categories() -> tuple[HazardCategory, ...]:
    """The four hazard groups in catalogue order, each with its sub-categories."""
    return _hazards()[0]


def all_hazard_categories() -> tuple[HazardCategory, ...]:
    """Every group followed by its sub-categories: the choices for a hazard's category."""
    return tuple(_hazards()[1].values())


def hazard_category(key: str) -> HazardCategory:
    """The group or sub-category with this key; KeyError naming the key otherwise."""
    try:
        return _hazards()[1][key]
    except (KeyError, TypeError):
        groups = ", ".join(group.key for group in hazard_categories())
        raise KeyError(
            f"no hazard category with key {key!r} (keys are a group - {groups} - or "
            "a group, a dot and a sub-category, such as 'energy.electrical')"
        ) from None


def category_title(key: str, language: str = "en") -> str:
    """The title of a hazard category for display: the key itself when it is not in the
    catalogue (a record made before the catalogue changed), "" for no key."""
    if not key:
        return ""
    try:
        return hazard_category(key).title(language)
    except KeyError:
        return key


def safety_topics() -> tuple[SafetyTopic, ...]:
    """The safety-characteristic topics in questionnaire order, each with its sub-questions."""
    return _topics()[0]


def all_safety_topics() -> tuple[SafetyTopic, ...]:
    """Every topic followed by its sub-questions: the questions of a complete questionnaire."""
    return tuple(_topics()[1].values())


def safety_topic(key: str) -> SafetyTopic:
    """The topic or sub-question with this key; KeyError naming the key otherwise."""
    try:
        return _topics()[1][key]
    except (KeyError, TypeError):
        raise KeyError(
            f"no safety-characteristic topic with key {key!r} (a topic such as 'implanted' "
            "or a sub-question such as 'usability.control_interface')"
        ) from None
