"""Demo data: the standards register, the standards Fjordmed applies and the pump's GSPR checklist.

The InsuPump 3 is in verification: most of Annex I is filled in with the documents of its
technical file, a few verification reports are still outstanding. Loading twice changes nothing;
entries a user has changed since are left alone.
"""

from samsvar.devices.models import Device
from samsvar.standards.models import AppliedStandard, GsprEntry, StandardEdition
from samsvar.standards.services import (
    applied_standard_add,
    gspr_entry_save,
    standards_register_seed,
)

PUMP = "Fjordmed InsuPump 3"
METER = "Fjordmed GlucoSure"

# (register key, application, clauses applied, justification when applied in part)
PUMP_STANDARDS = [
    (
        "en-iso-13485-2016",
        "full",
        "Clauses 4 to 8; design and development (7.3) in DDP-IP3-001.",
        "",
    ),
    (
        "en-iso-14971-2019",
        "full",
        "Whole standard; Annex ZA of A11:2021 for the relation to MDR Annex I.",
        "",
    ),
    ("en-62304-2006", "full", "Whole standard; pump controller firmware in software class C.", ""),
    ("en-62366-1-2015", "full", "Clauses 4 and 5, summative evaluation per 5.7 and 5.8.", ""),
    (
        "en-60601-1-2006",
        "full",
        "Clauses 4 to 17 for internally powered ME equipment; essential performance: insulin "
        "delivery accuracy and occlusion detection (RMF-IP3-005).",
        "",
    ),
    ("en-60601-1-2-2015", "full", "Home healthcare environment immunity test levels.", ""),
    ("en-60601-1-6-2010", "full", "Whole standard, through EN 62366-1.", ""),
    ("en-60601-1-8-2007", "full", "Clauses 6.1 to 6.3: alarm conditions, priorities, signals.", ""),
    (
        "en-60601-1-11-2015",
        "partial",
        "Clauses 4 to 7 and 9 to 12: environmental conditions, IP22 ingress, shock and vibration, "
        "information for lay operators.",
        "Clause 8 (protection against electrical hazards from supply mains) is not applied: the "
        "InsuPump 3 runs only on its internal AAA battery and has no mains part or charger.",
    ),
    (
        "en-iso-10993-1-2020",
        "full",
        "Clauses 4 to 7; housing: surface device, intact skin, prolonged contact; reservoir "
        "compartment assessed with the insulin path.",
        "",
    ),
    ("en-iso-15223-1-2021", "full", "Symbols on the label, the carton and in the IFU.", ""),
    ("en-iso-20417-2021", "full", "Clauses 5 to 7: label and paper instructions for use.", ""),
]

METER_STANDARDS = [
    (
        "en-iso-15197-2015",
        "full",
        "Clauses 6 to 8: system accuracy, user performance evaluation, interference.",
        "",
    ),
    ("en-iso-13485-2016", "full", "Clauses 4 to 8.", ""),
    ("en-iso-14971-2019", "full", "Whole standard.", ""),
    ("en-13612-2002", "full", "Performance evaluation plan PEP-GS20 and its studies.", ""),
    ("en-iso-18113-1-2011", "full", "Terms and general requirements for the labelling.", ""),
    ("en-iso-18113-4-2011", "full", "Test strips and control solution for self-testing.", ""),
    ("en-iso-18113-5-2011", "full", "GS-20 meter (instrument for self-testing).", ""),
    ("en-iso-23640-2015", "full", "Shelf life and in-use stability of the test strips.", ""),
]

# Short names for the pump's applied standards in the checklist below.
QMS = "en-iso-13485-2016"
RISK = "en-iso-14971-2019"
SW = "en-62304-2006"
UE = "en-62366-1-2015"
ME = "en-60601-1-2006"
EMC = "en-60601-1-2-2015"
USAB = "en-60601-1-6-2010"
ALARM = "en-60601-1-8-2007"
HOME = "en-60601-1-11-2015"
BIO = "en-iso-10993-1-2020"
SYMBOLS = "en-iso-15223-1-2021"
INFO = "en-iso-20417-2021"

