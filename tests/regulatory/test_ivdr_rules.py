"""IVDR Annex VIII, rule by rule and indent by indent, on the examples of the public guidance.

Sources: MDCG 2020-16 rev.4 (March 2025) section 4 for the rules (cited by rule and indent),
its Annex 1 for devices used in combination, and MDCG 2019-11 rev.1 section 5 for IVD software.
The profile is our reading of the example's intended purpose in the vocabulary of
profile_ivdr.schema.json; the class is the one the guidance gives.
"""

import pytest

from samsvar.regulatory.classification import classify

LAB = {"product_type": "assay_reagent", "use_setting": "professional_lab"}
SELF = {"product_type": "assay_reagent", "use_setting": "self_test"}
NEAR = {"product_type": "assay_reagent", "use_setting": "near_patient"}
G = "MDCG 2020-16 Rule"


def example(source, device, cls, by, profile, absent=()):
    return pytest.param(profile, cls, by, absent, id=f"{source}: {device}")


def purpose(*purposes, base=LAB, **more):
    return {**base, "purpose": list(purposes), **more}


EXAMPLES = [
    # ---- Rule 1 ----
    example(
        f"{G} 1 first indent",
        "anti-HIV 1/2 test for screening blood donations",
        "D",
        "Rule 1, first indent",
        purpose("donor_screening_transmissible_agent"),
    ),
    example(
        "MDCG 2020-16 3.1",
        "syphilis test for screening blood and tissue donations",
        "D",
        "Rule 1, first indent",
        purpose("donor_screening_transmissible_agent"),
    ),
    example(
        "MDCG 2020-16 3.1",
        "syphilis test for diagnosis in the individual (sexually transmitted agent)",
        "C",
        "Rule 3(a)",
        purpose("sti_agent"),
        absent=("Rule 1",),
    ),
    example(
        f"{G} 1 second indent",
        "Ebola virus detection",
        "D",
        "Rule 1, second indent",
        purpose("detect_life_threatening_high_propagation_agent"),
    ),
    example(
        f"{G} 1 third indent",
        "HIV viral load",
        "D",
        "Rule 1, third indent",
        purpose("infectious_load_life_threatening_monitoring"),
    ),
    # ---- Rule 2 ----
    example(
        f"{G} 2",
        "red blood cell kit for reverse ABO grouping",
        "D",
        "Rule 2, listed markers",
        purpose("blood_grouping_or_tissue_typing", markers=["ABO1", "ABO2", "ABO3"]),
    ),
    example(
        f"{G} 2",
        "foetal RhD typing kit",
        "D",
        "Rule 2, listed markers",
        purpose("blood_grouping_or_tissue_typing", markers=["RH1"]),
    ),
    example(
        f"{G} 2",
        "anti-K (KEL1) blood grouping reagent",
        "D",
        "Rule 2, listed markers",
        purpose("blood_grouping_or_tissue_typing", markers=["KEL1"]),
    ),
    example(
        f"{G} 2",
        "HLA typing by Sanger sequencing for transplantation",
        "C",
        "Rule 2",
        purpose("blood_grouping_or_tissue_typing", markers=["HLA"]),
    ),
    example(
        f"{G} 2",
        "anti-Lea monoclonal blood grouping reagent",
        "C",
        "Rule 2",
        purpose("blood_grouping_or_tissue_typing", markers=["other"]),
    ),
    # ---- Rule 3 ----
    example(f"{G} 3(a)", "Chlamydia trachomatis detection", "C", "Rule 3(a)", purpose("sti_agent")),
    example(
        f"{G} 3(b)",
        "Streptococcus pneumoniae detection in cerebrospinal fluid",
        "C",
        "Rule 3(b)",
        purpose("infectious_agent_in_csf_or_blood"),
    ),
    example(
        f"{G} 3(c)",
        "Listeria monocytogenes meningitis detection",
        "C",
        "Rule 3(c)",
        purpose("infectious_agent_erroneous_result_death_or_severe_disability"),
    ),
    example(
        f"{G} 3(d)",
        "rubella immune status in prenatal screening",
        "C",
        "Rule 3(d)",
        purpose("prenatal_immune_status"),
    ),
    example(
        f"{G} 3(e)",
        "interferon-gamma release assay for Mycobacterium tuberculosis",
        "C",
        "Rule 3(e)",
        purpose("infective_or_immune_status_life_threatening_risk"),
    ),
    example(
        f"{G} 3(f)",
        "ALK detection in NSCLC tissue for crizotinib treatment",
        "C",
        "Rule 3(f)",
        purpose("companion_diagnostic"),
    ),
    example(
        f"{G} 3(g)",
        "BNP for the severity of congestive heart failure",
        "C",
        "Rule 3(g)",
        purpose("disease_staging_life_threatening_risk"),
    ),
    example(
        f"{G} 3(h)",
        "faecal immunochemical test for colon cancer screening",
        "C",
        "Rule 3(h)",
        purpose("cancer_screening_diagnosis_staging"),
    ),
    example(
        f"{G} 3(h)",
        "H. pylori IgG antibodies for gastric cancer screening",
        "C",
        "Rule 3(h)",
        purpose("cancer_screening_diagnosis_staging"),
    ),
    example(
        f"{G} 6",
        "Helicobacter pylori test (no cancer screening claim)",
        "B",
        "Rule 6",
        purpose(),
    ),
    example(
        f"{G} 3(i)",
        "factor V gene test for thrombophilia",
        "C",
        "Rule 3(i)",
        purpose("human_genetic_testing"),
    ),
    example(
        f"{G} 3(j)",
        "lithium monitoring in bipolar disorder",
        "C",
        "Rule 3(j)",
        purpose("monitoring_levels_life_threatening_risk"),
    ),
    example(
        f"{G} 3(k)",
        "HbA1c for the management of patients with diabetes",
        "C",
        "Rule 3(k)",
        purpose("management_life_threatening_disease"),
    ),
    example(
        f"{G} 3(l)",
        "non-invasive prenatal test for foetal trisomies",
        "C",
        "Rule 3(l)",
        purpose("congenital_disorder_screening_embryo_foetus"),
    ),
    example(
        f"{G} 3(m)",
        "newborn screening for phenylketonuria",
        "C",
        "Rule 3(m)",
        purpose("newborn_screening_congenital_disorders"),
    ),
    example(
        f"{G} 3(a) note",
        "Giardia lamblia detection (not a sexually transmitted agent)",
        "B",
        "Rule 6",
        purpose("other"),
        absent=("Rule 3",),
    ),
    # ---- Rule 4 ----
    example(
        f"{G} 4(a)",
        "blood-glucose self-test meter (Fjordmed GlucoCheck; strips are the assay)",
        "C",
        "Rule 4(a)",
        {
            "product_type": "instrument",
            "use_setting": "self_test",
            "independent_measuring_function": False,
            "self_test_analytes": ["other"],
        },
    ),
    example(
        f"{G} 4(a)",
        "blood-glucose self-test strips",
        "C",
        "Rule 4(a)",
        purpose("management_life_threatening_disease", base=SELF, self_test_analytes=["other"]),
    ),
    example(
        f"{G} 4(a)",
        "INR self-test for blood clotting",
        "C",
        "Rule 4(a)",
        purpose(base=SELF, self_test_analytes=["other"]),
    ),
    example(
        f"{G} 4(a)",
        "SARS-CoV-2 self-test",
        "C",
        "Rule 4(a)",
        purpose(base=SELF, self_test_analytes=["other"]),
    ),
    example(
        f"{G} 4(a)",
        "calprotectin self-test read by a professional from an image",
        "C",
        "Rule 4(a)",
        purpose(base=SELF, self_test_analytes=["other"]),
    ),
    example(
        f"{G} 4(a)",
        "HIV antibody self-test from a fingerprick (implementing rule 1.9)",
        "D",
        "Rule 1, second indent",
        purpose(
            "detect_life_threatening_high_propagation_agent",
            base=SELF,
            self_test_analytes=["other"],
        ),
    ),
    example(
        "IVDR Annex VIII Rule 4(a)",
        "pregnancy self-test",
        "B",
        "Rule 4(a), exception",
        purpose(base=SELF, self_test_analytes=["pregnancy"]),
    ),
    example(
        "IVDR Annex VIII Rule 4(a)",
        "cholesterol self-test",
        "B",
        "Rule 4(a), exception",
        purpose(base=SELF, self_test_analytes=["cholesterol"]),
    ),
    example(
        "IVDR Annex VIII Rule 4(a)",
        "urine dipstick self-test for glucose and leucocytes",
        "B",
        "Rule 4(a), exception",
        purpose(base=SELF, self_test_analytes=["urine_glucose", "urine_leucocytes"]),
    ),
    example(
        f"{G} 4(a)",
        "self-test for an exception marker together with a class C marker",
        "C",
        "Rule 4(a)",
        purpose(base=SELF, self_test_analytes=["fertility", "other"]),
    ),
    example(
        f"{G} 4(b)",
        "near-patient rapid test for HIV",
        "D",
        "Rule 1, second indent",
        purpose("detect_life_threatening_high_propagation_agent", base=NEAR),
        absent=("Rule 4",),
    ),
    example(
        f"{G} 4(b)",
        "near-patient blood glucose strips for patient monitoring",
        "C",
        "Rule 3(k)",
        purpose("management_life_threatening_disease", base=NEAR),
    ),
    example(
        f"{G} 4(b)",
        "near-patient rapid test for group A Streptococcus",
        "B",
        "Rule 6",
        purpose(base=NEAR),
    ),
    # ---- Rule 5 ----
    example(
        f"{G} 5(a)",
        "buffer solution specified for use with an IVD",
        "A",
        "Rule 5(a)",
        {"product_type": "general_lab_product", "use_setting": "professional_lab"},
    ),
    example(
        f"{G} 5(a)",
        "fixed-volume coagulation pipette (accessory without critical characteristics)",
        "A",
        "Rule 5(a)",
        {
            "product_type": "accessory",
            "use_setting": "professional_lab",
            "critical_characteristics": False,
        },
    ),
    example(
        "MDCG 2020-16 Annex 1 example 2",
        "blood gas solution pack with critical characteristics, not life-threatening",
        "B",
        "Rule 6",
        {
            "product_type": "accessory",
            "use_setting": "professional_lab",
            "critical_characteristics": True,
            "purpose": [],
        },
        absent=("Rule 5",),
    ),
    example(
        f"{G} 5(b)",
        "PCR thermocycler",
        "A",
        "Rule 5(b)",
        {"product_type": "instrument", "use_setting": "professional_lab"},
    ),
    example(
        "MDCG 2020-16 Annex 1 example 2",
        "blood gas analyser measuring directly, erroneous result not life-threatening",
        "B",
        "Rule 6",
        {
            "product_type": "instrument",
            "use_setting": "professional_lab",
            "independent_measuring_function": True,
        },
    ),
    example(
        "MDCG 2020-16 Annex 1 example 2",
        "blood gas analyser measuring directly, erroneous result life-threatening",
        "C",
        "Rule 3(j)",
        {
            "product_type": "instrument",
            "use_setting": "professional_lab",
            "independent_measuring_function": True,
            "purpose": ["monitoring_levels_life_threatening_risk"],
        },
    ),
    example(
        f"{G} 5(c)",
        "standalone urine collection cup",
        "A",
        "Rule 5(c)",
        {"product_type": "specimen_receptacle", "use_setting": "professional_lab"},
    ),
    example(
        f"{G} 5(c)",
        "saliva collection kit used by lay persons for SARS-CoV-2 testing elsewhere",
        "A",
        "Rule 5(c)",
        {"product_type": "specimen_receptacle", "use_setting": "self_collection_only"},
        absent=("Rule 4",),
    ),
    example(
        f"{G} 5(c)",
        "stool collection kit for colorectal cancer screening by a laboratory",
        "A",
        "Rule 5(c)",
        {
            "product_type": "specimen_receptacle",
            "use_setting": "self_collection_only",
            "purpose": ["cancer_screening_diagnosis_staging"],
        },
        absent=("Rule 3",),
    ),
    # ---- Rule 6 ----
    example(f"{G} 6", "magnesium for electrolyte homeostasis", "B", "Rule 6", purpose()),
    example(f"{G} 6", "C-reactive protein test", "B", "Rule 6", purpose("other")),
    example(f"{G} 6", "FSH test for fertility testing in blood", "B", "Rule 6", purpose()),
    example(f"{G} 6", "SARS-CoV-2 detection for professional use", "B", "Rule 6", purpose()),
    example(f"{G} 6", "Candida albicans detection", "B", "Rule 6", purpose()),
    # ---- Rule 7 and implementing rules 1.4-1.6 ----
    example(
        f"{G} 7",
        "unassigned control serum",
        "B",
        "Rule 7",
        {"product_type": "control", "use_setting": "professional_lab", "assigned_value": False},
    ),
    example(
        f"{G} 2 (class D examples)",
        "control red blood cells for ABO/Rh(D)/Kell grouping (assigned values)",
        "D",
        "Implementing rule 1.6",
        {
            "product_type": "control",
            "use_setting": "professional_lab",
            "assigned_value": True,
            "used_with_device_class": "D",
        },
    ),
    example(
        "MDCG 2020-16 Annex 1 example 1",
        "calibrator for a class C ELISA reagent",
        "C",
        "Implementing rule 1.5",
        {
            "product_type": "calibrator",
            "use_setting": "professional_lab",
            "used_with_device_class": "C",
        },
    ),
    example(
        "MDCG 2019-11 5.1",
        "software operating a class A CRP analyser from a remote location",
        "A",
        "Implementing rule 1.4",
        {"product_type": "software", "use_setting": "professional_lab", "drives_device_class": "A"},
        absent=("Rule 6",),
    ),
    example(
        "MDCG 2019-11 5.2",
        "software interpreting line immunoassays confirming HIV antibodies",
        "D",
        "Rule 1, second indent",
        {
            "product_type": "software",
            "use_setting": "professional_lab",
            "purpose": ["detect_life_threatening_high_propagation_agent"],
        },
    ),
    example(
        "MDCG 2019-11 5.2",
        "software in a PAP stain cervical cytology screening system",
        "C",
        "Rule 3(h)",
        {
            "product_type": "software",
            "use_setting": "professional_lab",
            "purpose": ["cancer_screening_diagnosis_staging"],
        },
    ),
    example(
        "MDCG 2019-11 5.2",
        "software evaluating the risk of trisomy 21",
        "C",
        "Rule 3(l)",
        {
            "product_type": "software",
            "use_setting": "professional_lab",
            "purpose": ["congenital_disorder_screening_embryo_foetus"],
        },
    ),
]


