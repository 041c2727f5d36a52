"""What the MDR and IVDR engines share: results, profile validation, data files, the wizard.

A device profile is a flat JSON object of answers. Its vocabulary, types and closed values live in
the JSON Schema beside this module (`profile_<regime>.schema.json`, draft 2020-12); the questions
that collect the answers, in English and Norwegian Bokmål, live in `questions_<regime>.toml`.

The validator here reads the same schema file but implements only the small part of JSON Schema
that the two schemas use (see `SUPPORTED_KEYWORDS`), so the package needs no third-party library
at run time. The tests check it against the `jsonschema` package on generated profiles.
"""

from __future__ import annotations

import copy
import difflib
import json
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

REGIMES = ("mdr", "ivdr")

# Lowest class first.
CLASS_ORDER = {
    "mdr": ("I", "IIa", "IIb", "III"),
    "ivdr": ("A", "B", "C", "D"),
}

# The JSON Schema keywords `validate` understands. A schema file using any other keyword is a bug
# (tests/regulatory/test_schemas.py walks both files).
SUPPORTED_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "type",
        "properties",
        "additionalProperties",
        "required",
        "enum",
        "const",
        "items",
        "uniqueItems",
        "allOf",
        "if",
        "then",
    }
)


class ProfileError(ValueError):
    """A device profile the engine cannot read; `attribute` names the answer at fault."""

    def __init__(self, message: str, attribute: str | None = None):
        super().__init__(message)
        self.attribute = attribute


@dataclass(frozen=True)
class RuleHit:
    """One classification rule, or one sub-rule, that applies to the device.

    `triggers` are the answers whose presence made this sub-rule fire with its class, as
    (attribute, value) pairs; value None means the whole answer (a flag or a single choice), a
    value means that one entry of a list answer. Answers that can only lower a class (such as
    "reusable surgical instrument" in Rule 6) are never triggers.
    """

    rule: str
    sub: str
    device_class: str
    reason: str
    triggers: tuple[tuple[str, str | None], ...] = ()

    @property
    def label(self) -> str:
        """'Rule 8, second indent', 'Rule 3(k)', or just 'Rule 13'."""
        if not self.sub:
            return self.rule
        if self.sub.startswith("("):
            return f"{self.rule}{self.sub}"
        return f"{self.rule}, {self.sub}"


@dataclass(frozen=True)
class Classification:
    """The class of a device and the rules behind it.

    `special` holds the MDR class I variants of Article 52(7) ('sterile', 'measuring',
    'reusable_surgical') or, under the IVDR, 'sterile' for a class A device placed on the market
    sterile (Article 48(10)). `notes` explains answers that were read but changed nothing.
    """

    regime: str
    device_class: str
    special: tuple[str, ...]
    rules: tuple[RuleHit, ...]
    decided_by: str
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.device_class,
            "special": list(self.special),
            "rules": [
                {"rule": hit.rule, "sub": hit.sub, "class": hit.device_class, "reason": hit.reason}
                for hit in self.rules
            ],
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True)
class Choice:
    value: str
    text_en: str
    text_nb: str


@dataclass(frozen=True)
class Question:
    """One wizard question: it fills the profile attribute of the same name.

    kind: 'bool' (yes/no), 'choice' (one value), 'multi' (a list of values, possibly empty) or
    'class' (a device class, with 'none' where the answer may be "no such device").
    """

    attribute: str
    kind: str
    choices: tuple[Choice, ...]
    text_en: str
    text_nb: str
    rules: tuple[str, ...]
    help_en: str = ""
    help_nb: str = ""


def check_regime(regime: str) -> str:
    name = str(regime).strip().lower()
    if name not in REGIMES:
        raise ValueError(f"unknown regime {regime!r}: use one of {', '.join(REGIMES)}")
    return name


# ---- data files -------------------------------------------------------------------------------


def _data_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _schema(regime: str) -> dict[str, Any]:
    return json.loads(_data_text(f"profile_{regime}.schema.json"))


def load_schema(regime: str) -> dict[str, Any]:
    """A copy of the regime's profile schema (callers may change it freely)."""
    return copy.deepcopy(_schema(check_regime(regime)))


@cache
def _questions(regime: str) -> tuple[Question, ...]:
    data = tomllib.loads(_data_text(f"questions_{regime}.toml"))
    questions = []
    for entry in data["question"]:
        choices = tuple(
            Choice(value=c["value"], text_en=c["en"], text_nb=c["nb"])
            for c in entry.get("choice", ())
        )
        questions.append(
            Question(
                attribute=entry["attribute"],
                kind=entry["kind"],
                choices=choices,
                text_en=" ".join(entry["text_en"].split()),
                text_nb=" ".join(entry["text_nb"].split()),
                rules=tuple(entry["rules"]),
                help_en=" ".join(entry.get("help_en", "").split()),
                help_nb=" ".join(entry.get("help_nb", "").split()),
            )
        )
    return tuple(questions)


