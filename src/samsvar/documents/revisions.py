"""Revision labels of controlled documents (ISO 13485 4.2.4 c: identify changes and the current
revision status).

Two schemes: letters (A, B, … Z, AA, AB, …, like spreadsheet columns) and numbers (1.0, 1.1, …;
a major change starts the next whole number, 2.0). Plain functions, no database.
"""

from __future__ import annotations

import re

LETTERS = "letters"
NUMERIC = "numeric"
SCHEMES = (LETTERS, NUMERIC)

_LETTER_LABEL = re.compile(r"[A-Z]{1,3}")
_NUMERIC_LABEL = re.compile(r"(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})")


class LabelError(ValueError):
    """A label that does not belong to the scheme, or an unknown scheme."""


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise LabelError(f"unknown revision scheme {scheme!r}; use one of {', '.join(SCHEMES)}")


def first_label(scheme: str) -> str:
    """The label of a document's first revision: "A" or "1.0"."""
    _check_scheme(scheme)
    return "A" if scheme == LETTERS else "1.0"


def is_valid(scheme: str, label: str) -> bool:
    _check_scheme(scheme)
    pattern = _LETTER_LABEL if scheme == LETTERS else _NUMERIC_LABEL
    return bool(pattern.fullmatch(label or ""))


def _letters_to_number(label: str) -> int:
    value = 0
    for char in label:
        value = value * 26 + (ord(char) - ord("A") + 1)
    return value


def _number_to_letters(value: int) -> str:
    letters = []
    while value:
        value, remainder = divmod(value - 1, 26)
        letters.append(chr(ord("A") + remainder))
    return "".join(reversed(letters))


def next_label(scheme: str, label: str, major: bool = False) -> str:
    """The label that follows `label`: B after A, AA after Z; 1.1 after 1.0, 2.0 with `major`.

    The letter scheme has no minor step, so `major` changes nothing there.
    """
    if not is_valid(scheme, label):
        raise LabelError(f"{label!r} is not a label of the {scheme} scheme")
    if scheme == LETTERS:
        return _number_to_letters(_letters_to_number(label) + 1)
    whole, minor = (int(part) for part in label.split("."))
    return f"{whole + 1}.0" if major else f"{whole}.{minor + 1}"


def sort_key(scheme: str, label: str) -> tuple[int, int]:
    """Orders labels of one scheme: B before AA, 1.9 before 1.10."""
    if not is_valid(scheme, label):
        raise LabelError(f"{label!r} is not a label of the {scheme} scheme")
    if scheme == LETTERS:
        return (_letters_to_number(label), 0)
    whole, minor = (int(part) for part in label.split("."))
    return (whole, minor)