@pytest.mark.parametrize(("profile", "cls", "by", "absent"), EXAMPLES)
def test_guidance_example(profile, cls, by, absent):
    result = classify("ivdr", profile)
    assert result.device_class == cls, result.to_dict()
    assert by in [hit.label for hit in result.rules if hit.device_class == cls], result.to_dict()
    fired = {hit.rule for hit in result.rules}
    for rule in absent:
        assert rule not in fired, result.to_dict()


def test_blood_glucose_self_test_meter():
    """MDCG 2020-16 Rule 4(a): meters for self-testing of capillary blood glucose are class C;
    glucose in blood is not an exception (only glucose in urine is)."""
    meter = {"product_type": "instrument", "use_setting": "self_test"}
    result = classify("ivdr", meter)
    assert result.to_dict()["class"] == "C"
    assert [(h.label, h.device_class) for h in result.rules] == [
        ("Rule 4(a)", "C"),
        ("Rule 5(b)", "A"),
    ]
    assert result.decided_by == (
        "Rule 4(a) (implementing rule 1.9: the rule giving the higher class applies)"
    )
    urine = classify("ivdr", {**meter, "self_test_analytes": ["urine_glucose"]})
    assert urine.device_class == "B"


def test_rule_6_is_only_a_fallback():
    """IVDR Annex VIII Rule 6: devices not covered by the rules above are class B."""
    plain = classify("ivdr", {"product_type": "assay_reagent", "use_setting": "professional_lab"})
    assert [h.label for h in plain.rules] == ["Rule 6"]
    assert plain.decided_by == "Rule 6"
    covered = classify(
        "ivdr",
        {
            "product_type": "assay_reagent",
            "use_setting": "professional_lab",
            "purpose": ["sti_agent"],
        },
    )
    assert "Rule 6" not in {h.rule for h in covered.rules}


