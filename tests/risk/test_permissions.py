"""Only RISK_CHANGE roles (quality, regulatory affairs, engineers) write the risk file; the
auditor, the approver and the administrator read it and change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from samsvar.core.models import AuditEvent
from samsvar.risk import selectors, services
from tests.risk.test_analysis import a_topic_key

PDF = b"%PDF-1.7\n%%EOF\n"


def writes(file):
    """Every write service of the risk app, as (name, call(actor))."""
    device, risk, control = file["device"], file["risk"], file["control"]
    situation, hazard, harm = risk.situation, risk.situation.hazard, risk.harm
    worksheet, row, item = file["worksheet"], file["row"], file["item"]
    analysis, plan = file["analysis"], file["plan"]
    return {
        "plan_adopt_default": lambda a: services.plan_adopt_default(actor=a, device=device),
        "plan_update": lambda a: services.plan_update(actor=a, plan=plan, scope="x"),
        "risk_analysis_save": lambda a: services.risk_analysis_save(actor=a, device=device),
        "safety_characteristic_save": lambda a: services.safety_characteristic_save(
            actor=a, device=device, topic_key="x"
        ),
        "safety_characteristic_delete": lambda a: services.safety_characteristic_delete(
            actor=a, item=file["characteristic"]
        ),
        "hazard_create": lambda a: services.hazard_create(actor=a, device=device, title="x"),
        "hazard_update": lambda a: services.hazard_update(actor=a, hazard=hazard, title="x"),
        "hazard_delete": lambda a: services.hazard_delete(actor=a, hazard=hazard),
        "situation_create": lambda a: services.situation_create(
            actor=a, hazard=hazard, description="x"
        ),
        "situation_update": lambda a: services.situation_update(
            actor=a, situation=situation, description="x"
        ),
        "situation_delete": lambda a: services.situation_delete(actor=a, situation=situation),
        "harm_create": lambda a: services.harm_create(actor=a, device=device, name="x"),
        "harm_update": lambda a: services.harm_update(actor=a, harm=harm, severity=1),
        "harm_delete": lambda a: services.harm_delete(actor=a, harm=harm),
        "risk_create": lambda a: services.risk_create(actor=a, situation=situation, harm=harm),
        "risk_update": lambda a: services.risk_update(actor=a, risk=risk, p1=5, p2=5),
        "risk_delete": lambda a: services.risk_delete(actor=a, risk=risk),
        "risk_flag_clear": lambda a: services.risk_flag_clear(actor=a, risk=risk, note="x"),
        "control_create": lambda a: services.control_create(
            actor=a, device=device, kind="protective", description="x"
        ),
        "control_update": lambda a: services.control_update(
            actor=a, control=control, description="x"
        ),
        "control_verify": lambda a: services.control_verify(
            actor=a,
            control=control,
            aspect="implementation",
            evidence="x",
            result="fail",
            date=dt.date(2026, 1, 1),
            verified_by=a,
        ),
        "control_delete": lambda a: services.control_delete(actor=a, control=control),
        "benefit_risk_create": lambda a: services.benefit_risk_create(
            actor=a, device=device, title="x"
        ),
        "benefit_risk_update": lambda a: services.benefit_risk_update(
            actor=a, analysis=analysis, title="y"
        ),
        "benefit_risk_delete": lambda a: services.benefit_risk_delete(actor=a, analysis=analysis),
        "overall_evaluation_save": lambda a: services.overall_evaluation_save(
            actor=a, device=device, conclusion="acceptable"
        ),
        "production_info_create": lambda a: services.production_info_create(
            actor=a, device=device, source="other", date="2026-01-01", description="x"
        ),
        "production_info_update": lambda a: services.production_info_update(
            actor=a, item=item, description="y"
        ),
        "production_info_review": lambda a: services.production_info_review(
            actor=a, item=item, note="x"
        ),
        "production_info_delete": lambda a: services.production_info_delete(actor=a, item=item),
        "fmea_worksheet_create": lambda a: services.fmea_worksheet_create(
            actor=a, device=device, kind="use", title="x"
        ),
        "fmea_worksheet_update": lambda a: services.fmea_worksheet_update(
            actor=a, worksheet=worksheet, title="y"
        ),
        "fmea_worksheet_delete": lambda a: services.fmea_worksheet_delete(
            actor=a, worksheet=worksheet
        ),
        "fmea_row_create": lambda a: services.fmea_row_create(
            actor=a, worksheet=worksheet, item_function="x", failure_mode="x"
        ),
        "fmea_row_update": lambda a: services.fmea_row_update(actor=a, row=row, actions="x"),
        "fmea_row_delete": lambda a: services.fmea_row_delete(actor=a, row=row),
        "fmea_row_create_hazard": lambda a: services.fmea_row_create_hazard(actor=a, row=row),
        "risk_review_complete": lambda a: services.risk_review_complete(
            actor=a, device=device, conclusions="x"
        ),
        "report_issue": lambda a: services.report_issue(
            actor=a, device=device, fmt="pdf", content=PDF, filename="r.pdf"
        ),
    }


@pytest.fixture
def file(build, device, engineer, plan):
    risk = build.risk(severity=3, p1=2, p2=2)
    worksheet = services.fmea_worksheet_create(
        actor=engineer, device=device, kind="design", title="Drive"
    )
    characteristic = services.safety_characteristic_save(
        actor=engineer, device=device, topic_key=a_topic_key(), answer="no"
    )
    return {
        "characteristic": characteristic,
        "device": device,
        "plan": plan,
        "risk": risk,
        "control": build.control([risk]),
        "analysis": services.benefit_risk_create(actor=engineer, device=device, title="BR"),
        "worksheet": worksheet,
        "row": services.fmea_row_create(
            actor=engineer,
            worksheet=worksheet,
            item_function="Motor",
            failure_mode="Stalls",
            severity=5,
            occurrence=2,
            detection=2,
        ),
        "item": services.production_info_create(
            actor=engineer,
            device=device,
            source="complaint",
            date="2026-01-01",
            description="Late alarm",
            risks=[risk],
            finding="severity_worse",
        ),
    }


SERVICE_NAMES = [
    name
    for name in dir(services)
    if callable(getattr(services, name))
    and getattr(getattr(services, name), "__module__", "") == services.__name__
    and not name.startswith("_")
    and name not in {"clean_policy", "report_update"}
]


def test_every_write_service_is_in_the_walk(file):
    assert set(writes(file)) | {"report_update"} >= set(SERVICE_NAMES)


@pytest.mark.parametrize("role", ["auditor", "approver", "administrator"])
def test_roles_without_risk_change_are_refused_every_write(file, users, role):
    actor = users[role]
    trail = AuditEvent.objects.count()
    for name, call in writes(file).items():
        with pytest.raises(PermissionDenied):
            call(actor)
        assert AuditEvent.objects.count() == trail, name
    with pytest.raises(PermissionDenied):
        services.report_update(actor=actor, report=None)


@pytest.mark.parametrize("role", ["auditor", "approver", "administrator", "engineer"])
def test_every_role_reads_the_file(file, users, role):
    user = users[role]
    device = file["device"]
    assert selectors.register(device, user=user).count() == 1
    assert selectors.access_risk_by_id(user=user, risk_id=file["risk"].pk) == file["risk"]
    assert selectors.matrix(device, user=user).total == 1