CER = "CER-IP3-001 clinical evaluation report"
RMR = "RMR-IP3-001 risk management report"
RMP = "RMP-IP3-001 risk management plan"
FMEA = "RMF-IP3-003 design and use FMEA"
TRACE = "RMF-IP3-004 risk control traceability matrix"
UEF = "UEF-IP3-001 usability engineering file"
UES = "UES-IP3-002 summative usability evaluation report"
ELEC = "VER-IP3-012 electrical safety test report"
EMCR = "VER-IP3-013 EMC and radio test report"
ALARMR = "VER-IP3-014 alarm system verification report"
ENV = "VER-IP3-015 home healthcare environment test report (IP22, shock, vibration)"
ACCURACY = "VER-IP3-020 delivery accuracy test report (method of IEC 60601-2-24)"
OCCLUSION = "VER-IP3-021 occlusion, free-flow and bolus-on-release test report"
INSULIN = "VER-IP3-025 insulin compatibility and stability study"
LIFETIME = "VER-IP3-030 reliability and service-life test report (4 years)"
SWV = "SVR-IP3-030 software verification report"
SDP = "SDP-IP3-001 software development plan"
CYBER = "CYB-IP3-001 cybersecurity risk assessment"
BER = "BER-IP3-001 biological evaluation report"
CHEM = "CHM-IP3-001 CMR and endocrine-disruptor assessment"
CLEAN = "VER-IP3-045 cleaning and disinfection validation"
LABEL = "LAB-IP3-001 labelling specification and label artwork"
IFU = "IFU-IP3-001 instructions for use (nb, sv, da, fi, de, en)"
PMS = "PMS-IP3-001 post-market surveillance plan"
PKG = "PKG-IP3-001 packaging specification"

NON_STERILE = (
    "The InsuPump 3 is supplied non-sterile and is not intended to be sterilised; reservoirs "
    "and infusion sets are separate CE-marked sterile devices listed in IFU-IP3-001."
)
NOT_IMPLANT = "The InsuPump 3 is not an active implantable device."
NO_RADIATION = (
    "The pump emits no ionising radiation and no radiation for a medical purpose; its "
    "Bluetooth radio is covered under Sections 14.2(b), 18.5 and 18.6 (VER-IP3-013)."
)
NO_CMR = (
    "No CMR substance of category 1A/1B and no endocrine disruptor above 0.1 % w/w in parts "
    "that touch the body or the insulin (CHM-IP3-001), so no justification is needed."
)
NO_HUMAN = "The device contains no tissues or cells of human origin or their derivatives."
NO_ANIMAL = (
    "The device contains no tissues or cells of animal origin or their derivatives "
    "(CHM-IP3-001 also excludes tallow-derived additives)."
)
NOT_STERILE_PACK = "The device is not supplied in sterile packaging."


def applies(number, standards=(), *evidence, pending=False):
    """An applicable requirement; `pending` when the evidence is not yet issued."""
    return {
        "number": number,
        "applicable": True,
        "standards": list(standards),
        "evidence": [] if pending else list(evidence),
    }


def not_applicable(number, justification):
    return {"number": number, "applicable": False, "justification": justification}