def relevant_questions(
    regime: str, answers: Mapping[str, Any], relevant: Mapping[str, Callable[[Mapping], bool]]
) -> list[Question]:
    validate(answers, _schema(regime), partial=True)
    return [q for q in _questions(regime) if relevant[q.attribute](answers)]


# ---- validation -------------------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as the user wrote it: 'text' in single quotes, anything else as JSON."""
    if isinstance(value, str):
        return repr(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _type_ok(value: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else expected
    return any(_TYPES[name](value) for name in names)


def _check_value(name: str, value: Any, rules: Mapping[str, Any]) -> None:
    enum = rules.get("enum")
    if "type" in rules and not _type_ok(value, rules["type"]):
        if enum is not None:
            raise ProfileError(f"{name}: {show(value)} is not one of {', '.join(enum)}", name)
        expected = rules["type"]
        if expected == "boolean":
            raise ProfileError(f"{name}: {show(value)} is not true or false", name)
        if expected == "array":
            raise ProfileError(f"{name}: {show(value)} is not a list of values", name)
        raise ProfileError(f"{name}: {show(value)} is not a {expected}", name)
    if enum is not None and value not in enum:
        raise ProfileError(f"{name}: {show(value)} is not one of {', '.join(enum)}", name)
    if "const" in rules and value != rules["const"]:
        raise ProfileError(f"{name}: {show(value)} must be {show(rules['const'])}", name)
    if isinstance(value, list):
        items = rules.get("items")
        if items is not None:
            for item in value:
                _check_value(name, item, items)
        if rules.get("uniqueItems"):
            seen = []
            for item in value:
                if item in seen:
                    raise ProfileError(f"{name}: {show(item)} is listed more than once", name)
                seen.append(item)


def _conforms(instance: Mapping[str, Any], condition: Mapping[str, Any]) -> bool:
    """Whether the profile meets an `if` condition (required keys and their values)."""
    if any(key not in instance for key in condition.get("required", ())):
        return False
    for key, rules in condition.get("properties", {}).items():
        if key not in instance:
            continue
        try:
            _check_value(key, instance[key], rules)
        except ProfileError:
            return False
    return True


def _describe(condition: Mapping[str, Any]) -> str:
    parts = []
    for key, rules in condition.get("properties", {}).items():
        if "const" in rules:
            parts.append(f"{key} is {show(rules['const'])}")
        elif "enum" in rules:
            values = [str(v) for v in rules["enum"]]
            parts.append(f"{key} is {' or '.join(values)}")
    return " and ".join(parts)


def validate(profile: Any, schema: Mapping[str, Any], *, partial: bool = False) -> None:
    """Raise ProfileError for the first thing wrong with `profile`.

    partial=True checks names, types and values but not completeness (for the wizard, whose
    answers arrive one at a time).
    """
    if not isinstance(profile, Mapping):
        raise ProfileError(
            f"a device profile must be an object of answers, not {show(profile)}", None
        )
    properties = schema["properties"]
    for key in profile:
        if key not in properties:
            message = f"unknown attribute {show(key)}"
            hint = difflib.get_close_matches(str(key), list(properties), n=1)
            if hint:
                message += f" (did you mean {hint[0]!r}?)"
            raise ProfileError(message, str(key))
    for key, rules in properties.items():
        if key in profile:
            _check_value(key, profile[key], rules)
    if partial:
        return
    for key in schema.get("required", ()):
        if key not in profile:
            raise ProfileError(f"missing attribute {key!r}", key)
    for rule in schema.get("allOf", ()):
        if _conforms(profile, rule["if"]):
            for key in rule["then"].get("required", ()):
                if key not in profile:
                    raise ProfileError(
                        f"missing attribute {key!r} (needed when {_describe(rule['if'])})", key
                    )


# ---- deciding ---------------------------------------------------------------------------------


def highest(regime: str, hits: Iterable[RuleHit]) -> str:
    order = CLASS_ORDER[regime]
    return max((hit.device_class for hit in hits), key=order.index)


def decided_by(hits: list[RuleHit], top: str, *, several_rules: str, several_subs: str) -> str:
    """Name the rule (or rules) that gave the top class, and why the top class won.

    several_rules: the implementing rule that applies when different rules fired;
    several_subs: the one for several sub-rules (or purposes) within one rule.
    """
    deciding = [hit for hit in hits if hit.device_class == top]
    rules = list(dict.fromkeys(hit.rule for hit in deciding))
    if len(rules) == 1:
        name = deciding[0].label if len(deciding) == 1 else rules[0]
    else:
        name = " and ".join(rules)
    if len(hits) == 1:
        return name
    if len({hit.rule for hit in hits}) > 1:
        return f"{name} ({several_rules})"
    return f"{name} ({several_subs})"
