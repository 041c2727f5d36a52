"""MDR Annex VIII, rule by rule, on the example devices of the public guidance.

Each example names its source: MDCG 2021-24 (Oct 2021) section 4.2 for the rule explanations,
section 3.1 for definitions, MDCG 2019-11 rev.1 (June 2025) for software. Where the guidance
gives no example for a sub-rule, the case cites the MDR Annex VIII text itself. The profile is
our reading of the example device's intended purpose, in the vocabulary of
profile_mdr.schema.json; the class is the one the guidance gives.
"""

import pytest

from samsvar.regulatory.classification import classify

NI = {"invasiveness": "non_invasive"}
THERAPEUTIC = {"active": True, "active_type": "therapeutic"}
DIAGNOSTIC = {"active": True, "active_type": "diagnostic_monitoring"}
SOFTWARE = {"software": True, "active_type": "other"}


def orifice(duration, *location, **more):
    return {
        "invasiveness": "body_orifice",
        "duration": duration,
        "location": list(location),
        **more,
    }


def surgical(duration, *location, **more):
    return {
        "invasiveness": "surgically_invasive",
        "duration": duration,
        "location": list(location),
        **more,
    }


def implant(*location, **more):
    return {"invasiveness": "implantable", "location": list(location), **more}


def example(source, device, cls, by, profile, absent=(), special=None):
    """One guidance example: `by` is a rule label that must give the final class."""
    return pytest.param(profile, cls, by, absent, special, id=f"{source}: {device}")


R1 = "MDCG 2021-24 4.2 Rule 1"
R2 = "MDCG 2021-24 4.2 Rule 2"
R3 = "MDCG 2021-24 4.2 Rule 3"
R4 = "MDCG 2021-24 4.2 Rule 4"
R5 = "MDCG 2021-24 4.2 Rule 5"
R6 = "MDCG 2021-24 4.2 Rule 6"
R7 = "MDCG 2021-24 4.2 Rule 7"
R8 = "MDCG 2021-24 4.2 Rule 8"
R9 = "MDCG 2021-24 4.2 Rule 9"
R10 = "MDCG 2021-24 4.2 Rule 10"
R11 = "MDCG 2021-24 4.2 Rule 11"
R12 = "MDCG 2021-24 4.2 Rule 12"
R13 = "MDCG 2021-24 4.2 Rule 13"
R14 = "MDCG 2021-24 4.2 Rule 14"
R15 = "MDCG 2021-24 4.2 Rule 15"
R16 = "MDCG 2021-24 4.2 Rule 16"
R17 = "MDCG 2021-24 4.2 Rule 17"
R18 = "MDCG 2021-24 4.2 Rule 18"
R19 = "MDCG 2021-24 4.2 Rule 19"
R20 = "MDCG 2021-24 4.2 Rule 20"
R21 = "MDCG 2021-24 4.2 Rule 21"
R22 = "MDCG 2021-24 4.2 Rule 22"
SW_IV = "MDCG 2019-11 Annex IV"

