"""MDR (EU) 2017/745 Annex VIII: the 22 classification rules as one pure function.

Every rule is evaluated; each rule or sub-rule that applies becomes a RuleHit, and the device takes
the highest class among them (implementing rule 3.5). Rule 1 and Rule 13 are fallbacks that apply
only when no other rule does ("unless one of the rules set out hereinafter applies", "all other
active devices"; MDCG 2019-11 4.2.3): Rule 13 for an active device, Rule 1 for a non-invasive one.
An invasive device always falls under one of Rules 5-8. Software is an active device.

Where a rule says "class X unless ...", the exceptions that apply replace the default and the
strictest of them wins; the default applies when none does. Exceptions that lower the class (a
reusable surgical instrument in Rule 6, a device placed in the teeth in Rules 7 and 8, ancillary
screws and plates in Rule 8, visible-light illumination in Rule 10) only lower it when no stricter
exception applies too.

The profile vocabulary is documented in profile_mdr.schema.json; the wizard questions in
questions_mdr.toml. Interpretations taken from MDCG 2021-24 and MDCG 2019-11 are marked where
they are used.
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

REGIME = "mdr"

NON_INVASIVE = "non_invasive"
BODY_ORIFICE = "body_orifice"
SURGICAL = "surgically_invasive"
IMPLANTABLE = "implantable"
INVASIVE = (BODY_ORIFICE, SURGICAL, IMPLANTABLE)

HEART = "heart_or_central_circulatory_system"
CNS = "central_nervous_system"
# Rule 5: the less vulnerable front parts reached through the mouth, ear and nose.
FRONT_CAVITIES = frozenset(
    {"oral_cavity_to_pharynx", "ear_canal_to_eardrum", "nasal_cavity", "teeth"}
)
# Rules 7 and 8: "placed in the teeth" (the teeth and the mouth around them, nothing else).
TEETH_AREA = frozenset({"teeth", "oral_cavity_to_pharynx"})
MECHANICAL_TREATMENT = frozenset({"filtration", "centrifugation", "gas_exchange", "heat_exchange"})
ACTIVE_CLASSES_IIA_UP = ("IIa", "IIb", "III")

SEVERAL_RULES = "implementing rule 3.5: the strictest rule applies"
SEVERAL_SUBS = "implementing rule 3.5: the strictest sub-rule applies"


class _Profile:
    def __init__(self, data: Mapping[str, Any]):
        self.data = data

    def flag(self, name: str) -> bool:
        return self.data.get(name) is True

    def value(self, name: str, default: str | None = None) -> str | None:
        return self.data.get(name, default)

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(self.data.get(name) or ())


def _facts(p: _Profile) -> dict[str, Any]:
    invasiveness = p.value("invasiveness")
    active = p.flag("active") or p.flag("software")
    locations = frozenset(p.items("location"))
    connected = p.value("connected_active_device_class", "none")
    return {
        "invasiveness": invasiveness,
        "duration": p.value("duration"),
        "active": active,
        "active_type": p.value("active_type") if active else None,
        "locations": locations,
        "connected": connected,
        "teeth_only": "teeth" in locations and locations <= TEETH_AREA,
        # Annex VIII 2.3 and MDCG 2021-24 Rule 6 note 1: an instrument connected to an active
        # device (or active itself) is not a reusable surgical instrument.
        "reusable": (
            p.flag("reusable_surgical_instrument")
            and invasiveness == SURGICAL
            and p.value("duration") == "transient"
            and not active
            and connected == "none"
        ),
    }


def classify(profile: Mapping[str, Any]) -> Classification:
    validate(profile, _schema(REGIME))
    p = _Profile(profile)
    f = _facts(p)
    hits = hit = _Hits()
    notes: list[str] = []

    if f["invasiveness"] == NON_INVASIVE:
        _rule_2(p, f, hit)
        _rule_3(p, hit)
    _rule_4(p, f, hit)
    _rule_5(p, f, hit)
    _rule_6(p, f, hit, notes)
    _rule_7(p, f, hit)
    _rule_8(p, f, hit)
    if f["active"]:
        _rules_9_to_12(p, f, hit)
        _rule_22(p, f, hit)
    _special_rules(p, f, hit, notes)
    if not hits and f["active"]:
        hit("Rule 13", "", "I", "Active device that no other rule covers.", "active")
    elif not hits and f["invasiveness"] == NON_INVASIVE:
        hit("Rule 1", "", "I", "Non-invasive device that no other rule covers.")

    hits = sorted(hits, key=_rule_order)
    top = highest(REGIME, hits)
    special = []
    if top == "I":
        if p.flag("sterile"):
            special.append("sterile")
        if p.flag("measuring_function"):
            special.append("measuring")
        if f["reusable"]:
            special.append("reusable_surgical")
    return Classification(
        regime=REGIME,
        device_class=top,
        special=tuple(special),
        rules=tuple(hits),
        decided_by=decided_by(hits, top, several_rules=SEVERAL_RULES, several_subs=SEVERAL_SUBS),
        notes=tuple(notes),
    )


class _Hits(list):
    """The rules that apply so far; calling it adds one (triggers: names or (name, value))."""

    def __call__(self, rule: str, sub: str, cls: str, reason: str, *triggers) -> None:
        self.append(
            RuleHit(
                rule,
                sub,
                cls,
                reason,
                tuple(t if isinstance(t, tuple) else (t, None) for t in triggers),
            )
        )


def _rule_order(hit: RuleHit) -> float:
    if hit.rule.startswith("Implementing rule"):
        return 11.5  # software driving a device: next to Rule 11
    return float(hit.rule.split()[-1])


# ---- non-invasive devices (Annex VIII 4) ------------------------------------------------------


def _rule_2(p, f, hit) -> None:
    if not p.flag("channels_or_stores_for_administration"):
        return
    base = "channels_or_stores_for_administration"
    start = len(hit)
    if f["connected"] in ACTIVE_CLASSES_IIA_UP:
        hit(
            "Rule 2",
            "first indent",
            "IIa",
            f"Channels or stores for administration and may be connected to a class "
            f"{f['connected']} active device.",
            base,
            "connected_active_device_class",
        )
    stored = p.items("channelled_or_stored")
    body = [x for x in ("blood", "body_liquids", "organs_tissues_cells") if x in stored]
    if p.flag("is_blood_bag"):
        hit("Rule 2", "second indent, blood bags", "IIb", "Blood bag.", base, "is_blood_bag")
    elif body:
        hit(
            "Rule 2",
            "second indent",
            "IIa",
            "Channels or stores blood or other body liquids, or stores organs, tissues or "
            "cells, for eventual administration.",
            base,
            *[("channelled_or_stored", x) for x in body],
        )
    if len(hit) == start:
        hit(
            "Rule 2",
            "last paragraph",
            "I",
            "Channels or stores liquids or gases for eventual administration; no stricter "
            "sub-rule applies.",
            base,
        )


def _rule_3(p, hit) -> None:
    if p.flag("modifies_composition_for_administration"):
        base = "modifies_composition_for_administration"
        treatment = set(p.items("treatment"))
        if treatment and treatment <= MECHANICAL_TREATMENT:
            hit(
                "Rule 3",
                "first paragraph, exception",
                "IIa",
                "Modifies blood, body liquids or other liquids for administration only by "
                "filtration, centrifugation or exchange of gas or heat.",
                base,
            )
        else:
            hit(
                "Rule 3",
                "first paragraph",
                "IIb",
                "Modifies the biological or chemical composition of tissues, cells, blood or "
                "liquids intended for implantation or administration.",
                base,
                *[("treatment", x) for x in sorted(treatment - MECHANICAL_TREATMENT)],
            )
    if p.flag("substance_in_vitro_contact_cells_tissues_embryos"):
        hit(
            "Rule 3",
            "second paragraph",
            "III",
            "Substance used in vitro in direct contact with human cells, tissues, organs or "
            "embryos before implantation or administration.",
            "substance_in_vitro_contact_cells_tissues_embryos",
        )


def _rule_4_applies(invasiveness: str | None, contact: str | None) -> bool:
    if invasiveness == NON_INVASIVE:
        return contact in ("injured_skin", "injured_mucous_membrane")
    # Last paragraph: also invasive devices in contact with injured mucous membrane.
    return invasiveness in INVASIVE and contact == "injured_mucous_membrane"


def _rule_4(p, f, hit) -> None:
    contact = p.value("contact", "none")
    if not _rule_4_applies(f["invasiveness"], contact):
        return
    purposes = set(p.items("wound_purpose"))
    where = "injured mucous membrane" if contact == "injured_mucous_membrane" else "injured skin"
    if purposes & {"mechanical_barrier", "compression", "absorption_of_exudate"}:
        hit(
            "Rule 4",
            "first indent",
            "I",
            f"In contact with {where} as a mechanical barrier, for compression or to absorb "
            "exudate.",
            "contact",
        )
    if "breached_dermis_secondary_intent" in purposes:
        hit(
            "Rule 4",
            "second indent",
            "IIb",
            "Principally for wounds that have breached the dermis or mucous membrane and heal "
            "only by secondary intent.",
            "contact",
            ("wound_purpose", "breached_dermis_secondary_intent"),
        )
    if "manage_microenvironment" in purposes:
        hit(
            "Rule 4",
            "third indent",
            "IIa",
            f"Principally manages the micro-environment of {where}.",
            "contact",
            ("wound_purpose", "manage_microenvironment"),
        )
    if not purposes:
        hit(
            "Rule 4",
            "fourth indent",
            "IIa",
            f"In contact with {where} for a purpose the first three indents do not name.",
            "contact",
        )


# ---- invasive devices (Annex VIII 5) ----------------------------------------------------------


def _rule_5(p, f, hit) -> None:
    if f["invasiveness"] != BODY_ORIFICE:
        return
    duration = f["duration"]
    locations = f["locations"]
    front = bool(locations) and locations <= FRONT_CAVITIES
    outside = [("location", x) for x in sorted(locations - FRONT_CAVITIES)]
    front_text = "the oral cavity up to the pharynx, an ear canal up to the eardrum or the nose"
    if duration == "transient":
        hit("Rule 5", "first indent", "I", "Invasive through a body orifice, transient use.")
    elif duration == "short_term":
        if front:
            hit(
                "Rule 5",
                "second indent, exception",
                "I",
                f"Short-term use only in {front_text}.",
            )
        else:
            hit(
                "Rule 5",
                "second indent",
                "IIa",
                "Invasive through a body orifice, short-term use.",
                *outside,
            )
    elif duration == "long_term":
        absorbed = p.flag("absorbed_by_mucous_membrane")
        if front and not absorbed:
            hit(
                "Rule 5",
                "third indent, exception",
                "IIa",
                f"Long-term use only in {front_text}, not liable to be absorbed by the mucous "
                "membrane.",
            )
        else:
            extra = [("absorbed_by_mucous_membrane", None)] if front and absorbed else []
            hit(
                "Rule 5",
                "third indent",
                "IIb",
                "Invasive through a body orifice, long-term use.",
                *outside,
                *extra,
            )
    if f["connected"] in ACTIVE_CLASSES_IIA_UP:
        # MDCG 2021-24 Rule 5: both paragraphs are applied and the stricter wins (a long-term
        # tracheal cannula connected to a ventilator is IIb).
        hit(
            "Rule 5",
            "second paragraph",
            "IIa",
            f"Invasive through a body orifice and intended for connection to a class "
            f"{f['connected']} active device.",
            "connected_active_device_class",
        )


def _critical_site(f) -> list[tuple[str, str]]:
    return [("location", x) for x in (HEART, CNS) if x in f["locations"]]


def _rule_6(p, f, hit, notes) -> None:
    if f["invasiveness"] != SURGICAL or f["duration"] != "transient":
        return
    if p.flag("reusable_surgical_instrument") and not f["reusable"]:
        notes.append(
            "Not treated as a reusable surgical instrument: it is active or connected to an "
            "active device (Annex VIII 2.3; MDCG 2021-24 Rule 6 note 1)."
        )
    fired = len(hit)
    if p.flag("controls_diagnoses_monitors_corrects_heart_ccs_defect"):
        hit(
            "Rule 6",
            "first indent",
            "III",
            "Specifically controls, diagnoses, monitors or corrects a defect of the heart or "
            "central circulatory system by direct contact.",
            "controls_diagnoses_monitors_corrects_heart_ccs_defect",
        )
    if f["reusable"]:
        hit("Rule 6", "second indent", "I", "Reusable surgical instrument.")
    site = _critical_site(f)
    if site:
        hit(
            "Rule 6",
            "third indent",
            "III",
            "Specifically for direct contact with the heart, central circulatory system or "
            "central nervous system.",
            *site,
        )
    if p.flag("supplies_ionizing_radiation"):
        hit(
            "Rule 6",
            "fourth indent",
            "IIb",
            "Supplies energy as ionising radiation.",
            "supplies_ionizing_radiation",
        )
    if p.flag("biological_effect_or_absorbed"):
        hit(
            "Rule 6",
            "fifth indent",
            "IIb",
            "Has a biological effect or is wholly or mainly absorbed.",
            "biological_effect_or_absorbed",
        )
    if p.flag("administers_medicinal_product") and p.flag("administration_potentially_hazardous"):
        hit(
            "Rule 6",
            "sixth indent",
            "IIb",
            "Administers medicinal products by a delivery system in a potentially hazardous "
            "manner.",
            "administers_medicinal_product",
            "administration_potentially_hazardous",
        )
    if len(hit) == fired:
        hit("Rule 6", "first paragraph", "IIa", "Surgically invasive, transient use.")


def _rule_7(p, f, hit) -> None:
    if f["invasiveness"] != SURGICAL or f["duration"] != "short_term":
        return
    fired = len(hit)
    if p.flag("controls_diagnoses_monitors_corrects_heart_ccs_defect"):
        hit(
            "Rule 7",
            "first indent",
            "III",
            "Specifically controls, diagnoses, monitors or corrects a defect of the heart or "
            "central circulatory system by direct contact.",
            "controls_diagnoses_monitors_corrects_heart_ccs_defect",
        )
    site = _critical_site(f)
    if site:
        hit(
            "Rule 7",
            "second indent",
            "III",
            "Specifically for direct contact with the heart, central circulatory system or "
            "central nervous system.",
            *site,
        )
    if p.flag("supplies_ionizing_radiation"):
        hit(
            "Rule 7",
            "third indent",
            "IIb",
            "Supplies energy as ionising radiation.",
            "supplies_ionizing_radiation",
        )
    if p.flag("biological_effect_or_absorbed"):
        hit(
            "Rule 7",
            "fourth indent",
            "III",
            "Has a biological effect or is wholly or mainly absorbed.",
            "biological_effect_or_absorbed",
        )
    if p.flag("chemical_change_in_body") and not f["teeth_only"]:
        hit(
            "Rule 7",
            "fifth indent",
            "IIb",
            "Undergoes chemical change in the body and is not placed in the teeth.",
            "chemical_change_in_body",
        )
    if p.flag("administers_medicinal_product"):
        hit(
            "Rule 7",
            "sixth indent",
            "IIb",
            "Administers medicines.",
            "administers_medicinal_product",
        )
    if len(hit) == fired:
        hit("Rule 7", "first paragraph", "IIa", "Surgically invasive, short-term use.")


def _in_rule_8(f) -> bool:
    return f["invasiveness"] == IMPLANTABLE or (
        f["invasiveness"] == SURGICAL and f["duration"] == "long_term"
    )


def _rule_8(p, f, hit) -> None:
    aimd = p.flag("active_implantable_or_accessory")
    if not _in_rule_8(f):
        if aimd:
            # MDCG 2021-24 Rule 8 note 5: also non-implantable, non-active AIMD accessories.
            hit(
                "Rule 8",
                "sixth indent",
                "III",
                "Accessory of an active implantable device (MDCG 2021-24 Rule 8 note 5: also "
                "when not implantable).",
                "active_implantable_or_accessory",
            )
        return
    fired = len(hit)
    what = "Implantable" if f["invasiveness"] == IMPLANTABLE else "Long-term surgically invasive"
    if f["teeth_only"]:
        hit("Rule 8", "first indent", "IIa", f"{what} device placed in the teeth.")
    site = _critical_site(f)
    if site:
        hit(
            "Rule 8",
            "second indent",
            "III",
            "In direct contact with the heart, central circulatory system or central nervous "
            "system.",
            *site,
        )
    if p.flag("biological_effect_or_absorbed"):
        hit(
            "Rule 8",
            "third indent",
            "III",
            "Has a biological effect or is wholly or mainly absorbed.",
            "biological_effect_or_absorbed",
        )
    if p.flag("chemical_change_in_body") and not f["teeth_only"]:
        hit(
            "Rule 8",
            "fourth indent",
            "III",
            "Undergoes chemical change in the body and is not placed in the teeth.",
            "chemical_change_in_body",
        )
    if p.flag("administers_medicinal_product"):
        hit(
            "Rule 8",
            "fifth indent",
            "III",
            "Administers medicinal products.",
            "administers_medicinal_product",
        )
    if aimd:
        hit(
            "Rule 8",
            "sixth indent",
            "III",
            "Active implantable device or an accessory of one.",
            "active_implantable_or_accessory",
        )
    if p.flag("breast_implant_or_surgical_mesh"):
        hit(
            "Rule 8",
            "seventh indent",
            "III",
            "Breast implant or surgical mesh.",
            "breast_implant_or_surgical_mesh",
        )
    ancillary = p.flag("ancillary_component_screw_wedge_plate")
    if p.flag("joint_replacement") and not ancillary:
        hit(
            "Rule 8",
            "eighth indent",
            "III",
            "Total or partial joint replacement (not an ancillary screw, wedge, plate or "
            "instrument).",
            "joint_replacement",
        )
    if f["invasiveness"] == IMPLANTABLE and "spinal_column" in f["locations"] and not ancillary:
        hit(
            "Rule 8",
            "ninth indent",
            "III",
            "Spinal disc replacement or implant in contact with the spinal column (not an "
            "ancillary screw, wedge, plate or instrument).",
            ("location", "spinal_column"),
        )
    if len(hit) == fired:
        hit("Rule 8", "first paragraph", "IIb", f"{what} device.")


# ---- active devices (Annex VIII 6) ------------------------------------------------------------


def _rules_9_to_12(p, f, hit) -> None:
    therapeutic = f["active_type"] == "therapeutic"
    diagnostic = f["active_type"] == "diagnostic_monitoring"
    # Rule 9
    if therapeutic and p.flag("administers_or_exchanges_energy"):
        if p.flag("energy_potentially_hazardous"):
            hit(
                "Rule 9",
                "first paragraph, potentially hazardous",
                "IIb",
                "Active therapeutic device that administers or exchanges energy in a potentially "
                "hazardous way.",
                "active",
                "administers_or_exchanges_energy",
                "energy_potentially_hazardous",
            )
        else:
            hit(
                "Rule 9",
                "first paragraph",
                "IIa",
                "Active therapeutic device that administers or exchanges energy.",
                "active",
                "administers_or_exchanges_energy",
            )
    if p.flag("controls_monitors_influences_active_therapeutic_iib"):
        hit(
            "Rule 9",
            "second paragraph",
            "IIb",
            "Controls, monitors or directly influences a class IIb active therapeutic device.",
            "active",
            "controls_monitors_influences_active_therapeutic_iib",
        )
    if p.flag("emits_ionizing_radiation_therapeutic"):
        hit(
            "Rule 9",
            "third paragraph",
            "IIb",
            "Emits ionising radiation for therapy, or controls, monitors or influences such a "
            "device.",
            "active",
            "emits_ionizing_radiation_therapeutic",
        )
    if p.flag("controls_monitors_influences_aimd"):
        hit(
            "Rule 9",
            "fourth paragraph",
            "III",
            "Controls, monitors or directly influences an active implantable device.",
            "active",
            "controls_monitors_influences_aimd",
        )
    # Rule 10
    if diagnostic:
        if p.flag("illuminates_visible_spectrum_only"):
            hit(
                "Rule 10",
                "first indent, exception",
                "I",
                "Active diagnostic device whose only energy is visible light illuminating the "
                "patient's body.",
            )
        elif p.flag("supplies_energy_absorbed"):
            hit(
                "Rule 10",
                "first indent",
                "IIa",
                "Active diagnostic or monitoring device that supplies energy absorbed by the body.",
                "active",
                "supplies_energy_absorbed",
            )
        if p.flag("images_radiopharmaceuticals"):
            hit(
                "Rule 10",
                "second indent",
                "IIa",
                "Images the in vivo distribution of radiopharmaceuticals.",
                "active",
                "images_radiopharmaceuticals",
            )
        if p.flag("direct_diagnosis_or_monitoring_vital"):
            if p.flag("vital_parameter_immediate_danger"):
                hit(
                    "Rule 10",
                    "third indent, exception",
                    "IIb",
                    "Specifically monitors vital parameters whose variations could put the "
                    "patient in immediate danger, or diagnoses a patient in immediate danger.",
                    "active",
                    "direct_diagnosis_or_monitoring_vital",
                    "vital_parameter_immediate_danger",
                )
            else:
                hit(
                    "Rule 10",
                    "third indent",
                    "IIa",
                    "Allows direct diagnosis or monitoring of vital physiological processes.",
                    "active",
                    "direct_diagnosis_or_monitoring_vital",
                )
    if p.flag("emits_ionizing_radiation_diagnostic"):
        hit(
            "Rule 10",
            "second paragraph",
            "IIb",
            "Emits ionising radiation for diagnostic or therapeutic radiology, or controls, "
            "monitors or influences such a device.",
            "active",
            "emits_ionizing_radiation_diagnostic",
        )
    # Rule 11 and implementing rule 3.3
    if p.flag("software"):
        _rule_11(p, hit)
    # Rule 12
    if p.flag("administers_or_removes_substances"):
        if p.flag("substance_administration_potentially_hazardous"):
            hit(
                "Rule 12",
                "potentially hazardous",
                "IIb",
                "Active device that administers or removes medicinal products, body liquids or "
                "other substances in a potentially hazardous manner.",
                "active",
                "administers_or_removes_substances",
                "substance_administration_potentially_hazardous",
            )
        else:
            hit(
                "Rule 12",
                "",
                "IIa",
                "Active device that administers or removes medicinal products, body liquids or "
                "other substances.",
                "active",
                "administers_or_removes_substances",
            )


def _rule_11(p, hit) -> None:
    functions = p.items("software_function")
    drives = p.value("drives_device_class", "none")
    if "decision_support" in functions:
        impact = p.value("decision_impact", "other")
        if impact == "death_or_irreversible":
            hit(
                "Rule 11",
                "first paragraph, first indent",
                "III",
                "Software informing diagnostic or therapeutic decisions whose impact may cause "
                "death or irreversible deterioration of health (sub-rule 11a).",
                "software",
                ("software_function", "decision_support"),
                "decision_impact",
            )
        elif impact == "serious_or_surgical":
            hit(
                "Rule 11",
                "first paragraph, second indent",
                "IIb",
                "Software informing diagnostic or therapeutic decisions whose impact may cause "
                "serious deterioration of health or a surgical intervention (sub-rule 11a).",
                "software",
                ("software_function", "decision_support"),
                "decision_impact",
            )
        else:
            hit(
                "Rule 11",
                "first paragraph",
                "IIa",
                "Software providing information used to take diagnostic or therapeutic "
                "decisions (sub-rule 11a).",
                "software",
                ("software_function", "decision_support"),
            )
    if "monitoring" in functions:
        if p.flag("vital_parameter_immediate_danger"):
            hit(
                "Rule 11",
                "second paragraph, exception",
                "IIb",
                "Software monitoring vital physiological parameters whose variations could put "
                "the patient in immediate danger (sub-rule 11b).",
                "software",
                ("software_function", "monitoring"),
                "vital_parameter_immediate_danger",
            )
        else:
            hit(
                "Rule 11",
                "second paragraph",
                "IIa",
                "Software monitoring physiological processes (sub-rule 11b).",
                "software",
                ("software_function", "monitoring"),
            )
    if not functions and drives == "none":
        hit(
            "Rule 11",
            "third paragraph",
            "I",
            "Software without a decision-support or monitoring purpose (sub-rule 11c).",
            "software",
        )
    if drives != "none":
        # MDCG 2019-11 4.1: software with its own purpose that also drives a device is
        # classified on its purpose but never lower than the device (the maximum does that).
        hit(
            "Implementing rule 3.3",
            "",
            drives,
            f"Software that drives or influences the use of a class {drives} device takes its "
            "class.",
            "drives_device_class",
        )


def _rule_22(p, f, hit) -> None:
    if f["active_type"] == "therapeutic" and p.flag(
        "integrated_diagnostic_function_determines_therapy"
    ):
        hit(
            "Rule 22",
            "",
            "III",
            "Active therapeutic device whose integrated diagnostic function significantly "
            "determines patient management by the device (closed loop).",
            "active",
            "integrated_diagnostic_function_determines_therapy",
        )


# ---- special rules (Annex VIII 7) -------------------------------------------------------------


def _special_rules(p, f, hit, notes) -> None:
    invasiveness = f["invasiveness"]
    duration = f["duration"]
    # Rule 14
    if p.flag("human_blood_derivative"):
        hit(
            "Rule 14",
            "human blood or plasma derivative",
            "III",
            "Incorporates a medicinal product derived from human blood or plasma with an "
            "action ancillary to the device.",
            "human_blood_derivative",
        )
    elif p.flag("incorporates_ancillary_medicinal_substance"):
        hit(
            "Rule 14",
            "",
            "III",
            "Incorporates a medicinal substance with an action ancillary to the device.",
            "incorporates_ancillary_medicinal_substance",
        )
    # Rule 15
    if p.flag("contraception_or_sti_prevention"):
        long_invasive = invasiveness in (BODY_ORIFICE, SURGICAL) and duration == "long_term"
        if invasiveness == IMPLANTABLE or long_invasive:
            hit(
                "Rule 15",
                "implantable or long-term invasive",
                "III",
                "Implantable or long-term invasive device for contraception or prevention of "
                "sexually transmitted diseases.",
                "contraception_or_sti_prevention",
            )
        else:
            hit(
                "Rule 15",
                "",
                "IIb",
                "Used for contraception or prevention of sexually transmitted diseases.",
                "contraception_or_sti_prevention",
            )
    # Rule 16
    if p.flag("disinfects_cleans_rinses_hydrates_contact_lenses"):
        hit(
            "Rule 16",
            "first paragraph",
            "IIb",
            "Specifically for disinfecting, cleaning, rinsing or hydrating contact lenses.",
            "disinfects_cleans_rinses_hydrates_contact_lenses",
        )
    if p.flag("disinfects_or_sterilises_devices"):
        if p.flag("disinfects_invasive_devices_end_point"):
            hit(
                "Rule 16",
                "second paragraph, exception",
                "IIb",
                "Disinfecting solution or washer-disinfector specifically for invasive devices "
                "as the end point of processing.",
                "disinfects_or_sterilises_devices",
                "disinfects_invasive_devices_end_point",
            )
        else:
            hit(
                "Rule 16",
                "second paragraph",
                "IIa",
                "Specifically for disinfecting or sterilising medical devices.",
                "disinfects_or_sterilises_devices",
            )
    # Rule 17
    if p.flag("records_xray_diagnostic_images"):
        hit(
            "Rule 17",
            "",
            "IIa",
            "Specifically for recording diagnostic X-ray images.",
            "records_xray_diagnostic_images",
        )
    # Rule 18
    origins = set(p.items("tissue_origin"))
    if origins:
        intact_skin_only = invasiveness == NON_INVASIVE and p.value("contact") == "intact_skin"
        if origins == {"animal"} and intact_skin_only:
            notes.append(
                "Rule 18 does not apply: animal tissue or derivative in contact with intact "
                "skin only."
            )
        else:
            hit(
                "Rule 18",
                "",
                "III",
                f"Made using non-viable tissues or cells of {' and '.join(sorted(origins))} "
                "origin, or their derivatives.",
                *[("tissue_origin", x) for x in sorted(origins)],
            )
    # Rule 19
    exposure = p.value("nanomaterial_internal_exposure", "none")
    if exposure in ("high", "medium"):
        hit(
            "Rule 19",
            "first indent",
            "III",
            f"Nanomaterial with a {exposure} potential for internal exposure.",
            "nanomaterial_internal_exposure",
        )
    elif exposure == "low":
        hit(
            "Rule 19",
            "second indent",
            "IIb",
            "Nanomaterial with a low potential for internal exposure.",
            "nanomaterial_internal_exposure",
        )
    elif exposure == "negligible":
        hit(
            "Rule 19",
            "third indent",
            "IIa",
            "Nanomaterial with a negligible potential for internal exposure.",
            "nanomaterial_internal_exposure",
        )
    # Rule 20
    if invasiveness == BODY_ORIFICE and p.flag("administers_medicinal_product_by_inhalation"):
        if p.flag("essential_impact_or_life_threatening"):
            hit(
                "Rule 20",
                "essential impact or life-threatening conditions",
                "IIb",
                "Administers medicinal products by inhalation with an essential impact on their "
                "efficacy and safety, or treats life-threatening conditions.",
                "administers_medicinal_product_by_inhalation",
                "essential_impact_or_life_threatening",
            )
        else:
            hit(
                "Rule 20",
                "",
                "IIa",
                "Body-orifice device administering medicinal products by inhalation.",
                "administers_medicinal_product_by_inhalation",
            )
    # Rule 21
    if invasiveness in (NON_INVASIVE, BODY_ORIFICE) and p.flag("substance_based"):
        _rule_21(p, hit)


def _rule_21(p, hit) -> None:
    absorption = p.value("systemic_absorption", "none")
    route = p.value("route", "other")
    base = "substance_based"
    if absorption == "achieves_purpose":
        hit(
            "Rule 21",
            "first indent",
            "III",
            "Substance-based device systemically absorbed to achieve its intended purpose.",
            base,
            "systemic_absorption",
        )
    if route == "stomach_or_lower_gi" and absorption != "none":
        hit(
            "Rule 21",
            "second indent",
            "III",
            "Substance-based device acting in the stomach or lower gastrointestinal tract and "
            "systemically absorbed.",
            base,
            "systemic_absorption",
        )
    if absorption == "achieves_purpose" or (
        route == "stomach_or_lower_gi" and absorption != "none"
    ):
        return
    if route in ("skin", "nasal_or_oral_cavity_to_pharynx"):
        hit(
            "Rule 21",
            "third indent",
            "IIa",
            "Substance-based device applied to and acting on the skin, or in the nasal or oral "
            "cavity up to the pharynx.",
            base,
        )
    else:
        hit(
            "Rule 21",
            "fourth indent",
            "IIb",
            "Substance-based device introduced via a body orifice or applied to the skin, "
            "acting elsewhere.",
            base,
        )


# ---- the wizard: which questions matter, given the answers so far -----------------------------


def _yes(name: str):
    return lambda a: a.get(name) is True


def _is(name: str, *values: str):
    return lambda a: a.get(name) in values


def _has(name: str, value: str):
    return lambda a: value in (a.get(name) or ())


def _all(*tests):
    return lambda a: all(test(a) for test in tests)


def _any(*tests):
    return lambda a: any(test(a) for test in tests)


def _always(_answers) -> bool:
    return True


def _active(a) -> bool:
    return a.get("active") is True or a.get("software") is True


def _rule_8_scope(a) -> bool:
    return _in_rule_8({"invasiveness": a.get("invasiveness"), "duration": a.get("duration")})


_ask_non_invasive = _is("invasiveness", NON_INVASIVE)
_ask_surgical = _is("invasiveness", SURGICAL)
_ask_surgical_or_implant = _is("invasiveness", SURGICAL, IMPLANTABLE)
_ask_rule_6 = _all(_ask_surgical, _is("duration", "transient"))
_ask_rule_6_or_7 = _all(_ask_surgical, _is("duration", "transient", "short_term"))
_ask_rule_7_or_8 = _any(
    _all(_ask_surgical, _is("duration", "short_term", "long_term")),
    _is("invasiveness", IMPLANTABLE),
)
_ask_channels = _all(_ask_non_invasive, _yes("channels_or_stores_for_administration"))
_ask_therapeutic = _all(_active, _is("active_type", "therapeutic"))
_ask_diagnostic = _all(_active, _is("active_type", "diagnostic_monitoring"))
_ask_substances = _all(_is("invasiveness", NON_INVASIVE, BODY_ORIFICE), _yes("substance_based"))

# One entry per profile attribute: when the wizard asks for it. An attribute is asked whenever
# the engine could read it for a device with these answers (tests check the two agree).
RELEVANT = {
    "invasiveness": _always,
    "duration": _is("invasiveness", BODY_ORIFICE, SURGICAL),
    "contact": _always,
    "location": _is("invasiveness", *INVASIVE),
    "software": _always,
    "active": lambda a: a.get("software") is not True,
    "active_type": _active,
    "sterile": _always,
    "measuring_function": _always,
    "channels_or_stores_for_administration": _ask_non_invasive,
    "channelled_or_stored": _ask_channels,
    "is_blood_bag": _ask_channels,
    "connected_active_device_class": _any(
        _ask_channels,
        _is("invasiveness", BODY_ORIFICE),
        _all(_ask_rule_6, _yes("reusable_surgical_instrument")),
    ),
    "modifies_composition_for_administration": _ask_non_invasive,
    "treatment": _all(_ask_non_invasive, _yes("modifies_composition_for_administration")),
    "substance_in_vitro_contact_cells_tissues_embryos": _ask_non_invasive,
    "wound_purpose": lambda a: _rule_4_applies(a.get("invasiveness"), a.get("contact", "none")),
    "absorbed_by_mucous_membrane": _all(
        _is("invasiveness", BODY_ORIFICE), _is("duration", "long_term")
    ),
    "reusable_surgical_instrument": _ask_rule_6,
    "controls_diagnoses_monitors_corrects_heart_ccs_defect": _ask_rule_6_or_7,
    "supplies_ionizing_radiation": _ask_rule_6_or_7,
    "biological_effect_or_absorbed": _any(_ask_surgical, _is("invasiveness", IMPLANTABLE)),
    "chemical_change_in_body": _ask_rule_7_or_8,
    "administers_medicinal_product": _ask_surgical_or_implant,
    "administration_potentially_hazardous": _all(
        _ask_rule_6, _yes("administers_medicinal_product")
    ),
    "active_implantable_or_accessory": _always,
    "breast_implant_or_surgical_mesh": _rule_8_scope,
    "joint_replacement": _rule_8_scope,
    "ancillary_component_screw_wedge_plate": _all(
        _rule_8_scope,
        _any(
            _yes("joint_replacement"),
            _all(_is("invasiveness", IMPLANTABLE), _has("location", "spinal_column")),
        ),
    ),
    "administers_or_exchanges_energy": _ask_therapeutic,
    "energy_potentially_hazardous": _all(_ask_therapeutic, _yes("administers_or_exchanges_energy")),
    "controls_monitors_influences_active_therapeutic_iib": _active,
    "emits_ionizing_radiation_therapeutic": _active,
    "controls_monitors_influences_aimd": _active,
    "supplies_energy_absorbed": _all(
        _ask_diagnostic, lambda a: a.get("illuminates_visible_spectrum_only") is not True
    ),
    "illuminates_visible_spectrum_only": _ask_diagnostic,
    "images_radiopharmaceuticals": _ask_diagnostic,
    "direct_diagnosis_or_monitoring_vital": _ask_diagnostic,
    "vital_parameter_immediate_danger": _any(
        _all(_ask_diagnostic, _yes("direct_diagnosis_or_monitoring_vital")),
        _all(_yes("software"), _has("software_function", "monitoring")),
    ),
    "emits_ionizing_radiation_diagnostic": _active,
    "software_function": _yes("software"),
    "decision_impact": _all(_yes("software"), _has("software_function", "decision_support")),
    "drives_device_class": _yes("software"),
    "administers_or_removes_substances": _active,
    "substance_administration_potentially_hazardous": _all(
        _active, _yes("administers_or_removes_substances")
    ),
    "integrated_diagnostic_function_determines_therapy": _ask_therapeutic,
    "incorporates_ancillary_medicinal_substance": _always,
    "human_blood_derivative": _always,
    "contraception_or_sti_prevention": _always,
    "disinfects_cleans_rinses_hydrates_contact_lenses": _always,
    "disinfects_or_sterilises_devices": _always,
    "disinfects_invasive_devices_end_point": _yes("disinfects_or_sterilises_devices"),
    "records_xray_diagnostic_images": _always,
    "tissue_origin": _always,
    "nanomaterial_internal_exposure": _always,
    "administers_medicinal_product_by_inhalation": _is("invasiveness", BODY_ORIFICE),
    "essential_impact_or_life_threatening": _all(
        _is("invasiveness", BODY_ORIFICE), _yes("administers_medicinal_product_by_inhalation")
    ),
    "substance_based": _is("invasiveness", NON_INVASIVE, BODY_ORIFICE),
    "route": _ask_substances,
    "systemic_absorption": _ask_substances,
}


def questions(answers: Mapping[str, Any]) -> list[Question]:
    """The questions that matter for a device with these answers, in asking order.

    Answered questions are included (a form can show them filled in); a step-by-step wizard
    asks the first one whose attribute is not in `answers` yet.
    """
    return relevant_questions(REGIME, answers, RELEVANT)
