"""Demo data: Fjordmed's Article 10 checklist half-way, a declaration draft and a signed statement.

Loading it twice changes nothing: each part is added only while it is missing.
"""

from datetime import timedelta

from django.utils import timezone

from samsvar.compliance import services
from samsvar.compliance.models import (
    ComplianceStatement,
    Declaration,
    Obligation,
    ObligationStatus,
    TechdocReference,
)
from samsvar.core.services import record_sign
from samsvar.devices.demo import PUMP
from samsvar.devices.models import Classification, Device
from samsvar.regulatory import techdoc

IN_PROGRESS = ObligationStatus.IN_PROGRESS
MET = ObligationStatus.MET

# Manufacturer items of the MDR (QMS aspects of Art. 10(9)): status and the SOPs that show them.
MDR_QMS = {
    "mdr-10-9": (MET, ["QM-001 Quality manual, rev. C", "SOP-001 Document control, rev. B"]),
    "mdr-10-9-a": (
        MET,
        ["SOP-018 Regulatory compliance and the PRRC, rev. A", "SOP-020 Change control, rev. A"],
    ),
    "mdr-10-9-b": (IN_PROGRESS, []),
    "mdr-10-9-c": (MET, ["SOP-003 Management review, rev. A"]),
    "mdr-10-9-d": (
        MET,
        [
            "SOP-004 Training and competence, rev. A",
            "SOP-012 Purchasing and supplier control, rev. A",
        ],
    ),
    "mdr-10-9-e": (MET, ["SOP-010 Risk management, rev. B"]),
    "mdr-10-9-g": (MET, ["SOP-011 Design and development, rev. A"]),
    "mdr-10-9-l": (MET, ["SOP-006 Corrective and preventive action (CAPA), rev. A"]),
    "mdr-10-9-m": (IN_PROGRESS, []),
    "mdr-10-16": (MET, ["Product liability insurance policy PL-2026-0042"]),
}

STANDARDS = [
    "EN ISO 13485:2016 + A11:2021 Quality management systems",
    "EN ISO 14971:2019 + A11:2021 Application of risk management to medical devices",
    "EN 60601-1:2006 + A1:2013 + A12:2014 + A2:2021 + A13:2024 Medical electrical equipment, "
    "general requirements",
    "EN 60601-1-2:2015 + A1:2021 Electromagnetic disturbances",
    "EN 60601-1-11:2015 + A1:2021 Home healthcare environment",
    "EN 62304:2006 + A1:2015 Medical device software, life cycle processes",
    "EN 62366-1:2015 + A1:2020 Usability engineering",
    "EN ISO 15223-1:2021 Symbols to be used with information to be supplied",
]

TECHDOC = [
    # section number (Annex II), document number, title, location
    (
        "2",
        "LBL-IP3-001",
        "Labels and instructions for use (nb, sv, da, fi, de)",
        "DMS/IP3/labelling",
    ),
    ("3(a)", "DHF-IP3", "Design history file", "DMS/IP3/DHF"),
    ("5(b)", "RMF-IP3", "Risk management file (EN ISO 14971)", "samsvar risk management file"),
    ("6.1(b)", "TR-IP3-EMC-01", "EMC test report (EN 60601-1-2)", "DMS/IP3/V&V/EMC"),
    ("6.1(c)", "CER-IP3", "Clinical evaluation report, rev. A", "DMS/IP3/clinical"),
]


def _update(actor, obligation, **fields):
    return services.obligation_update(actor=actor, obligation=obligation, **fields)