PUMP_GSPR = [
    applies("1", [RISK, QMS], CER, RMR),
    applies("2", [RISK], RMR),
    applies("3", [RISK], RMP, RMR),
    applies("3(a)", [RISK], RMP),
    applies("3(b)", [RISK], "RMF-IP3-002 hazard analysis", FMEA),
    applies("3(c)", [RISK], FMEA, "RMF-IP3-002 hazard analysis"),
    applies("3(d)", [RISK], TRACE),
    applies("3(e)", [RISK, QMS], PMS, "RMP-IP3-001 section 9 production and post-production"),
    applies("3(f)", [RISK], "RMP-IP3-001 section 9", "SOP-014 risk management procedure"),
    applies("4", [RISK], TRACE, RMR),
    applies("4(a)", [RISK, ME], TRACE, "DS-IP3-010 design specification"),
    applies("4(b)", [RISK, ALARM], TRACE, ALARMR),
    applies("4(c)", [RISK, INFO], IFU, "TRN-IP3-001 training programme for diabetes nurses"),
    applies("5", [UE, USAB], UEF, UES),
    applies("5(a)", [UE, USAB, HOME], UEF, UES),
    applies("5(b)", [UE], UEF, "UES-IP3-002 user profiles: adults, caregivers, nurses"),
    applies("6", [ME], LIFETIME),
    applies("7", [HOME], "VER-IP3-040 transport simulation (ISTA 3A)", pending=True),
    applies("8", [RISK], RMR, CER),
    not_applicable(
        "9", "The InsuPump 3 has an intended medical purpose; it is not an Annex XVI product."
    ),
    applies("10.1", [BIO], BER),
    applies("10.1(a)", [BIO, ME], BER, ELEC),
    applies("10.1(b)", [BIO], BER, INSULIN),
    not_applicable("10.1(c)", "The device has no implantable parts."),
    applies("10.1(d)", [], "MPV-IP3-003 injection moulding process validation", BER),
    not_applicable(
        "10.1(e)",
        "No biophysical or modelling research is used to show safety; conformity rests on "
        "testing (VER-IP3 series) and the clinical evaluation.",
    ),
    applies("10.1(f)", [ME, HOME], ELEC, ENV),
    applies("10.1(g)", [BIO], BER, "DS-IP3-010 design specification, surface finish"),
    applies(
        "10.1(h)",
        [QMS],
        "MS-IP3-002 material specifications",
        "Supplier certificates of conformity",
    ),
    applies("10.2", [BIO], BER, CLEAN),
    applies("10.3", [], INSULIN, "IFU-IP3-001 section 3: compatible U-100 insulins"),
    applies("10.4.1", [], CHEM),
    applies("10.4.1(a)", [], CHEM),
    applies("10.4.1(b)", [], CHEM),
    not_applicable("10.4.2", NO_CMR),
    not_applicable("10.4.2(a)", NO_CMR),
    not_applicable("10.4.2(b)", NO_CMR),
    not_applicable("10.4.2(c)", NO_CMR),
    not_applicable("10.4.2(d)", NO_CMR),
    not_applicable("10.4.3", "The device contains no phthalates (CHM-IP3-001)."),
    not_applicable("10.4.4", NO_CMR),
    not_applicable("10.4.5", NO_CMR),
    applies("10.5", [HOME], ENV),
    not_applicable(
        "10.6",
        "The device contains no nanomaterial and releases no particles into the body; "
        "residues in the insulin path are covered under Section 10.2.",
    ),
    applies("11.1", [RISK], RMR, CLEAN),
    not_applicable(
        "11.1(a)",
        "The pump has no needle or other sharp; the cannula belongs to the separately "
        "CE-marked infusion set.",
    ),
    applies("11.1(b)", [UE], UES),
    not_applicable(
        "11.1(c)",
        "The pump holds no biological material; the insulin path is closed between the sealed "
        "reservoir and the infusion set.",
    ),
    applies("11.1(d)", [], CLEAN, IFU),
    applies("11.2", [], CLEAN, "IFU-IP3-001 section 9: cleaning and disinfection"),
    not_applicable("11.3", "The pump is not labelled with a special microbial state."),
    not_applicable("11.4", NON_STERILE),
    not_applicable("11.5", NON_STERILE),
    not_applicable("11.6", NON_STERILE),
    applies("11.7", [], PKG, "VER-IP3-040 transport simulation (ISTA 3A)", pending=True),
    not_applicable("11.8", "There is only a non-sterile version of the pump."),
    not_applicable(
        "12.1",
        "No medicinal substance is incorporated: the pump delivers insulin from a separate "
        "reservoir but does not incorporate it, and pump and insulin are not a single integral "
        "product (MDR Art. 1(9)).",
    ),
    not_applicable("12.2", "The InsuPump 3 is not a substance-based device."),
    not_applicable("13.1", NO_HUMAN),
    not_applicable("13.1(a)", NO_HUMAN),
    not_applicable("13.1(b)", NO_HUMAN),
    not_applicable("13.1(c)", NO_HUMAN),
    not_applicable("13.2", NO_ANIMAL),
    not_applicable("13.2(a)", NO_ANIMAL),
    not_applicable("13.2(b)", NO_ANIMAL),
    not_applicable("13.2(c)", NO_ANIMAL),
    not_applicable("13.3", "The device contains no other non-viable biological substance."),
    applies(
        "14.1",
        [ME],
        "VER-IP3-022 compatibility test with the listed reservoirs and infusion sets",
        "DS-IP3-012 reservoir and infusion-set interface specification",
    ),
    applies("14.2", [ME, HOME], ELEC, ENV),
    applies("14.2(a)", [ME], ELEC),
    applies("14.2(b)", [EMC, HOME], EMCR, ENV),
    applies("14.2(c)", [HOME], ENV, CLEAN),
    applies("14.2(d)", [SW], SWV, CYBER),
    applies("14.2(e)", [HOME], ENV),
    applies("14.2(f)", [EMC], EMCR),
    applies("14.2(g)", [ME], LIFETIME, ACCURACY),
    applies("14.3", [ME], ELEC, "IEC 62133-2 certificate of the AAA lithium cell"),
    applies("14.4", [INFO], IFU, "SVC-IP3-001 service and return procedure"),
    applies(
        "14.5",
        [SW],
        "ICD-IP3-005 Bluetooth interface control document",
        "SVR-IP3-031 interoperability test with InsuLog",
        pending=True,
    ),
    applies("14.6", [UE, USAB], UES),
    applies("14.7", [INFO], IFU, "WEEE and battery disposal statement in IFU-IP3-001 section 14"),
    not_applicable(
        "15.1",
        "The pump has no diagnostic or measuring function for the user; the accuracy of the "
        "delivered dose is addressed under Section 21.1.",
    ),
    not_applicable(
        "15.2",
        "No measurement is expressed; doses are set in insulin units (U) as the insulin "
        "labelling states them (Section 21.1).",
    ),
    not_applicable("16.1(a)", NO_RADIATION),
    not_applicable("16.1(b)", NO_RADIATION),
    not_applicable("16.2(a)", NO_RADIATION),
    not_applicable("16.2(b)", NO_RADIATION),
    not_applicable("16.3", NO_RADIATION),
    not_applicable("16.4(a)", NO_RADIATION),
    not_applicable("16.4(b)", NO_RADIATION),
    not_applicable("16.4(c)", NO_RADIATION),
    not_applicable("16.4(d)", NO_RADIATION),
    applies("17.1", [SW, ME], SWV, ELEC, FMEA),
    applies("17.2", [SW, RISK], SDP, SWV, CYBER),
    not_applicable(
        "17.3",
        "The pump's software runs on its own controller; the InsuLog app is a separate device "
        "with its own technical documentation.",
    ),
    applies("17.4", [SW], CYBER, "IFU-IP3-001 section 12: pairing and supported phones"),
    applies("18.1", [ME], ELEC, FMEA),
    applies("18.2", [ME, ALARM], ALARMR),
    not_applicable(
        "18.3",
        "The pump runs only on its internal battery; no external power supply is connected "
        "during use.",
    ),
    not_applicable(
        "18.4",
        "The pump monitors no clinical parameter; its technical alarms (occlusion, low "
        "reservoir, low battery) are covered under Sections 4(b), 18.2 and 21.2.",
    ),
    applies("18.5", [EMC], EMCR),
    applies("18.6", [EMC], EMCR),
    applies("18.7", [ME], ELEC),
    applies("18.8", [], CYBER, "SVR-IP3-032 penetration test report", pending=True),
    not_applicable("19.1", NOT_IMPLANT),
    not_applicable("19.1(a)", NOT_IMPLANT),
    not_applicable("19.1(b)", NOT_IMPLANT),
    not_applicable("19.1(c)", NOT_IMPLANT),
    not_applicable("19.2", NOT_IMPLANT),
    not_applicable("19.3", NOT_IMPLANT),
    not_applicable("19.4", NOT_IMPLANT),
    applies("20.1", [ME], ELEC),
    applies("20.2", [HOME], ENV),
    applies("20.3", [ME, ALARM], ALARMR),
    applies("20.4", [ME], ELEC),
    applies("20.5", [UE], UES, "DS-IP3-012 reservoir and infusion-set interface specification"),
    applies("20.6", [ME], ELEC),
    applies("21.1", [ME], ACCURACY),
    applies("21.2", [ALARM, RISK], ALARMR, OCCLUSION),
    applies("21.3", [UE, USAB, ALARM], UES, IFU),
    applies("22.1", [UE, HOME], UES),
    applies("22.2", [UE], UES),
    applies("22.3", [ALARM], SWV, "IFU-IP3-001 section 6: start-up self-test"),
    applies("23.1", [INFO, SYMBOLS], LABEL, IFU),
    applies("23.1(a)", [INFO, UE], UES, IFU),
    applies("23.1(b)", [INFO], LABEL),
    applies("23.1(c)", [INFO], LABEL),
    applies("23.1(d)", [INFO], IFU),
    not_applicable(
        "23.1(e)", "Each pump is supplied with its own instructions; the exemption is not used."
    ),
    not_applicable(
        "23.1(f)", "Paper instructions are supplied; electronic instructions are not used."
    ),
    applies("23.1(g)", [RISK, INFO], RMR, IFU),
    applies("23.1(h)", [SYMBOLS], LABEL),
    applies("23.2", [INFO, SYMBOLS], LABEL),
    applies("23.2(a)", [INFO], LABEL),
    applies("23.2(b)", [INFO], LABEL),
    applies("23.2(c)", [INFO, SYMBOLS], LABEL),
    not_applicable(
        "23.2(d)", "Fjordmed AS is established in Norway (EEA); no authorised representative."
    ),
    not_applicable("23.2(e)", "The device contains no medicinal substance, tissues or cells."),
    not_applicable("23.2(f)", NO_CMR),
    applies("23.2(g)", [SYMBOLS], LABEL),
    applies("23.2(h)", [INFO], LABEL, "UDI-IP3-001 UDI assignment (GS1)"),
    not_applicable(
        "23.2(i)",
        "The pump has no use-by date; its service life (4 years) is in the IFU and the date of "
        "manufacture is on the label (23.2(j)).",
    ),
    applies("23.2(j)", [SYMBOLS], LABEL),
    applies("23.2(k)", [SYMBOLS], LABEL),
    not_applicable("23.2(l)", NON_STERILE),
    applies("23.2(m)", [INFO], LABEL),
    not_applicable(
        "23.2(n)", "The pump is reused by one patient for its service life; it is not single-use."
    ),
    not_applicable("23.2(o)", "The device is not a reprocessed single-use device."),
    not_applicable("23.2(p)", "The device is not custom-made."),
    applies("23.2(q)", [SYMBOLS], LABEL),
    not_applicable("23.2(r)", "The InsuPump 3 is not a substance-based device."),
    not_applicable("23.2(s)", "The device is not an implant."),
    not_applicable("23.3", NOT_STERILE_PACK),
    *[
        not_applicable(f"23.3({letter})", NOT_STERILE_PACK)
        for letter in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
    ],
    applies("23.4", [INFO], IFU),
    applies("23.4(a)", [INFO], IFU),
    applies("23.4(b)", [INFO], IFU, CER),
    applies("23.4(c)", [INFO], IFU, CER),
    not_applicable(
        "23.4(d)", "No SSCP: the pump is neither implantable nor class III (MDR Art. 32)."
    ),
    applies("23.4(e)", [INFO], IFU, ACCURACY),
    applies("23.4(f)", [INFO], IFU, "VER-IP3-022 compatibility test"),
    applies("23.4(g)", [INFO, RISK], IFU, RMR),
    applies("23.4(h)", [INFO], IFU, ACCURACY),
    applies("23.4(i)", [INFO], IFU, CLEAN),
    applies("23.4(j)", [INFO], IFU, "TRN-IP3-001 training programme for diabetes nurses"),
    applies("23.4(k)", [INFO], IFU),
    not_applicable("23.4(l)", NON_STERILE),
    not_applicable("23.4(m)", NON_STERILE),
    applies("23.4(n)", [INFO], IFU, CLEAN),
    not_applicable("23.4(o)", "The device is not reconditioned by the manufacturer for reuse."),
    not_applicable("23.4(p)", "The device is not single-use."),
    applies("23.4(q)", [INFO], IFU, "VER-IP3-022 compatibility test"),
    not_applicable("23.4(r)", NO_RADIATION),
    applies("23.4(s)", [INFO, RISK], IFU, RMR),
    not_applicable("23.4(t)", "The InsuPump 3 is not a substance-based device."),
    not_applicable("23.4(u)", "The device is not implantable."),
    applies("23.4(v)", [INFO], IFU),
    applies("23.4(w)", [INFO], IFU),
    not_applicable("23.4(x)", "The device is not an Annex XVI product."),
    applies("23.4(y)", [INFO], IFU),
    applies("23.4(z)", [INFO], IFU),
    not_applicable("23.4(aa)", "The device is not implantable; no implant card (Art. 18)."),
    applies("23.4(ab)", [SW, INFO], IFU, CYBER),
]