EXAMPLES = [
    # ---- Rule 1 ----
    example(R1, "wheelchair pushed by hand", "I", "Rule 1", {**NI, "contact": "intact_skin"}),
    example(
        R1,
        "urine collection bottle (no return flow: not Rule 2)",
        "I",
        "Rule 1",
        {**NI, "contact": "none"},
        absent=("Rule 2",),
    ),
    example(
        "MDCG 2021-24 3.1 active devices",
        "ECG electrode (not active: no energy conversion)",
        "I",
        "Rule 1",
        {**NI, "contact": "intact_skin", "active": False},
        absent=("Rule 13",),
    ),
    # ---- Rule 2 ----
    example(
        R2,
        "tubing for use with an infusion pump",
        "IIa",
        "Rule 2, first indent",
        {
            **NI,
            "channels_or_stores_for_administration": True,
            "channelled_or_stored": ["other_liquids"],
            "connected_active_device_class": "IIb",
        },
    ),
    example(
        R2,
        "anaesthesia breathing circuit",
        "IIa",
        "Rule 2, first indent",
        {
            **NI,
            "channels_or_stores_for_administration": True,
            "channelled_or_stored": ["gases"],
            "connected_active_device_class": "IIb",
        },
    ),
    example(
        R2,
        "device channelling blood in transfusion",
        "IIa",
        "Rule 2, second indent",
        {**NI, "channels_or_stores_for_administration": True, "channelled_or_stored": ["blood"]},
    ),
    example(
        R2,
        "container for transporting organs for transplantation",
        "IIa",
        "Rule 2, second indent",
        {
            **NI,
            "channels_or_stores_for_administration": True,
            "channelled_or_stored": ["organs_tissues_cells"],
        },
    ),
    example(
        R2,
        "blood bag without a medicinal substance",
        "IIb",
        "Rule 2, second indent, blood bags",
        {
            **NI,
            "channels_or_stores_for_administration": True,
            "channelled_or_stored": ["blood"],
            "is_blood_bag": True,
        },
    ),
    example(
        R2,
        "gravity infusion administration set",
        "I",
        "Rule 2, last paragraph",
        {
            **NI,
            "channels_or_stores_for_administration": True,
            "channelled_or_stored": ["other_liquids"],
            "connected_active_device_class": "none",
        },
    ),
    # ---- Rule 3 ----
    example(
        R3,
        "haemodialyser (exchange of solutes)",
        "IIb",
        "Rule 3, first paragraph",
        {**NI, "modifies_composition_for_administration": True, "treatment": ["solute_exchange"]},
    ),
    example(
        R3,
        "device removing blood cells by binding to a matrix",
        "IIb",
        "Rule 3, first paragraph",
        {**NI, "modifies_composition_for_administration": True, "treatment": ["other"]},
    ),
    example(
        R3,
        "particulate filter for blood in extracorporeal circulation",
        "IIa",
        "Rule 3, first paragraph, exception",
        {**NI, "modifies_composition_for_administration": True, "treatment": ["filtration"]},
    ),
    example(
        R3,
        "warming blood in an extracorporeal circuit",
        "IIa",
        "Rule 3, first paragraph, exception",
        {**NI, "modifies_composition_for_administration": True, "treatment": ["heat_exchange"]},
    ),
    example(
        R3,
        "removing carbon dioxide from / adding oxygen to blood",
        "IIa",
        "Rule 3, first paragraph, exception",
        {**NI, "modifies_composition_for_administration": True, "treatment": ["gas_exchange"]},
    ),
    example(
        R3,
        "IVF cell media without human albumin",
        "III",
        "Rule 3, second paragraph",
        {**NI, "substance_in_vitro_contact_cells_tissues_embryos": True},
    ),
    # ---- Rule 4 ----
    example(
        R4,
        "adhesive bandage absorbing exudate",
        "I",
        "Rule 4, first indent",
        {
            **NI,
            "contact": "injured_skin",
            "wound_purpose": ["mechanical_barrier", "absorption_of_exudate"],
        },
    ),
    example(
        R4,
        "dressing for burns that have breached the dermis",
        "IIb",
        "Rule 4, second indent",
        {
            **NI,
            "contact": "injured_skin",
            "wound_purpose": ["breached_dermis_secondary_intent", "mechanical_barrier"],
        },
    ),
    example(
        R4,
        "polymer film dressing managing the wound micro-environment",
        "IIa",
        "Rule 4, third indent",
        {**NI, "contact": "injured_skin", "wound_purpose": ["manage_microenvironment"]},
    ),
    example(
        R4,
        "polymer film dressing only retaining a cannula at the wound (practical issues)",
        "I",
        "Rule 4, first indent",
        {**NI, "contact": "injured_skin", "wound_purpose": ["mechanical_barrier"]},
    ),
    example(
        "MDR Annex VIII Rule 4, fourth indent",
        "wound contact device for a purpose the rule does not list",
        "IIa",
        "Rule 4, fourth indent",
        {**NI, "contact": "injured_skin", "wound_purpose": []},
    ),
    example(
        R4,
        "dressing for nose bleeds (invasive, injured mucous membrane)",
        "I",
        "Rule 4, first indent",
        orifice(
            "short_term",
            "nasal_cavity",
            contact="injured_mucous_membrane",
            wound_purpose=["absorption_of_exudate"],
        ),
    ),
    # ---- Rule 5 ----
    example(
        R5,
        "handheld dental mirror",
        "I",
        "Rule 5, first indent",
        orifice("transient", "oral_cavity_to_pharynx"),
    ),
    example(
        R5,
        "urinary catheter for transient use",
        "I",
        "Rule 5, first indent",
        orifice("transient", "elsewhere"),
    ),
    example(
        R5,
        "indwelling urinary catheter for short-term use",
        "IIa",
        "Rule 5, second indent",
        orifice("short_term", "elsewhere"),
    ),
    example(
        R5,
        "short-term corrective contact lenses (eye surface)",
        "IIa",
        "Rule 5, second indent",
        orifice("short_term", "elsewhere"),
    ),
    example(
        R5,
        "urinary catheter for long-term use",
        "IIb",
        "Rule 5, third indent",
        orifice("long_term", "elsewhere"),
    ),
    example(
        R5,
        "orthodontic wire",
        "IIa",
        "Rule 5, third indent, exception",
        orifice("long_term", "teeth", "oral_cavity_to_pharynx"),
    ),
    example(
        "MDR Annex VIII Rule 5, third indent",
        "long-term oral device liable to be absorbed by the mucous membrane",
        "IIb",
        "Rule 5, third indent",
        orifice("long_term", "oral_cavity_to_pharynx", absorbed_by_mucous_membrane=True),
    ),
    example(
        R5,
        "tracheal tube connected to a ventilator",
        "IIa",
        "Rule 5, second paragraph",
        orifice("short_term", "elsewhere", connected_active_device_class="IIb"),
    ),
    example(
        R5,
        "long-term tracheostomy cannula connected to a ventilator (implementing rule 3.5)",
        "IIb",
        "Rule 5, third indent",
        orifice("long_term", "elsewhere", connected_active_device_class="IIb"),
    ),
    # ---- Rule 6 ----
    example(
        R6,
        "needle used with a syringe",
        "IIa",
        "Rule 6, first paragraph",
        surgical("transient", "elsewhere"),
    ),
    example(
        R6,
        "single-use scalpel",
        "IIa",
        "Rule 6, first paragraph",
        surgical("transient", "elsewhere"),
    ),
    example(
        R6,
        "reusable scalpel handle",
        "I",
        "Rule 6, second indent",
        surgical("transient", "elsewhere", reusable_surgical_instrument=True),
        special=["reusable_surgical"],
    ),
    example(
        R6,
        "saw connected to an active device is not a reusable surgical instrument (note 1)",
        "IIa",
        "Rule 6, first paragraph",
        surgical(
            "transient",
            "elsewhere",
            reusable_surgical_instrument=True,
            connected_active_device_class="IIa",
        ),
        special=[],
    ),
    example(
        R6,
        "angioplasty balloon catheter",
        "III",
        "Rule 6, first indent",
        surgical(
            "transient",
            "heart_or_central_circulatory_system",
            controls_diagnoses_monitors_corrects_heart_ccs_defect=True,
        ),
    ),
    example(
        R6,
        "brain spatula",
        "III",
        "Rule 6, third indent",
        surgical("transient", "central_nervous_system", reusable_surgical_instrument=True),
        special=[],
    ),
    example(
        R6,
        "catheter with a sealed radioisotope, outside the central circulatory system",
        "IIb",
        "Rule 6, fourth indent",
        surgical("transient", "elsewhere", supplies_ionizing_radiation=True),
    ),
    example(
        R6,
        "viscoelastic solution for ophthalmic surgery",
        "IIb",
        "Rule 6, fifth indent",
        surgical("transient", "elsewhere", biological_effect_or_absorbed=True),
    ),
    example(
        R6,
        "refillable insulin pen",
        "IIb",
        "Rule 6, sixth indent",
        surgical(
            "transient",
            "elsewhere",
            administers_medicinal_product=True,
            administration_potentially_hazardous=True,
        ),
    ),
    # ---- Rule 7 ----
    example(R7, "clamps", "IIa", "Rule 7, first paragraph", surgical("short_term", "elsewhere")),
    example(
        R7,
        "cardiovascular catheter",
        "III",
        "Rule 7, first indent",
        surgical(
            "short_term",
            "heart_or_central_circulatory_system",
            controls_diagnoses_monitors_corrects_heart_ccs_defect=True,
        ),
    ),
    example(
        R7,
        "temporary pacemaker leads",
        "III",
        "Rule 7, second indent",
        surgical("short_term", "heart_or_central_circulatory_system"),
    ),
    example(
        R7,
        "cortical electrodes",
        "III",
        "Rule 7, second indent",
        surgical("short_term", "central_nervous_system"),
    ),
    example(
        R7,
        "brachytherapy device",
        "IIb",
        "Rule 7, third indent",
        surgical("short_term", "elsewhere", supplies_ionizing_radiation=True),
    ),
    example(
        R7,
        "absorbable sutures",
        "III",
        "Rule 7, fourth indent",
        surgical("short_term", "elsewhere", biological_effect_or_absorbed=True),
    ),
    example(
        "MDR Annex VIII Rule 7, fifth indent",
        "short-term device undergoing chemical change in the body",
        "IIb",
        "Rule 7, fifth indent",
        surgical("short_term", "elsewhere", chemical_change_in_body=True),
    ),
    example(
        R7,
        "temporary filling material (chemical change, placed in the teeth)",
        "IIa",
        "Rule 7, first paragraph",
        surgical("short_term", "teeth", chemical_change_in_body=True),
    ),
    example(
        "MDR Annex VIII Rule 7, sixth indent",
        "short-term surgically invasive device administering medicines",
        "IIb",
        "Rule 7, sixth indent",
        surgical("short_term", "elsewhere", administers_medicinal_product=True),
    ),
    # ---- Rule 8 ----
    example(R8, "intra-ocular lens", "IIb", "Rule 8, first paragraph", implant("elsewhere")),
    example(
        R8,
        "peripheral vascular catheter for long-term use",
        "IIb",
        "Rule 8, first paragraph",
        surgical("long_term", "elsewhere"),
    ),
    example(
        R8,
        "non-biodegradable bone cement (chemical change only while setting: note 4)",
        "IIb",
        "Rule 8, first paragraph",
        implant("elsewhere", chemical_change_in_body=False),
    ),
    example(R8, "bridges and crowns", "IIa", "Rule 8, first indent", implant("teeth")),
    example(
        R8,
        "dental filling material",
        "IIa",
        "Rule 8, first indent",
        implant("teeth", chemical_change_in_body=True),
    ),
    example(
        R8,
        "prosthetic heart valve",
        "III",
        "Rule 8, second indent",
        implant("heart_or_central_circulatory_system"),
    ),
    example(
        R8,
        "long-term absorbable sutures",
        "III",
        "Rule 8, third indent",
        implant("elsewhere", biological_effect_or_absorbed=True),
    ),
    example(
        "MDR Annex VIII Rule 8, fourth indent",
        "implant undergoing chemical change in the body",
        "III",
        "Rule 8, fourth indent",
        implant("elsewhere", chemical_change_in_body=True),
    ),
    example(
        R8,
        "rechargeable non-active drug delivery system",
        "III",
        "Rule 8, fifth indent",
        implant("elsewhere", administers_medicinal_product=True),
    ),
    example(
        R8,
        "implantable cardiac pacemaker",
        "III",
        "Rule 8, sixth indent",
        implant(
            "heart_or_central_circulatory_system",
            active_implantable_or_accessory=True,
            **THERAPEUTIC,
        ),
    ),
    example(
        R8,
        "torque wrench for an implantable pulse generator (non-implantable accessory, note 5)",
        "III",
        "Rule 8, sixth indent",
        {**NI, "active_implantable_or_accessory": True},
    ),
    example(
        R8,
        "breast implant",
        "III",
        "Rule 8, seventh indent",
        implant("elsewhere", breast_implant_or_surgical_mesh=True),
    ),
    example(
        R8,
        "surgical mesh for hernia repair",
        "III",
        "Rule 8, seventh indent",
        implant("elsewhere", breast_implant_or_surgical_mesh=True),
    ),
    example(
        R8,
        "hip joint replacement",
        "III",
        "Rule 8, eighth indent",
        implant("elsewhere", joint_replacement=True),
    ),
    example(
        R8,
        "bone screw for a knee replacement (ancillary component)",
        "IIb",
        "Rule 8, first paragraph",
        implant("elsewhere", joint_replacement=True, ancillary_component_screw_wedge_plate=True),
    ),
    example(
        R8,
        "spinal disc replacement implant",
        "III",
        "Rule 8, ninth indent",
        implant("spinal_column"),
    ),
    example(
        R8,
        "pedicle screws (ancillary spinal component)",
        "IIb",
        "Rule 8, first paragraph",
        implant("spinal_column", ancillary_component_screw_wedge_plate=True),
    ),
    # ---- Rule 9 ----
    example(
        R9,
        "TENS device",
        "IIa",
        "Rule 9, first paragraph",
        {**NI, "contact": "intact_skin", **THERAPEUTIC, "administers_or_exchanges_energy": True},
    ),
    example(
        R9,
        "powered dermatome (mechanical energy)",
        "IIa",
        "Rule 9, first paragraph",
        {
            **surgical("transient", "elsewhere"),
            **THERAPEUTIC,
            "administers_or_exchanges_energy": True,
        },
    ),
    example(
        R9,
        "lung ventilator",
        "IIb",
        "Rule 9, first paragraph, potentially hazardous",
        {
            **NI,
            **THERAPEUTIC,
            "administers_or_exchanges_energy": True,
            "energy_potentially_hazardous": True,
        },
    ),
    example(
        R9,
        "surgical laser",
        "IIb",
        "Rule 9, first paragraph, potentially hazardous",
        {
            **NI,
            **THERAPEUTIC,
            "administers_or_exchanges_energy": True,
            "energy_potentially_hazardous": True,
        },
    ),
    example(
        R9,
        "external defibrillator with no integrated diagnostic function (not Rule 22)",
        "IIb",
        "Rule 9, first paragraph, potentially hazardous",
        {
            **NI,
            **THERAPEUTIC,
            "administers_or_exchanges_energy": True,
            "energy_potentially_hazardous": True,
            "integrated_diagnostic_function_determines_therapy": False,
        },
        absent=("Rule 22",),
    ),
    example(
        R9,
        "external feedback system for an active therapeutic device",
        "IIb",
        "Rule 9, second paragraph",
        {**NI, **DIAGNOSTIC, "controls_monitors_influences_active_therapeutic_iib": True},
    ),
    example(
        R9,
        "therapeutic linear accelerator",
        "IIb",
        "Rule 9, third paragraph",
        {**NI, **THERAPEUTIC, "emits_ionizing_radiation_therapeutic": True},
    ),
    example(
        R9,
        "programmer for an implantable pulse generator",
        "III",
        "Rule 9, fourth paragraph",
        {
            **NI,
            **THERAPEUTIC,
            "controls_monitors_influences_aimd": True,
            "active_implantable_or_accessory": True,
        },
    ),
    # ---- Rule 10 ----
    example(
        R10,
        "magnetic resonance equipment",
        "IIa",
        "Rule 10, first indent",
        {**NI, **DIAGNOSTIC, "supplies_energy_absorbed": True},
    ),
    example(
        R10,
        "examination lamp",
        "I",
        "Rule 10, first indent, exception",
        {**NI, **DIAGNOSTIC, "illuminates_visible_spectrum_only": True},
    ),
    example(
        R10,
        "gamma camera",
        "IIa",
        "Rule 10, second indent",
        {**NI, **DIAGNOSTIC, "images_radiopharmaceuticals": True},
    ),
    example(
        R10,
        "electrocardiograph",
        "IIa",
        "Rule 10, third indent",
        {**NI, **DIAGNOSTIC, "direct_diagnosis_or_monitoring_vital": True},
    ),
    example(
        "MDCG 2019-11 Annex IV",
        "electronic thermometer",
        "IIa",
        "Rule 10, third indent",
        {**NI, **DIAGNOSTIC, "direct_diagnosis_or_monitoring_vital": True},
    ),
    example(
        R10,
        "multi-parameter patient monitor for intensive care",
        "IIb",
        "Rule 10, third indent, exception",
        {
            **NI,
            **DIAGNOSTIC,
            "direct_diagnosis_or_monitoring_vital": True,
            "vital_parameter_immediate_danger": True,
        },
    ),
    example(
        R10,
        "diagnostic X-ray machine",
        "IIb",
        "Rule 10, second paragraph",
        {**NI, **DIAGNOSTIC, "emits_ionizing_radiation_diagnostic": True},
    ),
    example(
        R10,
        "computed tomography device",
        "IIb",
        "Rule 10, second paragraph",
        {**NI, **DIAGNOSTIC, "emits_ionizing_radiation_diagnostic": True},
    ),
    # ---- Rule 11 (and implementing rule 3.3) ----
    example(
        SW_IV,
        "image analysis for treatment decisions in acute stroke",
        "III",
        "Rule 11, first paragraph, first indent",
        {
            **NI,
            **SOFTWARE,
            "software_function": ["decision_support"],
            "decision_impact": "death_or_irreversible",
        },
    ),
    example(
        SW_IV,
        "app analysing heartbeat and informing a physician",
        "IIb",
        "Rule 11, first paragraph, second indent",
        {
            **NI,
            **SOFTWARE,
            "software_function": ["decision_support"],
            "decision_impact": "serious_or_surgical",
        },
    ),
    example(
        SW_IV,
        "depression scoring from patient symptoms",
        "IIb",
        "Rule 11, first paragraph, second indent",
        {
            **NI,
            **SOFTWARE,
            "software_function": ["decision_support"],
            "decision_impact": "serious_or_surgical",
        },
    ),
    example(
        SW_IV,
        "ranking chemotherapy options for BRCA-positive individuals",
        "IIa",
        "Rule 11, first paragraph",
        {**NI, **SOFTWARE, "software_function": ["decision_support"], "decision_impact": "other"},
    ),
    example(
        R11,
        "monitoring physiological processes that are not vital",
        "IIa",
        "Rule 11, second paragraph",
        {**NI, **SOFTWARE, "software_function": ["monitoring"]},
    ),
    example(
        SW_IV,
        "continuous surveillance of vital processes in intensive care",
        "IIb",
        "Rule 11, second paragraph, exception",
        {
            **NI,
            **SOFTWARE,
            "software_function": ["monitoring"],
            "vital_parameter_immediate_danger": True,
        },
    ),
    example(
        SW_IV,
        "app calculating fertility status to support conception (sub-rule 11c)",
        "I",
        "Rule 11, third paragraph",
        {**NI, **SOFTWARE, "software_function": []},
        absent=("Rule 15",),
    ),
    example(
        SW_IV,
        "app converting symbols into speech for communication disorders",
        "I",
        "Rule 11, third paragraph",
        {**NI, **SOFTWARE},
    ),
    example(
        "MDCG 2019-11 4.1",
        "melanoma image analysis driving a class IIa near-infrared scanner",
        "III",
        "Rule 11, first paragraph, first indent",
        {
            **NI,
            **SOFTWARE,
            "software_function": ["decision_support"],
            "decision_impact": "death_or_irreversible",
            "drives_device_class": "IIa",
        },
    ),
    example(
        "MDR Annex VIII implementing rule 3.3; MDCG 2021-24 Rule 11 note 3",
        "software that only drives a class IIb device",
        "IIb",
        "Implementing rule 3.3",
        {**NI, **SOFTWARE, "drives_device_class": "IIb"},
        absent=("Rule 13",),
    ),
    # ---- Rule 12 ----
    example(
        R12,
        "insulin infusion pump (Fjordmed InsuPump)",
        "IIb",
        "Rule 12, potentially hazardous",
        {
            **NI,
            "contact": "intact_skin",
            **THERAPEUTIC,
            "administers_or_removes_substances": True,
            "substance_administration_potentially_hazardous": True,
        },
    ),
    example(
        R12,
        "dialysis equipment",
        "IIb",
        "Rule 12, potentially hazardous",
        {
            **NI,
            **THERAPEUTIC,
            "administers_or_removes_substances": True,
            "substance_administration_potentially_hazardous": True,
        },
    ),
    example(
        R12,
        "feeding pump",
        "IIa",
        "Rule 12",
        {**NI, **THERAPEUTIC, "administers_or_removes_substances": True},
    ),
    example(
        R12,
        "suction pump",
        "IIa",
        "Rule 12",
        {**NI, **THERAPEUTIC, "administers_or_removes_substances": True},
    ),
    # ---- Rule 13 ----
    example(
        R13,
        "electric wheelchair",
        "I",
        "Rule 13",
        {**NI, "contact": "intact_skin", "active": True, "active_type": "other"},
        absent=("Rule 1",),
    ),
    example(
        R13, "electric hospital bed", "I", "Rule 13", {**NI, "active": True, "active_type": "other"}
    ),
    # ---- Rule 14 ----
    example(
        R14,
        "bone cement with antibiotics",
        "III",
        "Rule 14",
        implant("elsewhere", incorporates_ancillary_medicinal_substance=True),
    ),
    example(
        R14,
        "drug-eluting coronary stent",
        "III",
        "Rule 14",
        implant(
            "heart_or_central_circulatory_system", incorporates_ancillary_medicinal_substance=True
        ),
    ),
    example(
        R14,
        "surgical sealant containing human serum albumin",
        "III",
        "Rule 14, human blood or plasma derivative",
        surgical(
            "short_term",
            "elsewhere",
            incorporates_ancillary_medicinal_substance=True,
            human_blood_derivative=True,
        ),
    ),
    # ---- Rule 15 ----
    example(
        R15,
        "condom",
        "IIb",
        "Rule 15",
        orifice("transient", "elsewhere", contraception_or_sti_prevention=True),
    ),
    example(
        R15,
        "contraceptive diaphragm",
        "IIb",
        "Rule 15",
        orifice("short_term", "elsewhere", contraception_or_sti_prevention=True),
    ),
    example(
        R15,
        "fertility monitor software used for contraception (also MDCG 2019-11 4.2.4)",
        "IIb",
        "Rule 15",
        {**NI, **SOFTWARE, "software_function": [], "contraception_or_sti_prevention": True},
    ),
    example(
        R15,
        "tubal ligation clips",
        "III",
        "Rule 15, implantable or long-term invasive",
        implant("elsewhere", contraception_or_sti_prevention=True),
    ),
    example(
        R15,
        "non-hormonal intrauterine contraceptive device",
        "III",
        "Rule 15, implantable or long-term invasive",
        orifice("long_term", "elsewhere", contraception_or_sti_prevention=True),
    ),
    # ---- Rule 16 ----
    example(
        R16,
        "contact lens storing solution",
        "IIb",
        "Rule 16, first paragraph",
        {**NI, "disinfects_cleans_rinses_hydrates_contact_lenses": True},
    ),
    example(
        R16,
        "disinfecting solution for non-invasive medical devices",
        "IIa",
        "Rule 16, second paragraph",
        {**NI, "disinfects_or_sterilises_devices": True},
    ),
    example(
        R16,
        "steriliser for medical devices in a medical environment",
        "IIa",
        "Rule 16, second paragraph",
        {**NI, "active": True, "active_type": "other", "disinfects_or_sterilises_devices": True},
        absent=("Rule 13",),
    ),
    example(
        R16,
        "washer-disinfector for endoscopes at the end point of processing",
        "IIb",
        "Rule 16, second paragraph, exception",
        {
            **NI,
            "active": True,
            "active_type": "other",
            "disinfects_or_sterilises_devices": True,
            "disinfects_invasive_devices_end_point": True,
        },
    ),
    example(
        R16,
        "brush for cleaning medical devices by mechanical action (not Rule 16)",
        "I",
        "Rule 1",
        {**NI, "disinfects_or_sterilises_devices": False},
        absent=("Rule 16",),
    ),
    # ---- Rule 17 ----
    example(R17, "X-ray film", "IIa", "Rule 17", {**NI, "records_xray_diagnostic_images": True}),
    example(
        R17,
        "digital X-ray detector",
        "IIa",
        "Rule 17",
        {
            **NI,
            "active": True,
            "active_type": "diagnostic_monitoring",
            "records_xray_diagnostic_images": True,
        },
    ),
    # ---- Rule 18 ----
    example(
        R18,
        "animal-derived biological heart valve",
        "III",
        "Rule 18",
        implant("heart_or_central_circulatory_system", tissue_origin=["animal"]),
    ),
    example(
        R18,
        "porcine xenograft dressing",
        "III",
        "Rule 18",
        {
            **NI,
            "contact": "injured_skin",
            "wound_purpose": ["breached_dermis_secondary_intent"],
            "tissue_origin": ["animal"],
        },
    ),
    example(
        R18,
        "collagen dermal filler",
        "III",
        "Rule 18",
        implant("elsewhere", tissue_origin=["animal"]),
    ),
    example(
        R18,
        "leather component of an orthopaedic appliance (intact skin only: note 3)",
        "I",
        "Rule 1",
        {**NI, "contact": "intact_skin", "tissue_origin": ["animal"]},
        absent=("Rule 18",),
    ),
    # ---- Rule 19 ----
    example(
        R19,
        "bone filler with nanomaterial, not polymerised before contact (high exposure)",
        "III",
        "Rule 19, first indent",
        implant("elsewhere", nanomaterial_internal_exposure="high"),
    ),
    example(
        "MDR Annex VIII Rule 19, second indent",
        "device with a low potential for internal exposure to nanomaterial",
        "IIb",
        "Rule 19, second indent",
        {
            **NI,
            "contact": "injured_skin",
            "wound_purpose": ["mechanical_barrier"],
            "nanomaterial_internal_exposure": "low",
        },
    ),
    example(
        R19,
        "dental filling material with nanomaterial (negligible: note 3)",
        "IIa",
        "Rule 19, third indent",
        implant("teeth", nanomaterial_internal_exposure="negligible"),
    ),
    # ---- Rule 20 ----
    example(
        R20,
        "spacer for metered dose inhalers",
        "IIa",
        "Rule 20",
        orifice(
            "transient", "oral_cavity_to_pharynx", administers_medicinal_product_by_inhalation=True
        ),
    ),
    example(
        R20,
        "nebuliser where failing to deliver the dosage could be hazardous",
        "IIb",
        "Rule 20, essential impact or life-threatening conditions",
        orifice(
            "transient",
            "oral_cavity_to_pharynx",
            administers_medicinal_product_by_inhalation=True,
            essential_impact_or_life_threatening=True,
        ),
    ),
    # ---- Rule 21 ----
    example(
        R21,
        "salt water nose spray",
        "IIa",
        "Rule 21, third indent",
        orifice(
            "transient",
            "nasal_cavity",
            substance_based=True,
            route="nasal_or_oral_cavity_to_pharynx",
        ),
    ),
    example(
        R21,
        "substance-based formulation for skin treatment",
        "IIa",
        "Rule 21, third indent",
        {
            **NI,
            "contact": "injured_skin",
            "substance_based": True,
            "route": "skin",
            "wound_purpose": ["mechanical_barrier"],
        },
    ),
    example(
        R21,
        "ear drops used on an intact eardrum (count as skin: note 2)",
        "IIa",
        "Rule 21, third indent",
        orifice("short_term", "ear_canal_to_eardrum", substance_based=True, route="skin"),
    ),
    example(
        R21,
        "simethicone preparation for oral administration",
        "IIb",
        "Rule 21, fourth indent",
        orifice(
            "short_term",
            "elsewhere",
            substance_based=True,
            route="stomach_or_lower_gi",
            systemic_absorption="none",
        ),
    ),
    example(
        R21,
        "eye drops for hydration",
        "IIb",
        "Rule 21, fourth indent",
        orifice("short_term", "elsewhere", substance_based=True, route="eye"),
    ),
    example(
        R21,
        "fat absorber whose metabolites are systemically absorbed",
        "III",
        "Rule 21, second indent",
        orifice(
            "short_term",
            "elsewhere",
            substance_based=True,
            route="stomach_or_lower_gi",
            systemic_absorption="incidental",
        ),
    ),
    example(
        "MDR Annex VIII Rule 21, first indent",
        "substance systemically absorbed to achieve its purpose",
        "III",
        "Rule 21, first indent",
        {
            **NI,
            "contact": "intact_skin",
            "substance_based": True,
            "route": "skin",
            "systemic_absorption": "achieves_purpose",
        },
    ),
    # ---- Rule 22 ----
    example(
        R22,
        "automated external defibrillator",
        "III",
        "Rule 22",
        {
            **NI,
            **THERAPEUTIC,
            "administers_or_exchanges_energy": True,
            "energy_potentially_hazardous": True,
            "integrated_diagnostic_function_determines_therapy": True,
        },
    ),
    example(
        R22,
        "automated closed-loop insulin delivery system",
        "III",
        "Rule 22",
        {
            **NI,
            **THERAPEUTIC,
            "administers_or_removes_substances": True,
            "substance_administration_potentially_hazardous": True,
            "integrated_diagnostic_function_determines_therapy": True,
        },
    ),
    example(
        SW_IV,
        "cognitive therapy software adapting treatment from its own diagnostic feedback",
        "III",
        "Rule 22",
        {
            **NI,
            "software": True,
            "active_type": "therapeutic",
            "software_function": ["decision_support"],
            "integrated_diagnostic_function_determines_therapy": True,
        },
    ),
    example(
        SW_IV,
        "cognitive therapy software where a specialist decides the therapy (not Rule 22)",
        "IIa",
        "Rule 11, first paragraph",
        {**NI, **SOFTWARE, "software_function": ["decision_support"], "decision_impact": "other"},
        absent=("Rule 22",),
    ),
]


