"""Risk records for the permission walks (see tests/app_worlds.py): one of each, on `device`."""

import datetime as dt

from samsvar.core.permissions import Role

URL_OBJECTS: dict[str, str] = {}
API_OBJECTS: dict[str, str] = {}
QUERIES: dict[str, str] = {}

# Register, history, post-production and FMEA pages that take a record rather than the device.
# Longer prefixes first: the walk takes the first key a URL name starts with.
URL_OBJECTS.update(
    {
        "risk:risk_history": "risk.risk",
        "risk:risk_flag_clear": "risk.risk",
        "risk:production_info": "risk.production_info",
        "risk:fmea_row": "risk.fmea_row",
        "risk:fmea": "risk.fmea_worksheet",
    }
)
# The file's pages that take a record rather than the device (hazard, hazard_edit, ...); the
# device's own pages are named "file", "plan", "analysis", "safety", "overall" and "file_...".
URL_OBJECTS.update(
    {
        "risk:hazard": "risk.hazard",
        "risk:situation": "risk.situation",
        "risk:harm": "risk.harm",
        "risk:risk": "risk.risk",
        "risk:control": "risk.control",
        "risk:benefit_risk": "risk.benefit_risk",
        "risk:review": "risk.review",
    }
)
# Issued risk management reports (report, report_download, report_sign, ...); the device's
# report pages are named "device_report..." and take the device.
URL_OBJECTS.update({"risk:report": "risk.report"})
QUERIES.update({"risk:safety_topic": "?topic=intended_use"})
QUERIES.update(
    {
        "risk:register": "?group=level&sort=residual&flagged=yes",
        "risk:fmea": "?sort=rpn",
    }
)


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
        "risk.review": _review(users=users),
    }


# --- API (tests/api/test_permissions_api.py, tests/test_permission_walk.py) -------------------

# /api/v1/<segment>/<pk>/... -> the world object whose pk fills the URL.
API_OBJECTS.update(
    {
        "risk-safety-characteristics": "risk.characteristic",
        "risk-hazards": "risk.hazard",
        "risk-situations": "risk.situation",
        "risk-harms": "risk.harm",
        "risk-risks": "risk.risk",
        "risk-controls": "risk.control",
        "risk-benefit-risk": "risk.benefit_risk",
        "risk-production-info": "risk.production_info",
        "risk-fmea-worksheets": "risk.fmea_worksheet",
        "risk-fmea-rows": "risk.fmea_row",
        "risk-reviews": "risk.review",
        "risk-reports": "risk.report",
    }
)
# The same endpoints by URL name, for the walk that reverses names.
URL_OBJECTS.update(
    {
        "v1:risk-safety-characteristic-": "risk.characteristic",
        "v1:risk-hazard-": "risk.hazard",
        "v1:risk-situation-": "risk.situation",
        "v1:risk-harm-": "risk.harm",
        "v1:risk-risk-": "risk.risk",
        "v1:risk-control-": "risk.control",
        "v1:risk-benefit-risk-": "risk.benefit_risk",
        "v1:risk-production-info-": "risk.production_info",
        "v1:risk-fmea-worksheet-": "risk.fmea_worksheet",
        "v1:risk-fmea-row-": "risk.fmea_row",
        "v1:risk-review-": "risk.review",
        "v1:risk-report-": "risk.report",
    }
)


def _review(*, users):
    """A risk management review, which needs a file without gaps: a small second device's."""
    from samsvar.core.services import record_sign
    from samsvar.devices.services import device_create
    from samsvar.risk import services
    from tests.conftest import PASSWORD

    actor = users[Role.QUALITY_MANAGER]
    device = device_create(
        actor=actor,
        name="Walk meter",
        model_number="WM-1",
        regime="ivdr",
        intended_purpose="Measures glucose in capillary blood.",
        intended_users="lay",
    )
    plan = services.plan_adopt_default(actor=actor, device=device)
    hazard = services.hazard_create(actor=actor, device=device, origin="own", title="Wrong value")
    situation = services.situation_create(
        actor=actor, hazard=hazard, description="The user acts on a wrong reading."
    )
    harm = services.harm_create(actor=actor, device=device, name="Mild hypoglycaemia", severity=2)
    services.risk_create(
        actor=actor,
        situation=situation,
        harm=harm,
        p1=1,
        p2=1,
        afap_justification="Fill detection is already in the design; nothing more is practicable.",
    )
    services.overall_evaluation_save(
        actor=actor, device=device, analysis="One low risk.", conclusion="acceptable"
    )
    record_sign(actor=users[Role.APPROVER], record=plan, meaning="approved", password=PASSWORD)
    return services.risk_review_complete(actor=actor, device=device, conclusions="Complete.")