METER_GSPR = [
    applies("1", ["en-iso-14971-2019", "en-13612-2002"], "PEP-GS20 performance evaluation plan"),
    applies("2", ["en-iso-14971-2019"], "RMR-GS20-001 risk management report", pending=True),
    applies("3", ["en-iso-14971-2019"], "RMP-GS20-001 risk management plan"),
    applies("3(a)", ["en-iso-14971-2019"], "RMP-GS20-001 risk management plan"),
    applies(
        "9.1(a)",
        ["en-iso-15197-2015"],
        "VER-GS20-010 system accuracy study (ISO 15197 clause 6.3)",
        pending=True,
    ),
    applies(
        "9.4(a)",
        ["en-iso-15197-2015"],
        "VER-GS20-011 user performance evaluation (ISO 15197 clause 8)",
        pending=True,
    ),
    not_applicable("11.3", "The meter and strips are not supplied sterile."),
    not_applicable(
        "12", "No materials of biological origin; the control solution is synthetic (MS-GS20-004)."
    ),
]


def _editions(keys) -> dict[str, StandardEdition]:
    return {e.key: e for e in StandardEdition.objects.filter(key__in=set(keys))}


def _apply(actor, device: Device, rows) -> dict[str, AppliedStandard]:
    editions = _editions(key for key, *_rest in rows)
    have = {a.edition.key: a for a in device.applied_standards.select_related("edition")}
    for key, application, clauses, justification in rows:
        if key in have or key not in editions:
            continue
        have[key] = applied_standard_add(
            actor=actor,
            device=device,
            edition=editions[key],
            application=application,
            clauses=clauses,
            justification=justification,
        )
    return have