@pytest.mark.parametrize(("profile", "cls", "by", "absent", "special"), EXAMPLES)
def test_guidance_example(profile, cls, by, absent, special):
    result = classify("mdr", profile)
    assert result.device_class == cls, result.to_dict()
    deciding = [hit.label for hit in result.rules if hit.device_class == cls]
    assert by in deciding, result.to_dict()
    fired = {hit.rule for hit in result.rules}
    for rule in absent:
        assert rule not in fired, result.to_dict()
    if special is not None:
        assert list(result.special) == special


# ---- implementing rule 3.5: several rules, the strictest wins ---------------------------------


def test_insulin_pump_is_iib_by_rule_12():
    """MDCG 2021-24 4.2 Rule 12: infusion pumps are IIb (Fjordmed's InsuPump profile)."""
    pump = {
        "invasiveness": "non_invasive",
        "contact": "intact_skin",
        "active": True,
        "active_type": "therapeutic",
        "administers_or_removes_substances": True,
        "substance_administration_potentially_hazardous": True,
        "integrated_diagnostic_function_determines_therapy": False,
        "sterile": False,
    }
    result = classify("mdr", pump)
    assert result.to_dict() == {
        "class": "IIb",
        "special": [],
        "rules": [
            {
                "rule": "Rule 12",
                "sub": "potentially hazardous",
                "class": "IIb",
                "reason": result.rules[0].reason,
            }
        ],
        "decided_by": "Rule 12, potentially hazardous",
    }
    assert "potentially hazardous" in result.rules[0].reason


