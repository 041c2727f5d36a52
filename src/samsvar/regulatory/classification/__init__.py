"""Annex VIII classification under the MDR (EU) 2017/745 and the IVDR (EU) 2017/746.

    classify("mdr", {"invasiveness": "non_invasive", "active": True, ...}) -> Classification
    schema("ivdr") -> the JSON Schema (draft 2020-12) of an IVDR device profile
    questions("mdr", answers) -> the wizard questions that matter given the answers so far

A device profile is a dict of answers whose names and values are defined by the regime's schema
(profile_mdr.schema.json, profile_ivdr.schema.json in this package). An unknown attribute, a value
outside its closed list, or a missing required answer raises ProfileError naming the attribute.

Pure Python: no Django, no samsvar app (house rule 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import ivdr, mdr
from .common import (
    CLASS_ORDER,
    Choice,
    Classification,
    ProfileError,
    Question,
    RuleHit,
    check_regime,
    load_schema,
)

__all__ = [
    "CLASS_ORDER",
    "Choice",
    "Classification",
    "ProfileError",
    "Question",
    "RuleHit",
    "classify",
    "questions",
    "schema",
]

_ENGINES = {"mdr": mdr, "ivdr": ivdr}


def classify(regime: str, profile: Mapping[str, Any]) -> Classification:
    """Classify a device profile under 'mdr' or 'ivdr' (ValueError for any other regime)."""
    return _ENGINES[check_regime(regime)].classify(profile)


def schema(regime: str) -> dict[str, Any]:
    """The JSON Schema of the regime's device profile (a copy)."""
    return load_schema(regime)


def questions(regime: str, answers: Mapping[str, Any] | None = None) -> list[Question]:
    """The wizard questions still relevant given the answers so far, in asking order.

    Answered questions stay in the list so a form can show them; ask the first question whose
    attribute is not in `answers`. Raises ProfileError for unknown attributes or values.
    """
    return _ENGINES[check_regime(regime)].questions(answers or {})