def test_several_purposes_take_the_higher_class():
    """MDCG 2020-16 Rule 3(h): BRCA1 device for hereditary breast cancer, also genetic testing
    (3(i)); implementing rule 1.8 names the several intended purposes."""
    result = classify(
        "ivdr",
        {
            "product_type": "assay_reagent",
            "use_setting": "professional_lab",
            "purpose": ["cancer_screening_diagnosis_staging", "human_genetic_testing"],
        },
    )
    assert result.device_class == "C"
    assert [h.label for h in result.rules] == ["Rule 3(h)", "Rule 3(i)"]
    assert result.decided_by == (
        "Rule 3 (implementing rule 1.8: with several intended purposes, the higher class applies)"
    )


def test_near_patient_testing_is_classified_in_its_own_right():
    result = classify(
        "ivdr", {"product_type": "assay_reagent", "use_setting": "near_patient", "purpose": []}
    )
    assert result.device_class == "B"
    assert any(note.startswith("Rule 4(b)") for note in result.notes)


def test_sterile_class_a():
    """IVDR Article 48(10): a class A device placed on the market sterile."""
    sterile = classify(
        "ivdr",
        {"product_type": "specimen_receptacle", "use_setting": "professional_lab", "sterile": True},
    )
    assert (sterile.device_class, sterile.special) == ("A", ("sterile",))
    class_b = classify(
        "ivdr",
        {"product_type": "assay_reagent", "use_setting": "professional_lab", "sterile": True},
    )
    assert (class_b.device_class, class_b.special) == ("B", ())


def test_controls_without_assigned_value_are_b_whatever_their_assay():
    """MDCG 2020-16 Annex 1 example 1: controls without assigned values are class B (Rule 7)."""
    result = classify(
        "ivdr",
        {
            "product_type": "control",
            "use_setting": "professional_lab",
            "purpose": ["donor_screening_transmissible_agent"],
        },
    )
    assert [h.label for h in result.rules] == ["Rule 7"]
    assert result.device_class == "B"