def test_ivf_media_with_human_albumin_rule_14_and_rule_3():
    """MDCG 2021-24 4.2 Rule 14 note 2: IVF cell media with human albumin, Rules 3 and 14 (III)."""
    result = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "substance_in_vitro_contact_cells_tissues_embryos": True,
            "incorporates_ancillary_medicinal_substance": True,
            "human_blood_derivative": True,
        },
    )
    assert result.device_class == "III"
    assert {hit.rule for hit in result.rules} == {"Rule 3", "Rule 14"}
    assert result.decided_by == (
        "Rule 3 and Rule 14 (implementing rule 3.5: the strictest rule applies)"
    )


def test_blood_bag_with_heparin_is_iii_by_rule_14_over_rule_2():
    """MDCG 2021-24 4.2 Rule 14: blood bags with heparin as anticoagulant are III (Rule 2: IIb)."""
    result = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "channels_or_stores_for_administration": True,
            "channelled_or_stored": ["blood"],
            "is_blood_bag": True,
            "incorporates_ancillary_medicinal_substance": True,
        },
    )
    assert result.device_class == "III"
    assert [(h.rule, h.device_class) for h in result.rules] == [
        ("Rule 2", "IIb"),
        ("Rule 14", "III"),
    ]
    assert result.decided_by == "Rule 14 (implementing rule 3.5: the strictest rule applies)"