def _fill_checklist(people: dict, pump: Device) -> None:
    quality, regulatory, engineer = people["quality"], people["regulatory"], people["engineer"]
    today = timezone.localdate()
    mine = {o.key: o for o in Obligation.objects.filter(device=pump)}
    classification = Classification.objects.filter(device=pump).first()
    _update(
        engineer,
        mine["mdr-10-1"],
        status=IN_PROGRESS,
        owner=engineer,
        due_date=today + timedelta(days=120),
    )
    services.obligation_evidence_add(actor=engineer, obligation=mine["mdr-10-1"], record=pump)
    _update(
        quality,
        mine["mdr-10-2"],
        status=IN_PROGRESS,
        owner=quality,
        due_date=today + timedelta(days=45),
        notes="Risk management plan RMP-IP3 approved; hazard analysis under way.",
    )
    services.obligation_evidence_add(
        actor=quality,
        obligation=mine["mdr-10-2"],
        external_reference="RMP-IP3 Risk management plan, rev. A",
    )
    _update(
        regulatory,
        mine["mdr-10-4"],
        status=IN_PROGRESS,
        owner=regulatory,
        due_date=today - timedelta(days=14),
        notes="Sections 2, 3, 5 and 6.1 started; 6.2 and Annex III open.",
    )
    _update(
        regulatory,
        mine["mdr-10-6"],
        status=IN_PROGRESS,
        owner=regulatory,
        due_date=today + timedelta(days=180),
        notes="Declaration of conformity drafted in samsvar; waits for the NB certificate.",
    )
    if classification is not None:
        services.obligation_evidence_add(
            actor=regulatory, obligation=mine["mdr-10-6"], record=classification
        )
    _update(
        regulatory,
        mine["mdr-10-7"],
        status=ObligationStatus.NOT_STARTED,
        owner=regulatory,
        due_date=today - timedelta(days=7),
        notes="Basic UDI-DI to be assigned by GS1 Norway before EUDAMED registration.",
    )
    _update(
        quality,
        mine["mdr-10-8"],
        status=IN_PROGRESS,
        owner=quality,
        due_date=today + timedelta(days=60),
        notes="Retention: 10 years after the last device is placed on the market.",
    )
    _update(
        engineer,
        mine["mdr-10-11"],
        status=IN_PROGRESS,
        owner=engineer,
        due_date=today + timedelta(days=90),
    )
    manufacturer = {o.key: o for o in Obligation.objects.filter(device__isnull=True)}
    for mdr_key, (status, references) in MDR_QMS.items():
        # One QMS serves both Regulations: IVDR 10(8) mirrors MDR 10(9), 10(15) mirrors 10(16).
        ivdr_key = (
            "ivdr-10-15" if mdr_key == "mdr-10-16" else mdr_key.replace("mdr-10-9", "ivdr-10-8")
        )
        for key in (mdr_key, ivdr_key):
            if key not in manufacturer:
                continue
            _update(quality, manufacturer[key], status=status, owner=quality)
            for reference in references:
                services.obligation_evidence_add(
                    actor=quality, obligation=manufacturer[key], external_reference=reference
                )
    _update(
        quality,
        manufacturer["mdr-10-13"],
        status=IN_PROGRESS,
        owner=quality,
        due_date=today - timedelta(days=30),
        notes="SOP-008 Vigilance and field safety corrective actions in revision; EUDAMED actor "
        "access requested.",
    )


def load(people: dict, password: str) -> None:
    """Sync the obligations, fill the pump's checklist, draft its DoC, sign a statement."""
    quality = people["quality"]
    services.obligations_sync(actor=quality)
    pump = Device.objects.filter(name=PUMP).first()
    if pump is None:
        return
    if (
        not Obligation.objects.filter(device=pump)
        .exclude(status=ObligationStatus.NOT_STARTED)
        .exists()
    ):
        _fill_checklist(people, pump)
    if not TechdocReference.objects.filter(device=pump).exists():
        keys = {s.number: s.key for s in techdoc.sections(pump.regime) if s.annex == "II"}
        for number, document_number, title, location in TECHDOC:
            services.techdoc_reference_add(
                actor=people["regulatory"],
                device=pump,
                section_key=keys[number],
                document_number=document_number,
                title=title,
                location=location,
            )
    if not Declaration.objects.filter(device=pump).exists():
        services.declaration_save(
            actor=people["regulatory"],
            device=pump,
            references=services.applied_references(pump) or STANDARDS,
            notified_body_name="Example Notified Body",
            notified_body_number="0000",
            conformity_procedure=(
                "Annex IX Chapters I and III (quality management system), with assessment of "
                "the technical documentation of a representative device per generic device "
                "group (Annex IX Section 4)"
            ),
            certificate="EX-0000-MDR-2026-017 (application filed; certificate pending)",
            place_of_issue="Oslo",
            date_of_issue=timezone.localdate(),
            signatory_name="Ingrid Solberg",
            signatory_function="Managing director",
        )
    if not ComplianceStatement.objects.exists():
        statement = services.compliance_statement_create(
            actor=quality,
            note="Drawn up for management review MR-2026-2 before the notified body audit.",
        )
        record_sign(actor=quality, record=statement, meaning="approved", password=password)
