"""What the class implies (MDR Art. 52, 54, 85-86, 123; IVDR Art. 48, 80-81, 113): pure Python."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samsvar.regulatory.implications import (
    AVAILABLE_TO_NB,
    CLASSES,
    ON_REQUEST,
    SUBMIT_VIA_EUDAMED,
    TD_EVERY_DEVICE,
    TD_LIMITED,
    TD_PER_CATEGORY,
    TD_PER_GENERIC_DEVICE_GROUP,
    TD_TYPE_EXAMINATION,
    Profile,
    implications,
)


def route_keys(result):
    return [r.key for r in result.routes]


# --- MDR Art. 52: routes per class ---------------------------------------------------------------


def test_plain_class_i_is_self_declared_without_a_notified_body():
    result = implications("mdr", "I", Profile())
    assert route_keys(result) == ["mdr-I-self-declaration"]
    assert result.routes[0].annexes == ("II", "III")
    assert not result.routes[0].notified_body
    assert not result.notified_body.required
    assert result.notified_body.citation == "MDR Art. 52(7)"
    assert result.class_label == "I"


@pytest.mark.parametrize(
    ("flags", "limited_to", "label", "paragraphs"),
    [
        ({"sterile": True}, ("sterility",), "Is", ["52(7)(a)"]),
        ({"measuring": True}, ("metrology",), "Im", ["52(7)(b)"]),
        ({"reusable_surgical": True}, ("reuse",), "Ir", ["52(7)(c)"]),
        (
            {"sterile": True, "measuring": True},
            ("sterility", "metrology"),
            "Ism",
            ["52(7)(a)", "52(7)(b)"],
        ),
    ],
)
def test_class_is_im_ir_need_a_notified_body_limited_to_their_aspect(
    flags, limited_to, label, paragraphs
):
    result = implications("mdr", "I", Profile(**flags))
    assert result.class_label == label
    assert route_keys(result) == ["mdr-I-special-annex-ix", "mdr-I-special-annex-xi-a"]
    assert result.routes[0].annexes == ("II", "III", "IX Ch. I", "IX Ch. III")
    assert result.routes[1].annexes == ("II", "III", "XI Part A")
    assert all(r.notified_body and r.td_assessment == TD_LIMITED for r in result.routes)
    assert result.notified_body.required
    assert result.notified_body.limited_to == limited_to
    for paragraph in paragraphs:
        assert paragraph in result.notified_body.citation


def test_the_is_limit_is_spelt_out_in_both_languages():
    result = implications("mdr", "I", Profile(sterile=True))
    assert "sterile conditions" in result.notified_body.summary_en
    assert "sterile forhold" in result.notified_body.summary_nb


def test_class_iia_has_annex_ix_or_annex_xi_with_td_per_category():
    result = implications("mdr", "IIa", Profile())
    assert route_keys(result) == ["mdr-IIa-annex-ix", "mdr-IIa-annex-xi"]
    assert {r.td_assessment for r in result.routes} == {TD_PER_CATEGORY}
    assert {r.citation for r in result.routes} == {"MDR Art. 52(6)"}
    assert "Section 10" in result.routes[1].summary_en
    assert "Section 18" in result.routes[1].summary_en
    assert result.notified_body.required and result.notified_body.limited_to == ()


def test_class_iib_assesses_td_per_generic_device_group():
    result = implications("mdr", "IIb", Profile())
    assert route_keys(result) == ["mdr-IIb-annex-ix", "mdr-IIb-annex-x-xi"]
    assert result.routes[0].td_assessment == TD_PER_GENERIC_DEVICE_GROUP
    assert result.routes[1].td_assessment == TD_TYPE_EXAMINATION
    assert {r.citation for r in result.routes} == {"MDR Art. 52(4)"}


def test_class_iib_implantable_has_td_assessed_for_every_device():
    result = implications("mdr", "IIb", Profile(implantable=True))
    assert result.routes[0].td_assessment == TD_EVERY_DEVICE


def test_class_iib_implantable_wet_items_keep_the_sampled_td_assessment():
    profile = Profile(implantable=True, is_wellestablished_technology_exception=True)
    result = implications("mdr", "IIb", profile)
    assert result.routes[0].td_assessment == TD_PER_GENERIC_DEVICE_GROUP
    assert "well-established" in result.routes[0].summary_en


def test_class_iii_has_annex_ix_or_type_examination():
    result = implications("mdr", "III", Profile())
    assert route_keys(result) == ["mdr-III-annex-ix", "mdr-III-annex-x-xi"]
    assert result.routes[0].td_assessment == TD_EVERY_DEVICE
    assert result.routes[1].annexes == ("II", "III", "X", "XI")
    assert {r.citation for r in result.routes} == {"MDR Art. 52(3)"}


@pytest.mark.parametrize("cls", ["I", "IIa", "IIb", "III"])
def test_custom_made_devices_follow_annex_xiii_without_a_notified_body(cls):
    result = implications("mdr", cls, Profile(custom_made=True, sterile=True))
    assert route_keys(result) == ["mdr-custom-made-annex-xiii"]
    assert not result.notified_body.required
    assert result.routes[0].citation == "MDR Art. 52(8)"


def test_class_iii_custom_made_implants_add_annex_ix_chapter_i_or_annex_xi_part_a():
    result = implications("mdr", "III", Profile(custom_made=True, implantable=True))
    assert route_keys(result) == [
        "mdr-custom-made-III-annex-ix-ch-i",
        "mdr-custom-made-III-annex-xi-a",
    ]
    assert result.routes[0].annexes == ("XIII", "IX Ch. I")
    assert result.routes[1].annexes == ("XIII", "XI Part A")
    assert result.notified_body.required


# --- MDR Art. 54 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "flags", "applies", "citation"),
    [
        ("III", {"implantable": True}, True, "MDR Art. 54(1)(a)"),
        ("III", {}, False, None),
        (
            "IIb",
            {"active": True, "administers_or_removes_medicinal_product": True},
            True,
            "MDR Art. 54(1)(b)",
        ),
        ("IIb", {"active": True}, False, None),
        ("IIb", {"administers_or_removes_medicinal_product": True}, False, None),
        ("IIb", {"implantable": True}, False, None),
        ("IIa", {"active": True, "administers_or_removes_medicinal_product": True}, False, None),
        ("III", {"implantable": True, "custom_made": True}, False, None),
    ],
)
def test_the_clinical_evaluation_consultation_procedure(cls, flags, applies, citation):
    result = implications("mdr", cls, Profile(**flags))
    assert result.clinical_evaluation_consultation is applies
    keys = [p.key for p in result.additional_procedures]
    assert ("mdr-art54-clinical-evaluation-consultation" in keys) is applies
    if applies:
        assert result.additional_procedures[0].citation == citation
        assert result.additional_procedures[0].confirmed


# --- IVDR Art. 48: routes per class --------------------------------------------------------------


def test_class_a_is_self_declared():
    result = implications("ivdr", "A", Profile())
    assert route_keys(result) == ["ivdr-A-self-declaration"]
    assert not result.notified_body.required
    assert result.routes[0].citation == "IVDR Art. 48(10)"


def test_sterile_class_a_needs_a_notified_body_limited_to_sterility():
    result = implications("ivdr", "A", Profile(sterile=True))
    assert route_keys(result) == ["ivdr-A-sterile-annex-ix", "ivdr-A-sterile-annex-xi"]
    assert result.notified_body.required
    assert result.notified_body.limited_to == ("sterility",)
    assert result.notified_body.citation == "IVDR Art. 48(10)"


def test_class_b_has_td_per_category_and_no_alternative_route():
    result = implications("ivdr", "B", Profile())
    assert route_keys(result) == ["ivdr-B-annex-ix"]
    assert result.routes[0].td_assessment == TD_PER_CATEGORY
    assert result.routes[0].citation == "IVDR Art. 48(9)"
    assert "IX Sec. 5.1" not in result.routes[0].annexes
    assert result.additional_procedures == ()


@pytest.mark.parametrize("cls", ["B", "C", "D"])
@pytest.mark.parametrize("flag", ["self_test", "near_patient"])
def test_self_testing_and_near_patient_devices_add_annex_ix_section_5_1(cls, flag):
    result = implications("ivdr", cls, Profile(**{flag: True}))
    assert "IX Sec. 5.1" in result.routes[0].annexes
    assert "ivdr-annex-ix-5-1" in [p.key for p in result.additional_procedures]


def test_class_c_has_td_per_generic_device_group_or_annex_x_xi():
    result = implications("ivdr", "C", Profile())
    assert route_keys(result) == ["ivdr-C-annex-ix", "ivdr-C-annex-x-xi"]
    assert result.routes[0].td_assessment == TD_PER_GENERIC_DEVICE_GROUP
    assert result.routes[0].citation == "IVDR Art. 48(7)"
    assert result.routes[1].citation == "IVDR Art. 48(8)"
    assert "XI (except Sec. 5)" in result.routes[1].annexes


def test_class_c_companion_diagnostics_have_every_device_assessed_and_section_5_2():
    result = implications("ivdr", "C", Profile(companion_diagnostic=True))
    assert result.routes[0].td_assessment == TD_EVERY_DEVICE
    assert "IX Sec. 5.2" in result.routes[0].annexes
    assert "ivdr-annex-ix-5-2" in [p.key for p in result.additional_procedures]
    assert "Section 3(k)" in result.routes[1].summary_en


def test_class_d_assesses_every_device_and_adds_reference_lab_and_expert_panel():
    result = implications("ivdr", "D", Profile())
    assert route_keys(result) == ["ivdr-D-annex-ix", "ivdr-D-annex-x-xi"]
    assert result.routes[0].td_assessment == TD_EVERY_DEVICE
    assert "IX Ch. II (except Sec. 5)" in result.routes[0].annexes
    keys = [p.key for p in result.additional_procedures]
    assert keys == ["ivdr-eu-reference-laboratory", "ivdr-expert-panel"]
    assert result.routes[0].citation == "IVDR Art. 48(3)"
    assert result.routes[1].citation == "IVDR Art. 48(4)"


def test_class_d_companion_diagnostic_adds_section_5_2():
    result = implications("ivdr", "D", Profile(companion_diagnostic=True))
    assert "IX Sec. 5.2" in result.routes[0].annexes
    assert "ivdr-annex-ix-5-2" in [p.key for p in result.additional_procedures]


def test_mdr_only_flags_are_ignored_under_the_ivdr():
    plain = implications("ivdr", "B", Profile())
    flagged = implications(
        "ivdr", "B", Profile(implantable=True, active=True, custom_made=True, measuring=True)
    )
    assert route_keys(plain) == route_keys(flagged)
    assert flagged.retention.years == 10


# --- PMS report and cadence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "cls", "flags", "report", "months", "submission", "citation"),
    [
        ("mdr", "I", {}, "PMSR", None, ON_REQUEST, "MDR Art. 85"),
        ("mdr", "IIa", {}, "PSUR", 24, AVAILABLE_TO_NB, "MDR Art. 86(1), 86(3)"),
        ("mdr", "IIa", {"implantable": True}, "PSUR", 24, SUBMIT_VIA_EUDAMED, None),
        ("mdr", "IIb", {}, "PSUR", 12, AVAILABLE_TO_NB, "MDR Art. 86(1), 86(3)"),
        ("mdr", "IIb", {"implantable": True}, "PSUR", 12, SUBMIT_VIA_EUDAMED, None),
        ("mdr", "III", {}, "PSUR", 12, SUBMIT_VIA_EUDAMED, "MDR Art. 86(1), 86(2)"),
        ("ivdr", "A", {}, "PMSR", None, ON_REQUEST, "IVDR Art. 80"),
        ("ivdr", "B", {}, "PMSR", None, ON_REQUEST, "IVDR Art. 80"),
        ("ivdr", "C", {}, "PSUR", 12, AVAILABLE_TO_NB, "IVDR Art. 81(1), 81(3)"),
        ("ivdr", "D", {}, "PSUR", 12, SUBMIT_VIA_EUDAMED, "IVDR Art. 81(1), 81(2)"),
    ],
)
def test_pms_report_and_cadence(regime, cls, flags, report, months, submission, citation):
    pms = implications(regime, cls, Profile(**flags)).pms
    assert pms.report == report
    assert pms.max_interval_months == months
    assert pms.submission == submission
    if citation:
        assert pms.citation == citation


def test_class_i_pmsr_has_no_fixed_period():
    pms = implications("mdr", "I", Profile()).pms
    assert "when necessary" in pms.summary_en
    assert "no fixed period" in pms.summary_en
    assert "ingen fast frist" in pms.summary_nb


# --- UDI carrier dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "flags", "carrier", "direct"),
    [
        ("III", {}, date(2021, 5, 26), date(2023, 5, 26)),
        ("IIb", {"implantable": True}, date(2021, 5, 26), date(2023, 5, 26)),
        ("IIb", {}, date(2023, 5, 26), date(2025, 5, 26)),
        ("IIa", {}, date(2023, 5, 26), date(2025, 5, 26)),
        ("I", {}, date(2025, 5, 26), date(2027, 5, 26)),
        ("I", {"reusable_surgical": True}, date(2025, 5, 26), date(2027, 5, 26)),
    ],
)
def test_mdr_udi_carrier_dates(cls, flags, carrier, direct):
    udi = implications("mdr", cls, Profile(**flags)).udi
    assert udi.applicable
    assert udi.carrier_from == carrier
    assert udi.direct_marking_from == direct
    assert udi.citation == "MDR Art. 123(3)(f), 123(3)(g)"


def test_custom_made_devices_have_no_udi():
    udi = implications("mdr", "IIa", Profile(custom_made=True)).udi
    assert not udi.applicable and udi.carrier_from is None


@pytest.mark.parametrize(
    ("cls", "carrier"),
    [
        ("D", date(2023, 5, 26)),
        ("C", date(2025, 5, 26)),
        ("B", date(2025, 5, 26)),
        ("A", date(2027, 5, 26)),
    ],
)
def test_ivdr_udi_carrier_dates(cls, carrier):
    udi = implications("ivdr", cls, Profile()).udi
    assert udi.carrier_from == carrier
    assert udi.direct_marking_from is None
    assert udi.citation == "IVDR Art. 113(3)(e)"


# --- Retention -----------------------------------------------------------------------------------


def test_mdr_retention_is_ten_years_or_fifteen_for_implants():
    assert implications("mdr", "IIa", Profile()).retention.years == 10
    implant = implications("mdr", "IIb", Profile(implantable=True)).retention
    assert implant.years == 15
    assert implant.citation == "MDR Art. 10(8)"


def test_custom_made_retention_comes_from_annex_xiii():
    retention = implications("mdr", "III", Profile(custom_made=True, implantable=True)).retention
    assert retention.years == 15
    assert retention.citation == "MDR Annex XIII Section 4"


@pytest.mark.parametrize("cls", CLASSES["ivdr"])
def test_ivdr_retention_is_ten_years_with_no_implant_rule(cls):
    retention = implications("ivdr", cls, Profile(implantable=True)).retention
    assert retention.years == 10
    assert retention.citation == "IVDR Art. 10(7)"


# --- Other class-driven duties -------------------------------------------------------------------


def test_implants_get_sscp_clinical_investigation_and_implant_card():
    keys = [i.key for i in implications("mdr", "IIb", Profile(implantable=True)).other]
    assert keys == ["mdr-sscp", "mdr-clinical-investigation", "mdr-implant-card"]


def test_wet_implants_have_no_implant_card_and_may_skip_clinical_investigation():
    profile = Profile(implantable=True, is_wellestablished_technology_exception=True)
    other = {i.key: i for i in implications("mdr", "IIb", profile).other}
    assert "mdr-implant-card" not in other
    assert other["mdr-clinical-investigation"].citation == "MDR Art. 61(4), 61(6)(b)"


def test_class_c_and_d_ivds_need_an_ssp():
    assert [i.key for i in implications("ivdr", "C", Profile()).other] == ["ivdr-ssp"]
    assert [i.key for i in implications("ivdr", "D", Profile()).other] == ["ivdr-ssp"]
    assert implications("ivdr", "B", Profile()).other == ()


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("regime", "cls"), [("mdd", "I"), ("mdr", "A"), ("ivdr", "III")])
def test_unknown_regime_or_class_is_refused(regime, cls):
    with pytest.raises(ValueError):
        implications(regime, cls, Profile())


# --- Properties over every class and profile -----------------------------------------------------

profiles = st.builds(Profile, **{name: st.booleans() for name in Profile.flag_names()})
regime_and_class = st.sampled_from(
    [(regime, cls) for regime, classes in CLASSES.items() for cls in classes]
)


@given(regime_and_class, profiles)
def test_every_class_and_profile_has_a_route_and_a_retention_of_ten_years_or_more(rc, profile):
    regime, cls = rc
    result = implications(regime, cls, profile)
    assert result.routes
    assert result.retention.years >= 10
    assert result.notified_body.required == any(r.notified_body for r in result.routes)
    assert result.pms.report in ("PMSR", "PSUR")


@given(regime_and_class, profiles)
def test_every_item_has_a_citation_and_text_in_both_languages(rc, profile):
    regime, cls = rc
    result = implications(regime, cls, profile)
    keys = [item.key for item in result.items()]
    assert len(keys) == len(set(keys))
    for item in result.items():
        assert item.citation.startswith(regime.upper() + " ")
        assert item.title_en and item.title_nb and item.summary_en and item.summary_nb
        assert item.title_nb != item.title_en or item.title_en in ("UDI",)


@given(profiles)
def test_only_implants_get_fifteen_years_and_only_under_the_mdr(profile):
    for cls in CLASSES["mdr"]:
        years = implications("mdr", cls, profile).retention.years
        assert years == (15 if profile.implantable else 10)