def test_condom_with_spermicide_is_iii():
    """MDCG 2021-24 4.2 Rule 14: condoms with spermicide are III (Rule 15 alone: IIb)."""
    result = classify(
        "mdr",
        {
            "invasiveness": "body_orifice",
            "duration": "transient",
            "location": ["elsewhere"],
            "contraception_or_sti_prevention": True,
            "incorporates_ancillary_medicinal_substance": True,
        },
    )
    assert result.device_class == "III"
    assert [h.label for h in result.rules] == ["Rule 5, first indent", "Rule 14", "Rule 15"]


def test_strictest_sub_rule_within_one_rule():
    """MDR Annex VIII 3.5, sub-rules: a reusable instrument in contact with the CNS is III."""
    result = classify(
        "mdr",
        {
            "invasiveness": "surgically_invasive",
            "duration": "transient",
            "location": ["central_nervous_system"],
            "reusable_surgical_instrument": True,
        },
    )
    assert [h.device_class for h in result.rules] == ["I", "III"]
    assert result.decided_by == (
        "Rule 6, third indent (implementing rule 3.5: the strictest sub-rule applies)"
    )


def test_tracheostomy_cannula_both_paragraphs_of_rule_5():
    """MDCG 2021-24 4.2 Rule 5, practical issues: long-term tracheal cannula (ventilator) is IIb."""
    result = classify(
        "mdr",
        {
            "invasiveness": "body_orifice",
            "duration": "long_term",
            "location": ["elsewhere"],
            "connected_active_device_class": "IIb",
        },
    )
    assert [(h.label, h.device_class) for h in result.rules] == [
        ("Rule 5, third indent", "IIb"),
        ("Rule 5, second paragraph", "IIa"),
    ]
    assert "implementing rule 3.5" in result.decided_by


