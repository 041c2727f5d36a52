"""IVDR (EU) 2017/746 Annex VIII: classification rules 1-7 as one pure function.

All rules and implementing rules are considered (implementing rule 1.7); every rule, indent or
purpose that applies becomes a RuleHit, and the device takes the highest class (1.8 for several
intended purposes, 1.9 for several rules). Rule 6 (class B) is the fallback when nothing else
applies. Calibrators and controls with assigned values take the class of their device (1.5,
1.6), software that drives a device takes the driven device's class (1.4).

Following MDCG 2020-16 rev.4, the purposes of Rules 1-3 are read for assays and reagents,
independent software, instruments that measure without reagents and accessories with critical
characteristics; general laboratory products, specimen receptacles, reagent-driven instruments,
calibrators and controls are classified by Rule 5, Rule 7 or implementing rules 1.5 and 1.6.

The profile vocabulary is documented in profile_ivdr.schema.json; the wizard questions in
questions_ivdr.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import (
    Classification,
    Question,
    RuleHit,
    _schema,
    decided_by,
    highest,
    relevant_questions,
    validate,
)

REGIME = "ivdr"

SEVERAL_RULES = "implementing rule 1.9: the rule giving the higher class applies"
SEVERAL_SUBS = "implementing rule 1.8: with several intended purposes, the higher class applies"

RULE_1 = {
    "donor_screening_transmissible_agent": (
        "first indent",
        "Detects a transmissible agent to assess blood, cells, tissues or organs for "
        "transfusion, transplantation or cell administration.",
    ),
    "detect_life_threatening_high_propagation_agent": (
        "second indent",
        "Detects a transmissible agent causing a life-threatening disease with a high or "
        "suspected high risk of propagation.",
    ),
    "infectious_load_life_threatening_monitoring": (
        "third indent",
        "Determines the infectious load of a life-threatening disease where monitoring is "
        "critical to patient management.",
    ),
}

RULE_3 = {
    "sti_agent": ("(a)", "Detects a sexually transmitted agent."),
    "infectious_agent_in_csf_or_blood": (
        "(b)",
        "Detects an infectious agent without a high risk of propagation in cerebrospinal fluid "
        "or blood.",
    ),
    "infectious_agent_erroneous_result_death_or_severe_disability": (
        "(c)",
        "Detects an infectious agent where an erroneous result risks death or severe disability.",
    ),
    "prenatal_immune_status": (
        "(d)",
        "Prenatal screening of women's immune status towards transmissible agents.",
    ),
    "infective_or_immune_status_life_threatening_risk": (
        "(e)",
        "Determines infective disease or immune status where an erroneous result risks a "
        "life-threatening management decision.",
    ),
    "companion_diagnostic": ("(f)", "Companion diagnostic."),
    "disease_staging_life_threatening_risk": (
        "(g)",
        "Disease staging where an erroneous result risks a life-threatening management decision.",
    ),
    "cancer_screening_diagnosis_staging": ("(h)", "Screening, diagnosis or staging of cancer."),
    "human_genetic_testing": ("(i)", "Human genetic testing."),
    "monitoring_levels_life_threatening_risk": (
        "(j)",
        "Monitors levels of medicinal products, substances or biological components where an "
        "erroneous result risks a life-threatening management decision.",
    ),
    "management_life_threatening_disease": (
        "(k)",
        "Management of patients with a life-threatening disease or condition.",
    ),
    "congenital_disorder_screening_embryo_foetus": (
        "(l)",
        "Screening for congenital disorders in the embryo or foetus.",
    ),
    "newborn_screening_congenital_disorders": (
        "(m)",
        "Screening new-born babies for congenital disorders that could be life-threatening or "
        "severely disabling if missed.",
    ),
}

# Rule 2, class D: ABO, Rhesus, Kell, Kidd and Duffy markers.
RULE_2_D_MARKERS = (
    "ABO1",
    "ABO2",
    "ABO3",
    "RH1",
    "RHW1",
    "RH2",
    "RH3",
    "RH4",
    "RH5",
    "KEL1",
    "JK1",
    "JK2",
    "FY1",
    "FY2",
)

# Rule 4(a): self-tests that are class B.
SELF_TEST_EXCEPTIONS = frozenset(
    {
        "pregnancy",
        "fertility",
        "cholesterol",
        "urine_glucose",
        "urine_erythrocytes",
        "urine_leucocytes",
        "urine_bacteria",
    }
)


class _Hits(list):
    """The rules that apply so far; calling it adds one (triggers: names or (name, value))."""

    def __call__(self, rule: str, sub: str, cls: str, reason: str, *triggers) -> None:
        if cls == "A":
            # Below the Rule 6 fallback (B): such an answer can only lower the class, so it is
            # no trigger (see RuleHit).
            triggers = ()
        self.append(
            RuleHit(
                rule,
                sub,
                cls,
                reason,
                tuple(t if isinstance(t, tuple) else (t, None) for t in triggers),
            )
        )


def reads_purposes(answers: Mapping[str, Any]) -> bool:
    """Whether Rules 1-3 classify this product by its intended purposes (MDCG 2020-16)."""
    kind = answers.get("product_type")
    return (
        kind in ("assay_reagent", "software")
        or (kind == "instrument" and answers.get("independent_measuring_function") is True)
        or (kind == "accessory" and answers.get("critical_characteristics") is True)
    )


def classify(profile: Mapping[str, Any]) -> Classification:
    validate(profile, _schema(REGIME))
    kind = profile["product_type"]
    setting = profile["use_setting"]
    hit = _Hits()
    notes: list[str] = []

    if reads_purposes(profile):
        _purpose_rules(profile, hit)
    _rule_4(profile, setting, hit, notes)
    _rule_5(profile, kind, setting, hit)
    _rule_7_and_implementing(profile, kind, hit)
    if not hit:
        hit("Rule 6", "", "B", "No other classification rule applies.")

    hits = sorted(hit, key=_rule_order)
    top = highest(REGIME, hits)
    special = ("sterile",) if top == "A" and profile.get("sterile") is True else ()
    return Classification(
        regime=REGIME,
        device_class=top,
        special=special,
        rules=tuple(hits),
        decided_by=decided_by(hits, top, several_rules=SEVERAL_RULES, several_subs=SEVERAL_SUBS),
        notes=tuple(notes),
    )


def _rule_order(hit: RuleHit) -> float:
    if hit.rule.startswith("Implementing rule"):
        return 8.0
    return float(hit.rule.split()[-1])


def _purpose_rules(profile, hit) -> None:
    purposes = [p for p in profile.get("purpose") or () if p != "other"]
    for purpose in purposes:
        if purpose in RULE_1:
            sub, reason = RULE_1[purpose]
            hit("Rule 1", sub, "D", reason, ("purpose", purpose))
    if "blood_grouping_or_tissue_typing" in purposes:
        markers = profile.get("markers") or ()
        listed = [m for m in markers if m in RULE_2_D_MARKERS]
        if listed:
            hit(
                "Rule 2",
                "listed markers",
                "D",
                f"Blood grouping for transfusion or transplantation with ABO, Rhesus, Kell, "
                f"Kidd or Duffy markers ({', '.join(listed)}).",
                ("purpose", "blood_grouping_or_tissue_typing"),
                *[("markers", m) for m in listed],
            )
        else:
            hit(
                "Rule 2",
                "",
                "C",
                "Blood grouping or tissue typing for transfusion, transplantation or cell "
                "administration, without the markers listed for class D.",
                ("purpose", "blood_grouping_or_tissue_typing"),
            )
    for purpose in purposes:
        if purpose in RULE_3:
            sub, reason = RULE_3[purpose]
            hit("Rule 3", sub, "C", reason, ("purpose", purpose))


def _rule_4(profile, setting, hit, notes) -> None:
    if setting == "self_test":
        analytes = set(profile.get("self_test_analytes") or ())
        if analytes and analytes <= SELF_TEST_EXCEPTIONS:
            hit(
                "Rule 4",
                "(a), exception",
                "B",
                "Self-test for pregnancy, fertility, cholesterol, or glucose, erythrocytes, "
                "leucocytes or bacteria in urine.",
            )
        else:
            extra = [("self_test_analytes", "other")] if "other" in analytes else []
            hit(
                "Rule 4",
                "(a)",
                "C",
                "Self-test for something other than the class B exceptions.",
                *extra,
            )
    elif setting == "near_patient":
        notes.append(
            "Rule 4(b): a device for near-patient testing is classified in its own right by the "
            "other rules."
        )
    elif setting == "self_collection_only":
        notes.append(
            "Lay persons only collect the specimen, so this is not a device for self-testing "
            "(MDCG 2020-16 Rule 4(a))."
        )


def _rule_5(profile, kind, setting, hit) -> None:
    if kind == "general_lab_product":
        hit(
            "Rule 5",
            "(a)",
            "A",
            "Product for general laboratory use, buffer, washing solution, general culture "
            "medium or histological stain made suitable for a specific IVD examination.",
        )
    elif kind == "accessory" and profile.get("critical_characteristics") is not True:
        hit("Rule 5", "(a)", "A", "Accessory without critical characteristics.")
    elif kind == "instrument" and profile.get("independent_measuring_function") is not True:
        hit("Rule 5", "(b)", "A", "Instrument intended specifically for IVD procedures.")
    elif kind == "specimen_receptacle":
        who = " for collection by lay persons" if setting == "self_collection_only" else ""
        hit("Rule 5", "(c)", "A", f"Specimen receptacle{who}.")


def _rule_7_and_implementing(profile, kind, hit) -> None:
    used_with = profile.get("used_with_device_class")
    if kind == "control":
        if profile.get("assigned_value") is True:
            hit(
                "Implementing rule 1.6",
                "",
                used_with,
                f"Control with assigned values for a class {used_with} device takes its class.",
                "used_with_device_class",
            )
        else:
            hit("Rule 7", "", "B", "Control without a quantitative or qualitative assigned value.")
    elif kind == "calibrator":
        hit(
            "Implementing rule 1.5",
            "",
            used_with,
            f"Calibrator for a class {used_with} device takes its class.",
            "used_with_device_class",
        )
    elif kind == "software":
        drives = profile.get("drives_device_class", "none")
        if drives != "none":
            hit(
                "Implementing rule 1.4",
                "",
                drives,
                f"Software that drives or influences the use of a class {drives} device takes "
                "its class.",
                "drives_device_class",
            )


# ---- the wizard ---------------------------------------------------------------------------------


def _always(_answers) -> bool:
    return True


RELEVANT = {
    "product_type": _always,
    "use_setting": _always,
    "purpose": reads_purposes,
    "markers": lambda a: (
        reads_purposes(a) and "blood_grouping_or_tissue_typing" in (a.get("purpose") or ())
    ),
    "self_test_analytes": lambda a: a.get("use_setting") == "self_test",
    "assigned_value": lambda a: a.get("product_type") == "control",
    "used_with_device_class": lambda a: (
        a.get("product_type") == "calibrator"
        or (a.get("product_type") == "control" and a.get("assigned_value") is True)
    ),
    "critical_characteristics": lambda a: a.get("product_type") == "accessory",
    "independent_measuring_function": lambda a: a.get("product_type") == "instrument",
    "drives_device_class": lambda a: a.get("product_type") == "software",
    "sterile": _always,
}


def questions(answers: Mapping[str, Any]) -> list[Question]:
    """The questions that matter for a product with these answers, in asking order."""
    return relevant_questions(REGIME, answers, RELEVANT)
