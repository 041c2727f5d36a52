"""Risk records for the permission walks (see tests/app_worlds.py): one of each, on `device`."""

import datetime as dt

from samsvar.core.permissions import Role

URL_OBJECTS: dict[str, str] = {}
API_OBJECTS: dict[str, str] = {}


def _topic_key() -> str:
    from samsvar.regulatory.risk.catalogue import safety_topics

    return safety_topics()[0].key


def build(*, device, users) -> dict[str, object]:
    from samsvar.risk import services

    actor = users[Role.QUALITY_MANAGER]
    plan = services.plan_adopt_default(actor=actor, device=device)
    analysis = services.risk_analysis_save(
        actor=actor, device=device, foreseeable_misuse="Bolus entered twice."
    )
    hazard = services.hazard_create(
        actor=actor, device=device, origin="own", title="Insulin over-delivery"
    )
    characteristic = services.safety_characteristic_save(
        actor=actor, device=device, topic_key=_topic_key(), answer="yes", hazards=[hazard]
    )
    situation = services.situation_create(
        actor=actor,
        hazard=hazard,
        sequence_of_events="1. Motor driver fails on. 2. Delivery continues.",
        description="The user receives more insulin than programmed.",
    )
    harm = services.harm_create(actor=actor, device=device, name="Severe hypoglycaemia", severity=5)
    risk = services.risk_create(
        actor=actor,
        situation=situation,
        harm=harm,
        p1=4,
        p2=4,
        control_option_rationale="Walk world.",
    )
    control = services.control_create(
        actor=actor,
        device=device,
        risks=[risk],
        kind="protective",
        description="Independent watchdog stops the motor.",
        implementation="DO-12 watchdog design.",
    )
    services.control_verify(
        actor=actor,
        control=control,
        aspect="implementation",
        evidence="VER-PUMP-031 rev B",
        result="pass",
        date=dt.date(2026, 3, 2),
        verified_by=actor,
    )
    services.risk_update(actor=actor, risk=risk, residual_p1=2, residual_p2=4)
    benefit_risk = services.benefit_risk_create(
        actor=actor,
        device=device,
        risks=[risk],
        title="Over-delivery residual risk",
        benefits="Glycaemic control.",
        analysis="Benefit outweighs.",
        conclusion="favourable",
    )
    overall = services.overall_evaluation_save(
        actor=actor, device=device, analysis="Reviewed together.", conclusion="acceptable"
    )
    info = services.production_info_create(
        actor=actor,
        device=device,
        source="complaint",
        date=dt.date(2026, 5, 4),
        reference="CMP-2026-014",
        description="Pump delivered an extra unit.",
        situation=situation,
        occurrences=1,
        exposure=200_000,
        risks=[risk],
        finding="probability_underestimated",
    )
    worksheet = services.fmea_worksheet_create(
        actor=actor, device=device, kind="design", title="Pump drive"
    )
    row = services.fmea_row_create(
        actor=actor,
        worksheet=worksheet,
        item_function="Motor driver",
        failure_mode="Driver stuck on",
        effect="Over-delivery",
        cause="FET short",
        severity=9,
        occurrence=2,
        detection=3,
        hazard=hazard,
    )
    report = services.report_issue(
        actor=actor,
        device=device,
        fmt="pdf",
        content=b"%PDF-1.7\n% walk world report\n%%EOF\n",
        filename="rmr-walk.pdf",
    )
    risk.refresh_from_db()
    return {
        "risk.plan": plan,
        "risk.analysis": analysis,
        "risk.characteristic": characteristic,
        "risk.hazard": hazard,
        "risk.situation": situation,
        "risk.harm": harm,
        "risk.risk": risk,
        "risk.control": control,
        "risk.benefit_risk": benefit_risk,
        "risk.overall": overall,
        "risk.production_info": info,
        "risk.fmea_worksheet": worksheet,
        "risk.fmea_row": row,
        "risk.report": report,
    }