# ---- class I variants (Article 52(7)) ---------------------------------------------------------


def test_sterile_examination_gloves_are_class_is():
    """MDCG 2021-24 4.2 Rule 5 (examination gloves, transient) and 2 (Is: sterile condition)."""
    result = classify(
        "mdr",
        {
            "invasiveness": "body_orifice",
            "duration": "transient",
            "location": ["elsewhere"],
            "sterile": True,
        },
    )
    assert (result.device_class, result.special) == ("I", ("sterile",))


def test_oral_dosing_syringe_is_class_im():
    """MDCG 2021-24 3.1 (devices with a measuring function: plastic syringes co-packed to measure
    a medicinal product) and 4.2 Rule 5 (plastic syringe before oral administration)."""
    result = classify(
        "mdr",
        {
            "invasiveness": "body_orifice",
            "duration": "transient",
            "location": ["oral_cavity_to_pharynx"],
            "measuring_function": True,
        },
    )
    assert (result.device_class, result.special) == ("I", ("measuring",))


def test_reusable_scalpel_handle_is_class_ir_and_can_be_sterile_too():
    """MDCG 2021-24 4.2 Rule 6: scalpels and scalpel handles (reusable surgical instruments)."""
    result = classify(
        "mdr",
        {
            "invasiveness": "surgically_invasive",
            "duration": "transient",
            "location": ["elsewhere"],
            "reusable_surgical_instrument": True,
            "sterile": True,
            "measuring_function": True,
        },
    )
    assert result.device_class == "I"
    assert result.special == ("sterile", "measuring", "reusable_surgical")


