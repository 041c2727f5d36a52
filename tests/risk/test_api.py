"""The risk management file over /api/v1/: every write through the services, computed values
read-only, field-named errors, nothing half-saved, evidence endpoints for each record."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from samsvar.core.models import AuditEvent, RecordVersion
from samsvar.risk import services
from samsvar.risk.models import ControlMeasure, Hazard, HazardousSituation, Risk
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD


@pytest.fixture
def api_as(users):
    def client_for(role):
        client = APIClient()
        client.force_authenticate(users[role])
        return client

    return client_for


@pytest.fixture
def api(api_as):
    return api_as("engineer")


def risk_url(device, tail=""):
    return f"/api/v1/devices/{device.pk}/risk/{tail}"


def test_a_file_is_built_over_the_api_from_plan_to_residual_risk(api, device, engineer):
    assert api.get(risk_url(device, "plan/")).status_code == 404
    plan = api.post(risk_url(device, "plan/"), {}, format="json")
    assert plan.status_code == 201
    assert [level["rank"] for level in plan.json()["policy"]["severity"]["levels"]] == [
        1,
        2,
        3,
        4,
        5,
    ]
    hazard = api.post(
        risk_url(device, "hazards/"),
        {"category_key": "energy.electrical", "title": "Leakage current"},
        format="json",
    ).json()
    assert hazard["code"] == "H-001" and hazard["origin"] == "catalogue"
    situation = api.post(
        risk_url(device, "situations/"),
        {"hazard": hazard["id"], "description": "Patient touches the enclosure."},
        format="json",
    ).json()
    harm = api.post(
        risk_url(device, "harms/"), {"name": "Electric shock", "severity": 4}, format="json"
    ).json()
    response = api.post(
        risk_url(device, "risks/"),
        {"situation": situation["id"], "harm": harm["id"], "p1": 5, "p2": 4},
        format="json",
    )
    assert response.status_code == 201, response.json()
    risk = response.json()
    # Severity from the harm, P from the P1 x P2 table, acceptability from the matrix.
    assert (risk["severity"], risk["p"], risk["initial_acceptable"]) == (4, 3, False)
    assert risk["hazard"] == hazard["id"] and risk["code"] == "R-001"

    # Information for safety alone needs a rationale on the risk (7.1).
    info = {
        "kind": "information",
        "description": "Warning in the IFU.",
        "safety_information_text": "IFU 3.1: Do not open the enclosure.",
        "risks": [risk["id"]],
    }
    refused = api.post(risk_url(device, "controls/"), info, format="json")
    assert "risks" in field_errors(refused)
    assert not ControlMeasure.objects.exists()
    patched = api.patch(
        f"/api/v1/risk-risks/{risk['id']}/",
        {"control_option_rationale": "Insulation is already double; no further design option."},
        format="json",
    )
    assert patched.status_code == 200
    control = api.post(risk_url(device, "controls/"), info, format="json")
    assert control.status_code == 201, control.json()
    control = control.json()
    assert control["risks"] == [risk["id"]] and control["implementation_verified"] is False
    verified = api.post(
        f"/api/v1/risk-controls/{control['id']}/verify/",
        {
            "aspect": "implementation",
            "evidence": "VER-12 rev A",
            "result": "pass",
            "date": "2026-04-01",
        },
        format="json",
    )
    assert verified.status_code == 200
    assert verified.json()["implementation_verified"] is True
    assert verified.json()["implementation_verified_by"] == engineer.pk

    residual = api.patch(
        f"/api/v1/risk-risks/{risk['id']}/",
        {"residual_p1": 2, "residual_p2": 1},
        format="json",
    ).json()
    assert (residual["residual_p"], residual["residual_acceptable"]) == (1, True)
    assert residual["controls"] == [control["id"]]

    before = api.get(risk_url(device, "matrix/")).json()
    after = api.get(risk_url(device, "matrix/") + "?residual=1").json()
    cell = {(c["severity"], c["p"]): c["count"] for c in before["cells"]}
    residual_cell = {(c["severity"], c["p"]): c["count"] for c in after["cells"]}
    assert cell[(4, 3)] == 1 and residual_cell[(4, 1)] == 1 and residual_cell[(4, 3)] == 0
    assert before["total"] == after["total"] == 1

    gaps = api.get(risk_url(device, "gaps/")).json()
    codes = {gap["code"]: gap for gap in gaps["gaps"]}
    assert gaps["complete"] is False and gaps["count"] == len(gaps["gaps"])
    assert {"plan_not_approved", "control_effectiveness_not_verified"} <= set(codes)
    assert codes["control_effectiveness_not_verified"]["object_id"] == control["id"]
    assert "overall_residual_risk_not_evaluated" in codes
    assert "control_implementation_not_verified" not in codes


def test_computed_and_unknown_fields_are_refused_by_name(api, build, device):
    risk = build.risk(severity=3, p1=2, p2=2)
    url = f"/api/v1/risk-risks/{risk.pk}/"
    trail = AuditEvent.objects.count()
    for body, name in [
        ({"p": 1}, "p"),
        ({"initial_acceptable": True}, "initial_acceptable"),
        ({"severity": 1}, "severity"),
        ({"residual_p": 1}, "residual_p"),
        ({"review_flag": False}, "review_flag"),
        ({"colour": "red"}, "colour"),
        ({"situation": risk.situation_id}, "situation"),
        ({"p1": 9}, "p1"),
        ({"p1": "often"}, "p1"),
        ({"p1": 3}, "p2"),
    ]:
        body = {**body, "p2": None} if name == "p2" else body
        assert name in field_errors(api.patch(url, body, format="json")), body
    risk.refresh_from_db()
    assert (risk.p1, risk.p2, risk.p) == (2, 2, 1)
    assert AuditEvent.objects.count() == trail


def test_related_records_must_belong_to_the_same_device(api, build, device, make_device, quality):
    other = make_device(quality, name="Other device")
    services.plan_adopt_default(actor=quality, device=other)
    foreign = services.hazard_create(actor=quality, device=other, origin="own", title="Foreign")
    response = api.post(
        risk_url(device, "situations/"),
        {"hazard": foreign.pk, "description": "Exposed."},
        format="json",
    )
    assert "hazard" in field_errors(response)
    assert not HazardousSituation.objects.exists()
    risk = build.risk()
    control = api.post(
        f"/api/v1/devices/{other.pk}/risk/controls/",
        {"kind": "inherent_safety", "description": "Guard.", "risks": [risk.pk]},
        format="json",
    )
    assert "risks" in field_errors(control)
    assert not ControlMeasure.objects.exists()


def test_the_register_filters_and_sorts_like_the_page(api, build, device):
    low = build.risk(severity=1, p1=1, p2=1)
    high = build.risk(severity=5, p1=5, p2=5)
    build.risk(severity=3, p1=None, p2=None)
    url = risk_url(device, "risks/")
    rows = api.get(url + "?acceptable=false").json()
    assert [row["id"] for row in rows["results"]] == [high.pk]
    assert api.get(url + "?estimated=0").json()["count"] == 1
    ordered = api.get(url + "?sort=level&estimated=1").json()["results"]
    assert [row["id"] for row in ordered] == [high.pk, low.pk]
    assert "sort" in field_errors(api.get(url + "?sort=colour"))
    assert "colour" in field_errors(api.get(url + "?colour=red"))


def test_a_new_policy_reevaluates_risks_and_lists_the_level_changes(api, build, device, plan):
    risk = build.risk(severity=2, p1=5, p2=5)
    assert risk.initial_acceptable is False
    body = api.get(risk_url(device, "plan/")).json()["policy"]
    for cell in body["matrix"]:
        cell["acceptable"] = True
    response = api.put(
        risk_url(device, "plan/"), {"policy": body, "reason": "Wider matrix"}, format="json"
    )
    assert response.status_code == 200, response.json()
    risk.refresh_from_db()
    assert risk.initial_acceptable is True
    changes = api.get(risk_url(device, "plan/level-changes/")).json()["results"]
    initial = next(c for c in changes if c["estimate"] == "initial")
    assert (initial["risk_code"], initial["before_acceptable"], initial["after_acceptable"]) == (
        "R-001",
        False,
        True,
    )
    bad = api.put(risk_url(device, "plan/"), {"policy": {"severity": 3}}, format="json")
    assert "policy" in field_errors(bad)


def test_signing_freezes_a_version_and_a_change_then_needs_a_reason(
    api, api_as, build, device, approver
):
    hazard = build.hazard(title="Sharp edge")
    url = f"/api/v1/risk-hazards/{hazard.pk}/"
    signed = api_as("approver").post(
        url + "sign/", {"meaning": "approved", "password": PASSWORD}, format="json"
    )
    assert signed.status_code == 201, signed.json()
    assert api.get(url).json()["approved"] is True
    versions = api.get(url + "versions/").json()["results"]
    assert versions[0]["version"] == 1 and versions[0]["content"]["fields"]["title"] == "Sharp edge"
    assert "reason" in field_errors(api.patch(url, {"title": "Sharp corner"}, format="json"))
    changed = api.patch(url, {"title": "Sharp corner", "reason": "Wording"}, format="json")
    assert changed.json()["version"] == 2 and changed.json()["approved"] is False
    history = api.get(url + "history/").json()["results"]
    assert history[0]["reason"] == "Wording"
    bad_password = api_as("approver").post(
        url + "sign/", {"meaning": "approved", "password": "wrong"}, format="json"
    )
    assert bad_password.status_code in (400, 403)
    assert RecordVersion.objects.filter(object_id=str(hazard.pk)).count() == 1


def test_a_risk_history_includes_its_controls(api, build):
    risk = build.risk(severity=2, p1=2, p2=2)
    control = build.control([risk], verified=False)
    events = api.get(f"/api/v1/risk-risks/{risk.pk}/history/").json()["results"]
    assert {e["object_type"] for e in events} == {"risk.risk", "risk.controlmeasure"}
    assert any(e["object_id"] == str(control.pk) for e in events)


def test_plan_approval_can_be_requested_by_signature_request(api, device, plan, approver):
    response = api.post(
        "/api/v1/signature-requests/",
        {
            "object_type": "risk.riskplan",
            "object_id": str(plan.pk),
            "signer": approver.pk,
            "meaning": "approved",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["object_repr"].startswith("RMP")


def test_the_review_is_refused_while_the_file_has_gaps_and_recorded_when_complete(
    api, device, complete_file, engineer
):
    url = risk_url(device, "reviews/")
    review = api.post(url, {"conclusions": "Complete and acceptable."}, format="json")
    assert review.status_code == 201, review.json()
    assert review.json()["plan_version"] == complete_file["plan"].version
    assert review.json()["risk_count"] == 1
    services.hazard_create(actor=engineer, device=device, origin="own", title="Unanalysed hazard")
    refused = api.post(url, {"conclusions": "Again."}, format="json")
    errors = field_errors(refused)["non_field_errors"]
    assert any("Unanalysed hazard" in message for message in errors)
    assert api.get(url).json()["count"] == 1


def test_issued_reports_are_read_and_downloaded_unchanged(api, device, engineer, plan):
    content = b"%PDF-1.7\n% report\n%%EOF\n"
    report = services.report_issue(
        actor=engineer, device=device, fmt="pdf", content=content, filename="rmr.pdf"
    )
    listing = api.get(risk_url(device, "reports/")).json()
    assert [r["sha256"] for r in listing["results"]] == [report.sha256]
    detail = api.get(f"/api/v1/risk-reports/{report.pk}/").json()
    assert detail["intact"] is True and detail["size"] == len(content)
    download = api.get(f"/api/v1/risk-reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content
    assert api.patch(f"/api/v1/risk-reports/{report.pk}/", {}, format="json").status_code == 405


def test_post_production_information_flags_risks_until_reviewed(api, build, device):
    risk = build.risk(severity=3, p1=2, p2=2)
    response = api.post(
        risk_url(device, "production-info/"),
        {
            "source": "complaint",
            "date": "2026-05-04",
            "description": "Shock reported by a user.",
            "risks": [risk.pk],
            "finding": "severity_worse",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["is_open"] is True
    assert api.get(risk_url(device, "production-info/") + "?open=1").json()["count"] == 1
    flagged = api.get(f"/api/v1/risk-risks/{risk.pk}/").json()
    assert flagged["review_flag"] is True and "PI-001" in flagged["review_reason"]
    assert "note" in field_errors(
        api.post(f"/api/v1/risk-risks/{risk.pk}/clear-flag/", {"note": " "}, format="json")
    )
    cleared = api.post(
        f"/api/v1/risk-risks/{risk.pk}/clear-flag/", {"note": "Severity confirmed."}, format="json"
    )
    assert cleared.json()["review_flag"] is False
    closed = api.post(
        f"/api/v1/risk-production-info/{item['id']}/review/", {"note": "Done."}, format="json"
    )
    assert closed.json()["is_open"] is False
    assert api.get(risk_url(device, "production-info/") + "?open=1").json()["count"] == 0


def test_fmea_rows_compute_the_rpn_and_feed_the_analysis(api, device, plan):
    worksheet = api.post(
        risk_url(device, "fmea-worksheets/"), {"kind": "design", "title": "Drive"}, format="json"
    ).json()
    rows_url = f"/api/v1/risk-fmea-worksheets/{worksheet['id']}/rows/"
    row = api.post(
        rows_url,
        {
            "item_function": "Motor",
            "failure_mode": "Stalls",
            "severity": 7,
            "occurrence": 3,
            "detection": 2,
        },
        format="json",
    )
    assert row.status_code == 201 and row.json()["rpn"] == 42
    assert "rpn" in field_errors(
        api.patch(f"/api/v1/risk-fmea-rows/{row.json()['id']}/", {"rpn": 1}, format="json")
    )
    assert "severity" in field_errors(
        api.post(
            rows_url,
            {
                "item_function": "M",
                "failure_mode": "F",
                "severity": 11,
                "occurrence": 1,
                "detection": 1,
            },
            format="json",
        )
    )
    hazard = api.post(
        f"/api/v1/risk-fmea-rows/{row.json()['id']}/hazard/", {"origin": "own"}, format="json"
    )
    assert hazard.status_code == 201 and hazard.json()["title"] == "Stalls"
    assert api.get(rows_url).json()["results"][0]["hazard"] == hazard.json()["id"]


def test_analysis_overall_and_safety_answers(api, device, plan):
    assert api.get(risk_url(device, "analysis/")).status_code == 404
    analysis = api.put(
        risk_url(device, "analysis/"), {"foreseeable_misuse": "Reuse."}, format="json"
    )
    assert analysis.json()["intended_use"] == device.intended_purpose
    hazard = api.post(
        risk_url(device, "hazards/"), {"origin": "own", "title": "Reuse"}, format="json"
    ).json()
    from samsvar.regulatory.risk.catalogue import safety_topics

    topic = safety_topics()[0].key
    answer = api.post(
        risk_url(device, "safety-characteristics/"),
        {"topic_key": topic, "answer": "yes", "hazards": [hazard["id"]]},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["hazards"] == [hazard["id"]]
    url = f"/api/v1/risk-safety-characteristics/{answer.json()['id']}/"
    assert api.patch(url, {"notes": "See H-001."}, format="json").json()["hazards"] == [
        hazard["id"]
    ]
    other = safety_topics()[1].key
    assert "topic_key" in field_errors(api.patch(url, {"topic_key": other}, format="json"))
    overall = api.put(risk_url(device, "overall/"), {"conclusion": "maybe"}, format="json")
    assert "conclusion" in field_errors(overall)
    overall = api.put(risk_url(device, "overall/"), {"conclusion": "acceptable"}, format="json")
    assert overall.json()["method"] == plan.overall_method


def test_readers_may_read_and_not_write(api_as, build, device):
    risk = build.risk(severity=2, p1=2, p2=2)
    auditor = api_as("auditor")
    assert auditor.get(f"/api/v1/risk-risks/{risk.pk}/").status_code == 200
    response = auditor.patch(f"/api/v1/risk-risks/{risk.pk}/", {"p1": 1}, format="json")
    assert response.status_code == 403
    risk.refresh_from_db()
    assert risk.p1 == 2
    assert api_as("engineer").get("/api/v1/risk-risks/424242/").status_code == 404


def test_the_table_round_trips_over_the_api(api, build, device):
    risk = build.risk(severity=3, p1=2, p2=2)
    exported = api.get(risk_url(device, "table/"))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert exported["Content-Disposition"].startswith("attachment; filename=")
    assert "risk-table-Fjordmed_InsuPump_3.xlsx" in exported["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook["Risks"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("P1") + 1, value=4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "edited.xlsx"
    imported = api.post(risk_url(device, "table/"), {"file": buffer, "reason": "Re-estimated"})
    assert imported.status_code == 200, imported.json()
    assert imported.json()["updated"]["risks"] == 1
    risk.refresh_from_db()
    assert risk.p1 == 4
    bad = io.BytesIO(b"not a workbook")
    bad.name = "bad.xlsx"
    refused = api.post(risk_url(device, "table/"), {"file": bad})
    body = field_errors(refused)
    assert body["file"] and body["errors"][0]["row"] == 0
    assert Risk.objects.get(pk=risk.pk).p1 == 4
    assert Hazard.objects.count() == 1