def api_bodies(pks, users) -> dict:
    """A valid body for every risk write, so a 403 is about permission and not input."""
    from samsvar.risk import api_urls
    from tests.conftest import PASSWORD

    reason = {"reason": "Permission walk"}
    device = "api/v1/devices/<int:pk>/risk/"
    bodies = {
        (f"{device}plan/", "POST"): reason,
        (f"{device}plan/", "PUT"): {"scope": "Walk scope.", **reason},
        (f"{device}analysis/", "PUT"): {"foreseeable_misuse": "Bolus entered twice.", **reason},
        (f"{device}overall/", "PUT"): {"analysis": "Walk.", "conclusion": "acceptable", **reason},
        (f"{device}table/", "POST"): {},
        (f"{device}safety-characteristics/", "POST"): {
            "topic_key": _topic_key(),
            "answer": "no",
            **reason,
        },
        ("api/v1/risk-safety-characteristics/<int:pk>/", "PATCH"): {"notes": "Walk.", **reason},
        (f"{device}hazards/", "POST"): {"origin": "own", "title": "Walk hazard"},
        ("api/v1/risk-hazards/<int:pk>/", "PATCH"): {"description": "Walk.", **reason},
        (f"{device}situations/", "POST"): {
            "hazard": pks["risk.hazard"],
            "description": "The walk exposes the user.",
        },
        ("api/v1/risk-situations/<int:pk>/", "PATCH"): {"sequence_of_events": "1. Walk."},
        (f"{device}harms/", "POST"): {"name": "Walk harm", "severity": 2},
        ("api/v1/risk-harms/<int:pk>/", "PATCH"): {"description": "Walk.", **reason},
        (f"{device}risks/", "POST"): {
            "situation": pks["risk.situation"],
            "harm": pks["risk.harm"],
            "p1": 2,
            "p2": 2,
        },
        ("api/v1/risk-risks/<int:pk>/", "PATCH"): {"p1": 3, "p2": 4, **reason},
        ("api/v1/risk-risks/<int:pk>/clear-flag/", "POST"): {"note": "Reviewed in the walk."},
        (f"{device}controls/", "POST"): {
            "kind": "inherent_safety",
            "description": "Walk measure.",
            "risks": [pks["risk.risk"]],
        },
        ("api/v1/risk-controls/<int:pk>/", "PATCH"): {"implementation": "Walk.", **reason},
        ("api/v1/risk-controls/<int:pk>/verify/", "POST"): {
            "aspect": "effectiveness",
            "evidence": "VER-WALK-1 rev A",
            "result": "pass",
            "date": "2026-03-03",
        },
        (f"{device}benefit-risk/", "POST"): {
            "title": "Walk analysis",
            "risks": [pks["risk.risk"]],
            "conclusion": "favourable",
        },
        ("api/v1/risk-benefit-risk/<int:pk>/", "PATCH"): {"benefits": "Walk.", **reason},
        (f"{device}production-info/", "POST"): {
            "source": "literature",
            "date": "2026-05-05",
            "description": "Walk item.",
        },
        ("api/v1/risk-production-info/<int:pk>/", "PATCH"): {"reference": "LIT-1", **reason},
        ("api/v1/risk-production-info/<int:pk>/review/", "POST"): {"note": "Reviewed."},
        (f"{device}fmea-worksheets/", "POST"): {"kind": "use", "title": "Walk FMEA"},
        ("api/v1/risk-fmea-worksheets/<int:pk>/", "PATCH"): {"title": "Pump drive", **reason},
        ("api/v1/risk-fmea-worksheets/<int:pk>/rows/", "POST"): {
            "item_function": "Display",
            "failure_mode": "Segment missing",
            "severity": 4,
            "occurrence": 2,
            "detection": 5,
        },
        ("api/v1/risk-fmea-rows/<int:pk>/", "PATCH"): {"actions": "Walk.", **reason},
        ("api/v1/risk-fmea-rows/<int:pk>/hazard/", "POST"): {"origin": "own"},
        (f"{device}reviews/", "POST"): {"conclusions": "Walk review.", **reason},
    }
    for pattern in api_urls.urlpatterns:
        route = f"api/v1/{pattern.pattern}"
        if route.endswith("/sign/"):
            bodies[(route, "POST")] = {"meaning": "reviewed", "password": PASSWORD}
    return bodies