def test_variants_only_for_class_i():
    """MDR Article 52(7) covers class I only: an electronic thermometer (IIa) gets no 'Im'."""
    result = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "active": True,
            "active_type": "diagnostic_monitoring",
            "direct_diagnosis_or_monitoring_vital": True,
            "measuring_function": True,
            "sterile": True,
        },
    )
    assert (result.device_class, result.special) == ("IIa", ())


def test_connected_instrument_note_explains_missing_ir():
    result = classify(
        "mdr",
        {
            "invasiveness": "surgically_invasive",
            "duration": "transient",
            "location": ["elsewhere"],
            "reusable_surgical_instrument": True,
            "active": True,
            "active_type": "therapeutic",
        },
    )
    assert result.special == ()
    assert any("MDCG 2021-24 Rule 6 note 1" in note for note in result.notes)


# ---- Rule 11 sub-cases against the MDCG 2019-11 Annex III table -------------------------------


@pytest.mark.parametrize(
    ("impact", "cls"),
    [
        ("death_or_irreversible", "III"),  # critical situation, treat or diagnose
        ("serious_or_surgical", "IIb"),  # critical/drives or serious/treat or diagnose
        ("other", "IIa"),  # informs clinical management
    ],
)
def test_rule_11a_follows_the_imdrf_table(impact, cls):
    """MDCG 2019-11 Annex III: IMDRF categories IV.i -> III, III -> IIb, II and I -> IIa."""
    result = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "software": True,
            "active_type": "other",
            "software_function": ["decision_support"],
            "decision_impact": impact,
        },
    )
    assert result.device_class == cls