def _methods(standards: list[AppliedStandard], regime: str) -> list[str]:
    """A cited edition harmonised under the regime gives presumption; anything else is 'other'."""
    methods = set()
    for applied in standards:
        harmonised = applied.edition.harmonised in (regime, "both")
        methods.add("harmonised_standard" if harmonised else "other")
    return sorted(methods or {"other"})


def _fill(actor, device: Device, applied: dict[str, AppliedStandard], rows) -> None:
    done = set(GsprEntry.objects.filter(device=device).values_list("number", flat=True))
    for row in rows:
        if row["number"] in done:
            continue
        if row["applicable"]:
            standards = [applied[key] for key in row["standards"] if key in applied]
            gspr_entry_save(
                actor=actor,
                device=device,
                number=row["number"],
                applicable=True,
                methods=_methods(standards, device.regime),
                standards=standards,
                evidence="\n".join(row["evidence"]),
            )
        else:
            gspr_entry_save(
                actor=actor,
                device=device,
                number=row["number"],
                applicable=False,
                justification=row["justification"],
            )


def load(people: dict) -> None:
    """Seed the register, apply Fjordmed's standards and fill the GSPR checklists."""
    standards_register_seed(people["regulatory"])
    pump = Device.objects.filter(name=PUMP).first()
    if pump is not None:
        applied = _apply(people["regulatory"], pump, PUMP_STANDARDS)
        _fill(people["engineer"], pump, applied, PUMP_GSPR)
    meter = Device.objects.filter(name=METER).first()
    if meter is not None:
        applied = _apply(people["regulatory"], meter, METER_STANDARDS)
        _fill(people["engineer"], meter, applied, METER_GSPR)