def test_software_both_monitoring_and_decisions_takes_the_higher():
    """MDCG 2019-11 4.2.1: most monitoring software also informs decisions (11a); IR 3.5."""
    result = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "software": True,
            "active_type": "diagnostic_monitoring",
            "software_function": ["decision_support", "monitoring"],
            "decision_impact": "serious_or_surgical",
        },
    )
    assert [(h.label, h.device_class) for h in result.rules] == [
        ("Rule 11, first paragraph, second indent", "IIb"),
        ("Rule 11, second paragraph", "IIa"),
    ]
    assert result.device_class == "IIb"


def test_software_never_lower_than_the_hardware_it_drives():
    """MDCG 2019-11 4.1: own purpose IIa, drives a class III device: not lower than III."""
    result = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "software": True,
            "active_type": "other",
            "software_function": ["decision_support"],
            "drives_device_class": "III",
        },
    )
    assert result.device_class == "III"
    assert result.decided_by.startswith("Implementing rule 3.3")


# ---- the fallbacks ----------------------------------------------------------------------------


def test_rule_1_only_when_nothing_else_applies():
    """MDR Annex VIII Rule 1: 'unless one of the rules set out hereinafter applies'."""
    plain = classify("mdr", {"invasiveness": "non_invasive"})
    assert [h.rule for h in plain.rules] == ["Rule 1"]
    assert plain.decided_by == "Rule 1"
    other = classify(
        "mdr", {"invasiveness": "non_invasive", "records_xray_diagnostic_images": True}
    )
    assert [h.rule for h in other.rules] == ["Rule 17"]


def test_rule_13_only_when_no_other_active_rule_applies():
    """MDCG 2021-24 4.2 Rule 13: a fallback rule for active devices."""
    energy = classify(
        "mdr",
        {
            "invasiveness": "non_invasive",
            "active": True,
            "active_type": "therapeutic",
            "administers_or_exchanges_energy": True,
        },
    )
    assert "Rule 13" not in {h.rule for h in energy.rules}
    curing_light = classify(
        "mdr", {"invasiveness": "non_invasive", "active": True, "active_type": "other"}
    )
    assert [h.rule for h in curing_light.rules] == ["Rule 13"]


def test_invasive_device_never_falls_back_to_rule_1():
    result = classify(
        "mdr", {"invasiveness": "surgically_invasive", "duration": "long_term", "location": []}
    )
    assert [h.label for h in result.rules] == ["Rule 8, first paragraph"]
