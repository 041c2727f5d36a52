"""The risk register, the matrix heatmaps, traceability and history, production and
post-production information and the FMEA worksheets, as people use them over HTTP."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samsvar.core.models import AuditEvent
from samsvar.risk import services
from samsvar.risk.models import FmeaRow, FmeaWorksheet, Hazard, ProductionInfo, Risk
from samsvar.risk.register_views import TRACE_HAZARDS_PER_PAGE
from tests.risk.conftest import Builder

ROW = re.compile(r'<tr id="risk-(\d+)"')


def codes(response) -> list[str]:
    """The risk codes of the register table, in the order shown."""
    html = response.content.decode()
    by_pk = dict(Risk.objects.values_list("pk", "number"))
    return [f"R-{by_pk[int(pk)]:03d}" for pk in ROW.findall(html)]


def register(client, device, **query):
    return client.get(reverse("risk:register", args=[device.pk]), query)


@pytest.fixture
def sample(build, engineer):
    """R-001 S5 P5 (not acceptable) under an electrical hazard, controlled and verified to P1;
    R-002 S3 P1 (acceptable); R-003 not estimated; R-004 S4 P3 (not acceptable), no control."""
    energy = build.hazard(title="Mains leakage current", category_key="energy.electrical")
    severe = build.risk(severity=5, p1=5, p2=5, situation=build.situation(hazard=energy))
    control = build.control([severe], description="Double insulation of the charger")
    services.risk_update(actor=engineer, risk=severe, residual_p1=1, residual_p2=1)
    mild = build.risk(severity=3, p1=1, p2=1, harm=build.harm(severity=3, name="Skin irritation"))
    unknown = build.risk(severity=2, p1=None, p2=None)
    open_risk = build.risk(severity=4, p1=5, p2=4)
    for risk in (severe, mild, unknown, open_risk):
        risk.refresh_from_db()
    return {
        "severe": severe,
        "mild": mild,
        "unknown": unknown,
        "open": open_risk,
        "energy": energy,
        "control": control,
    }


# --- Register ---------------------------------------------------------------------------------


def test_the_register_lists_every_risk_with_its_chain(sample, client_for, device):
    response = register(client_for("auditor"), device)
    assert response.status_code == 200
    assert codes(response) == ["R-001", "R-002", "R-003", "R-004"]
    html = response.content.decode()
    assert "Mains leakage current" in html and "Skin irritation" in html
    assert "Matching risks: 4" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"acceptable": "no"}, ["severe", "open"]),
        ({"acceptable": "yes"}, ["mild"]),
        ({"residual_acceptable": "no"}, ["open"]),
        ({"estimated": "no"}, ["unknown"]),
        ({"controlled": "yes"}, ["severe"]),
        ({"category": "energy"}, ["severe"]),
        ({"q": "leakage"}, ["severe"]),
        ({"severity": "5", "p": "5"}, ["severe"]),
        ({"residual_severity": "5", "residual_p": "1"}, ["severe"]),
        ({"residual_severity": "4"}, ["open"]),
    ],
)
def test_filters_change_the_rows(sample, client_for, device, query, expected):
    response = register(client_for("engineer"), device, **query)
    assert codes(response) == [sample[name].code for name in expected]


def test_filters_by_hazard_and_harm(sample, client_for, device):
    client = client_for("engineer")
    by_hazard = register(client, device, hazard=sample["energy"].code)
    assert codes(by_hazard) == [sample["severe"].code]
    by_harm = register(client, device, harm=sample["mild"].harm_id)
    assert codes(by_harm) == [sample["mild"].code]


def test_the_flagged_filter_follows_post_production_information(sample, client_for, device):
    client = client_for("engineer")
    assert codes(register(client, device, flagged="yes")) == []
    client.post(
        reverse("risk:postmarket_add", args=[device.pk]),
        {
            "source": "complaint",
            "date": "2026-05-04",
            "description": "Rash under the patch.",
            "risks": sample["mild"].code,
            "finding": "severity_worse",
        },
    )
    assert codes(register(client, device, flagged="yes")) == [sample["mild"].code]


def test_sorting_orders_the_rows(sample, client_for, device):
    client = client_for("engineer")
    assert codes(register(client, device, sort="-number")) == ["R-004", "R-003", "R-002", "R-001"]
    worst_first = codes(register(client, device, sort="level"))
    assert worst_first[:2] == ["R-001", "R-004"] and worst_first[-1] == "R-003"
    after = codes(register(client, device, sort="residual"))
    assert after[0] == "R-004"  # still not acceptable after control
    assert codes(register(client, device, sort="-severity"))[0] == "R-001"


def test_grouping_puts_rows_under_their_group(sample, client_for, device):
    client = client_for("engineer")
    html = register(client, device, group="level").content.decode()
    headers = re.findall(r'<th class="group"[^>]*>([^<]+)<', html)
    assert [h.strip() for h in headers][:2] == ["S5, P5: not acceptable", "S4, P3: not acceptable"]
    assert headers[-1].strip() == "Not estimated"
    by_hazard = register(client, device, group="hazard").content.decode()
    hazard_headers = re.findall(r'<th class="group"[^>]*>([^<]+)<', by_hazard)
    assert len(hazard_headers) == Hazard.objects.filter(device=device).count()
    assert any("Mains leakage current" in h for h in hazard_headers)
    by_harm = register(client, device, group="harm").content.decode()
    harm_headers = [h.strip() for h in re.findall(r'<th class="group"[^>]*>([^<]+)<', by_harm)]
    assert harm_headers == sorted(Risk.objects.values_list("harm__name", flat=True))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"severity": "9"}, "severity"),
        ({"acceptable": "perhaps"}, "acceptable"),
        ({"sort": "price"}, "sort"),
        ({"group": "device"}, "group"),
        ({"hazard": "H-999"}, "hazard"),
        ({"hazard": "R-1"}, "hazard"),
        ({"category": "<script>"}, "category"),
    ],
)
def test_a_bad_filter_is_named_and_never_a_500(sample, client_for, device, query, field):
    response = register(client_for("engineer"), device, **query)
    assert response.status_code == 200
    assert codes(response) == []
    form = response.context["filter_form"]
    assert field in form.errors
    assert "Correct the filters marked above." in response.content.decode()


def test_the_register_is_paginated_and_htmx_gets_the_table_only(build, client_for, device):
    for _ in range(52):
        build.risk(severity=2, p1=1, p2=1)
    client = client_for("engineer")
    first = register(client, device)
    assert len(codes(first)) == 50
    second = register(client, device, page=2)
    assert codes(second) == ["R-051", "R-052"]
    partial = client.get(
        reverse("risk:register", args=[device.pk]), {"page": 2}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode() and codes(partial) == ["R-051", "R-052"]


def test_the_register_query_count_does_not_grow_with_the_file(build, client_for, device):
    client = client_for("engineer")
    build.risk(severity=3, p1=2, p2=2)
    with CaptureQueriesContext(connection) as small:
        register(client, device, group="hazard", acceptable="yes")
    for _ in range(20):
        build.risk(severity=3, p1=2, p2=2)
    with CaptureQueriesContext(connection) as large:
        response = register(client, device, group="hazard", acceptable="yes")
    assert len(codes(response)) == 21
    assert len(large.captured_queries) == len(small.captured_queries)


def test_other_devices_are_not_found(client_for, device):
    response = client_for("engineer").get(reverse("risk:register", args=[987654]))
    assert response.status_code == 404


# --- Matrix -----------------------------------------------------------------------------------

CELL = re.compile(
    r'<td class="rm-cell[^"]*"[^>]*data-severity="(\d)" data-p="(\d)"[^>]*>'
    r'(?:<a href="([^"]+)"[^>]*>)?(\d+)'
)


def heatmap(html: str, section: str) -> dict:
    part = html.split(f'id="matrix-{section}"', 1)[1].split("</section>", 1)[0]
    return {(int(s), int(p)): (int(n), href) for s, p, href, n in CELL.findall(part)}


def test_the_matrix_counts_equal_the_data(sample, client_for, device, build):
    build.risk(severity=5, p1=5, p2=5)
    response = client_for("auditor").get(reverse("risk:matrix", args=[device.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    before = heatmap(html, "before")
    after = heatmap(html, "after")
    assert len(before) == len(after) == 25
    risks = list(Risk.objects.filter(device=device))
    expected_before = Counter((r.severity, r.p) for r in risks if r.p is not None)
    assert {cell: n for cell, (n, _href) in before.items() if n} == dict(expected_before)
    expected_after = Counter(
        (r.residual_severity_effective, r.residual_p) if r.controls.exists() else (r.severity, r.p)
        for r in risks
        if r.p is not None
    )
    assert {cell: n for cell, (n, _href) in after.items() if n} == dict(expected_after)
    assert before[(5, 5)][0] == 2 and after[(5, 5)][0] == 1 and after[(5, 1)][0] == 1
    assert 'class="rm-cell rm-bad"' in html and "rm-ok" in html
    assert "1 not estimated" in html


def test_a_matrix_cell_opens_the_register_filtered_to_it(sample, client_for, device):
    client = client_for("engineer")
    html = client.get(reverse("risk:matrix", args=[device.pk])).content.decode()
    _n, href = heatmap(html, "after")[(5, 1)]
    response = client.get(href.replace("&amp;", "&"))
    assert codes(response) == [sample["severe"].code]
    _n, href = heatmap(html, "before")[(4, 3)]
    assert codes(client.get(href.replace("&amp;", "&"))) == [sample["open"].code]


def test_the_matrix_without_a_plan_says_so(client_for, make_device, quality):
    other = make_device(quality, name="Planless meter")
    response = client_for("engineer").get(reverse("risk:matrix", args=[other.pk]))
    assert response.status_code == 200
    assert "The device has no risk management plan yet" in response.content.decode()


# --- Traceability and history -----------------------------------------------------------------


def test_traceability_shows_the_chain_with_verification(sample, client_for, device):
    response = client_for("auditor").get(reverse("risk:trace", args=[device.pk]))
    html = response.content.decode()
    section = html.split(f'id="hazard-{sample["energy"].pk}"', 1)[1].split("</section>", 1)[0]
    situation = sample["severe"].situation
    control = sample["control"]
    for text in (
        situation.code,
        sample["severe"].code,
        sample["severe"].harm.name,
        control.code,
        "Double insulation of the charger",
        "VER-IMP-1 rev A",
        "VER-EFF-1 rev A",
    ):
        assert text in section, text
    assert "has-gap" not in section.split(f'id="risk-{sample["severe"].pk}"', 1)[0][-40:]


def test_traceability_highlights_gaps(sample, client_for, device, build):
    lonely = build.hazard(title="Sharp edge of the housing")
    unverified = build.control([sample["open"]], verified=False, description="Rounded edges")
    html = client_for("engineer").get(reverse("risk:trace", args=[device.pk])).content.decode()
    lonely_part = html.split(f'id="hazard-{lonely.pk}"', 1)[1].split("</section>", 1)[0]
    assert "has no hazardous situation" in lonely_part
    assert f'trace-hazard has-gap" id="hazard-{lonely.pk}"' in html
    row = html.split(f'id="risk-{sample["open"].pk}"', 1)[0][-60:]
    assert "has-gap" in row
    risk_part = html.split(f'id="risk-{sample["open"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert unverified.code in risk_part
    assert "has no verification of its implementation" in risk_part
    assert "has control measures but no estimate of the residual risk" in risk_part


def test_traceability_is_paginated_by_hazard(build, client_for, device):
    per_page = TRACE_HAZARDS_PER_PAGE
    hazards = [build.hazard(title=f"Hazard number {n}") for n in range(per_page + 3)]
    client = client_for("engineer")
    first = client.get(reverse("risk:trace", args=[device.pk])).content.decode()
    second = client.get(reverse("risk:trace", args=[device.pk]), {"page": 2}).content.decode()
    shown = re.compile(r'id="hazard-(\d+)"')
    assert shown.findall(first) == [str(h.pk) for h in hazards[:per_page]]
    assert shown.findall(second) == [str(h.pk) for h in hazards[per_page:]]


def test_the_traceability_query_count_does_not_grow_with_the_file(build, client_for, device):
    client = client_for("engineer")
    url = reverse("risk:trace", args=[device.pk])
    risk = build.risk(severity=3, p1=2, p2=2)
    build.control([risk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        risks = [build.risk(severity=3, p1=2, p2=2) for _ in range(2)]
        build.control(risks, verified=False)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert html.count('<tr class="') == min(13, TRACE_HAZARDS_PER_PAGE)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_history_of_a_risk_shows_its_changes_and_its_controls(sample, client_for, engineer):
    risk = sample["open"]
    before = risk.p1
    services.risk_update(actor=engineer, risk=risk, p1=before - 2, reason="Field data reviewed")
    control = sample["control"]
    services.control_update(actor=engineer, control=control, implementation="DO-7 rev C")
    response = client_for("auditor").get(reverse("risk:risk_history", args=[risk.pk]))
    html = response.content.decode()
    assert "Field data reviewed" in html
    assert f"<dt>P1</dt><dd><del>{before}</del> → <ins>{before - 2}</ins>" in html
    assert "DO-7 rev C" not in html  # that control does not control this risk
    severe = client_for("auditor").get(reverse("risk:risk_history", args=[sample["severe"].pk]))
    assert "DO-7 rev C" in severe.content.decode() and control.code in severe.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "risk:risk_history",
        "risk:risk_flag_clear",
        "risk:production_info",
        "risk:production_info_edit",
        "risk:fmea",
        "risk:fmea_add_row",
        "risk:fmea_row_edit",
        "risk:fmea_row_hazard",
        "risk:trace",
        "risk:postmarket",
    ],
)
def test_a_missing_record_is_not_found(client_for, name):
    assert client_for("engineer").get(reverse(name, args=[424242])).status_code == 404


# --- Production and post-production information -----------------------------------------------


def info_data(**fields):
    values = {
        "source": "complaint",
        "date": "2026-05-04",
        "reference": "CMP-2026-014",
        "description": "Pump delivered an extra unit after a restart.",
        "finding": "none",
    }
    values.update(fields)
    return values


def test_recording_information_with_a_finding_flags_and_the_review_clears_it(
    sample, client_for, device
):
    client = client_for("engineer")
    situation = sample["mild"].situation
    response = client.post(
        reverse("risk:postmarket_add", args=[device.pk]),
        info_data(
            situation=situation.code,
            occurrences="3",
            exposure="1000",
            risks=f"{sample['mild'].code}, R-4",
            finding="probability_underestimated",
        ),
    )
    item = ProductionInfo.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert set(item.risks.all()) == {sample["mild"], sample["open"]}
    assert item.is_open and item.situation == situation
    page = client.get(reverse("risk:postmarket", args=[device.pk])).content.decode()
    flagged = page.split('id="flagged"', 1)[1].split("</section>", 1)[0]
    assert sample["mild"].code in flagged and sample["open"].code in flagged
    observed = page.split('id="observed"', 1)[1].split("</section>", 1)[0]
    assert situation.code in observed and "above the estimate" in observed

    refused = client.post(reverse("risk:risk_flag_clear", args=[sample["mild"].pk]), {"note": ""})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    assert Risk.objects.get(pk=sample["mild"].pk).review_flag

    done = client.post(
        reverse("risk:risk_flag_clear", args=[sample["mild"].pk]),
        {"note": "P1 raised to 3 after the complaint trend.", "next": "/risk/flagged/"},
    )
    assert done.status_code == 302 and done["Location"] == "/risk/flagged/"
    mild = Risk.objects.get(pk=sample["mild"].pk)
    assert not mild.review_flag and mild.review_note.startswith("P1 raised")
    assert AuditEvent.objects.filter(
        object_type="risk.risk", object_id=str(mild.pk), reason__startswith="P1 raised"
    ).exists()
    flagged = client.get(reverse("risk:flagged")).content.decode().split("<tbody>", 1)[1]
    assert sample["open"].code in flagged and sample["mild"].code not in flagged

    client.post(reverse("risk:production_info_review", args=[item.pk]), {"note": "Trend closed."})
    item.refresh_from_db()
    assert not item.is_open and item.review_note == "Trend closed."
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "Trend closed." in detail and "reviewed" in detail


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"risks": "R-999"}, "risks", "Not in this device's file: R-999"),
        ({"risks": "X-1"}, "risks", "Not a number of the form R-012"),
        ({"situation": "HS-1, HS-2"}, "situation", "Give one number only."),
        (
            {"occurrences": "5", "exposure": "2"},
            "occurrences",
            "There cannot be more occurrences than uses observed.",
        ),
        ({"exposure": "-1"}, "exposure", "greater than or equal to 0"),
        ({"source": "rumour"}, "source", "Select a valid choice"),
        ({"date": "yesterday"}, "date", "Enter a valid date."),
    ],
)
def test_bad_information_is_refused_field_by_field(
    sample, client_for, device, fields, field, message
):
    response = client_for("engineer").post(
        reverse("risk:postmarket_add", args=[device.pk]), info_data(**fields)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not ProductionInfo.objects.exists()


def test_codes_name_only_records_of_the_same_device(sample, client_for, make_device, engineer):
    other = make_device(engineer, name="Glucose meter")
    services.plan_adopt_default(actor=engineer, device=other)
    Builder(other, engineer).risk()
    response = client_for("engineer").post(
        reverse("risk:postmarket_add", args=[other.pk]), info_data(risks="R-002")
    )
    assert "Not in this device's file: R-002" in " ".join(response.context["form"].errors["risks"])


def test_editing_and_deleting_information(sample, client_for, device, engineer):
    item = services.production_info_create(
        actor=engineer,
        device=device,
        source="literature",
        date=dt.date(2026, 1, 10),
        description="Case report of a similar pump.",
    )
    client = client_for("engineer")
    form = client.get(reverse("risk:production_info_edit", args=[item.pk]))
    assert "Case report of a similar pump." in form.content.decode()
    client.post(
        reverse("risk:production_info_edit", args=[item.pk]),
        info_data(source="literature", description="Case report, J Diabetes 2026.", hazards="H-1"),
    )
    item.refresh_from_db()
    assert item.description == "Case report, J Diabetes 2026."
    assert list(item.hazards.all()) == [sample["energy"]]
    refused = client.post(reverse("risk:production_info_delete", args=[item.pk]), {})
    assert refused.status_code == 200 and ProductionInfo.objects.filter(pk=item.pk).exists()
    client.post(reverse("risk:production_info_delete", args=[item.pk]), {"reason": "Duplicate."})
    assert not ProductionInfo.objects.filter(pk=item.pk).exists()


# --- FMEA -------------------------------------------------------------------------------------


def row_data(**fields):
    values = {
        "item_function": "Motor driver",
        "failure_mode": "Driver stuck on",
        "effect": "Over-delivery of insulin",
        "cause": "FET short circuit",
        "severity": "9",
        "occurrence": "2",
        "detection": "3",
        "actions": "",
        "hazard": "",
    }
    values.update(fields)
    return values


def make_row(worksheet, actor):
    fields = {name: value for name, value in row_data().items() if name != "hazard"}
    return services.fmea_row_create(actor=actor, worksheet=worksheet, **fields)


@pytest.fixture
def worksheet(device, engineer, plan):
    return services.fmea_worksheet_create(
        actor=engineer, device=device, kind="design", title="Pump drive"
    )


def test_creating_a_worksheet(client_for, device, plan):
    client = client_for("engineer")
    response = client.post(
        reverse("risk:device_fmea_add", args=[device.pk]), {"kind": "use", "title": "Bolus menu"}
    )
    sheet = FmeaWorksheet.objects.get()
    assert response["Location"] == reverse("risk:fmea", args=[sheet.pk])
    listing = client.get(reverse("risk:device_fmea", args=[device.pk])).content.decode()
    assert "Bolus menu" in listing and "Use FMEA" in listing
    bad = client.post(
        reverse("risk:device_fmea_add", args=[device.pk]), {"kind": "guess", "title": ""}
    )
    assert set(bad.context["form"].errors) == {"kind", "title"}


def test_rows_get_a_computed_rpn_and_actions_are_highlighted(worksheet, client_for):
    client = client_for("engineer")
    client.post(reverse("risk:fmea_add_row", args=[worksheet.pk]), row_data())
    client.post(
        reverse("risk:fmea_add_row", args=[worksheet.pk]),
        row_data(
            failure_mode="Occlusion not detected", severity="6", occurrence="5", detection="4"
        ),
    )
    client.post(
        reverse("risk:fmea_add_row", args=[worksheet.pk]),
        row_data(failure_mode="Display dim", severity="2", occurrence="2", detection="2"),
    )
    rows = {row.failure_mode: row for row in FmeaRow.objects.all()}
    assert rows["Driver stuck on"].rpn == 9 * 2 * 3
    assert rows["Occlusion not detected"].rpn == 120
    html = client.get(reverse("risk:fmea", args=[worksheet.pk])).content.decode()
    for row in rows.values():
        tr = re.search(rf'<tr id="fmea-row-{row.pk}" class="([^"]*)"', html).group(1)
        assert ("action-needed" in tr) == (row.severity >= 9 or row.rpn >= 100), row.failure_mode
    by_rpn = client.get(reverse("risk:fmea", args=[worksheet.pk]), {"sort": "rpn"})
    order = [int(pk) for pk in re.findall(r'<tr id="fmea-row-(\d+)"', by_rpn.content.decode())]
    assert order == [r.pk for r in sorted(rows.values(), key=lambda r: -r.rpn)]
    only = client.get(reverse("risk:fmea", args=[worksheet.pk]), {"action": "yes"})
    shown = re.findall(r'<tr id="fmea-row-(\d+)"', only.content.decode())
    assert str(rows["Display dim"].pk) not in shown and len(shown) == 2


def test_a_row_with_a_score_out_of_range_is_refused(worksheet, client_for):
    response = client_for("engineer").post(
        reverse("risk:fmea_add_row", args=[worksheet.pk]),
        row_data(severity="11", occurrence="0", detection="x"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"severity", "occurrence", "detection"}
    assert not FmeaRow.objects.exists()


def test_htmx_adds_and_edits_rows_in_place(worksheet, client_for):
    client = client_for("engineer")
    added = client.post(
        reverse("risk:fmea_add_row", args=[worksheet.pk]), row_data(), HTTP_HX_REQUEST="true"
    )
    html = added.content.decode()
    assert added.status_code == 200 and "<html" not in html and "Driver stuck on" in html
    row = FmeaRow.objects.get()
    form = client.get(reverse("risk:fmea_row_edit", args=[row.pk]), HTTP_HX_REQUEST="true")
    html = form.content.decode()
    assert html.startswith("<tr") and 'name="failure_mode"' in html
    saved = client.post(
        reverse("risk:fmea_row_edit", args=[row.pk]),
        row_data(occurrence="5", actions="Add an independent watchdog."),
        HTTP_HX_REQUEST="true",
    )
    row.refresh_from_db()
    assert (row.rpn, row.actions) == (9 * 5 * 3, "Add an independent watchdog.")
    assert saved.content.decode().startswith("<tr") and f">{row.rpn}<" in saved.content.decode()
    bad = client.post(
        reverse("risk:fmea_row_edit", args=[row.pk]), row_data(severity="0"), HTTP_HX_REQUEST="true"
    )
    assert 'name="severity"' in bad.content.decode() and bad.context["form"].errors["severity"]


def test_a_hazard_is_created_from_a_row(worksheet, client_for, engineer):
    row = make_row(worksheet, engineer)
    client = client_for("engineer")
    page = client.get(reverse("risk:fmea_row_hazard", args=[row.pk])).content.decode()
    assert "Driver stuck on" in page
    refused = client.post(
        reverse("risk:fmea_row_hazard", args=[row.pk]),
        {"origin": "catalogue", "category_key": "", "title": "Driver stuck on"},
    )
    assert "category_key" in refused.context["form"].errors
    assert not Hazard.objects.exists()
    client.post(
        reverse("risk:fmea_row_hazard", args=[row.pk]),
        {"origin": "catalogue", "category_key": "energy.mechanical", "title": "Driver stuck on"},
    )
    row.refresh_from_db()
    hazard = Hazard.objects.get()
    assert row.hazard == hazard and hazard.title == "Driver stuck on"
    assert "Over-delivery of insulin" in hazard.description
    again = client.post(
        reverse("risk:fmea_row_hazard", args=[row.pk]), {"origin": "own", "title": "Twice"}
    )
    assert again.status_code == 200 and Hazard.objects.count() == 1
    assert "already linked" in again.content.decode()


def test_a_row_links_only_hazards_of_its_device(worksheet, client_for, make_device, engineer):
    other = make_device(engineer, name="Other pump")
    foreign = services.hazard_create(actor=engineer, device=other, origin="own", title="Foreign")
    response = client_for("engineer").post(
        reverse("risk:fmea_add_row", args=[worksheet.pk]), row_data(hazard=str(foreign.pk))
    )
    assert "hazard" in response.context["form"].errors
    assert not FmeaRow.objects.exists()


def test_deleting_rows_and_worksheets_needs_a_reason(worksheet, client_for, engineer):
    row = make_row(worksheet, engineer)
    client = client_for("engineer")
    refused = client.post(reverse("risk:fmea_delete", args=[worksheet.pk]), {"reason": "Gone"})
    assert "cannot be deleted while it has rows" in refused.content.decode()
    assert client.post(reverse("risk:fmea_row_delete", args=[row.pk]), {}).status_code == 200
    assert FmeaRow.objects.exists()
    client.post(reverse("risk:fmea_row_delete", args=[row.pk]), {"reason": "Merged into row 2."})
    assert not FmeaRow.objects.exists()
    client.post(reverse("risk:fmea_delete", args=[worksheet.pk]), {"reason": "Superseded."})
    assert not FmeaWorksheet.objects.exists()


# --- Permissions ------------------------------------------------------------------------------


def test_an_auditor_reads_everything_and_changes_nothing(
    sample, worksheet, client_for, device, engineer
):
    row = make_row(worksheet, engineer)
    client = client_for("auditor")
    for name, pk in (
        ("risk:register", device.pk),
        ("risk:matrix", device.pk),
        ("risk:trace", device.pk),
        ("risk:postmarket", device.pk),
        ("risk:device_fmea", device.pk),
        ("risk:fmea", worksheet.pk),
        ("risk:risk_history", sample["open"].pk),
    ):
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200, name
        add = reverse("risk:postmarket_add", args=[device.pk])
        assert f'href="{add}"' not in response.content.decode()
    for name, pk, data in (
        ("risk:postmarket_add", device.pk, info_data()),
        ("risk:device_fmea_add", device.pk, {"kind": "use", "title": "T"}),
        ("risk:fmea_add_row", worksheet.pk, row_data()),
        ("risk:fmea_row_edit", row.pk, row_data(severity="1")),
        ("risk:fmea_row_delete", row.pk, {"reason": "x"}),
        ("risk:fmea_row_hazard", row.pk, {"origin": "own", "title": "x"}),
        ("risk:risk_flag_clear", sample["open"].pk, {"note": "x"}),
    ):
        assert client.post(reverse(name, args=[pk]), data).status_code == 403, name
    assert not ProductionInfo.objects.exists()
    assert FmeaWorksheet.objects.count() == 1
    row.refresh_from_db()
    assert row.severity == 9 and row.hazard is None


def test_anonymous_visitors_are_sent_to_log_in(client, device):
    response = client.get(reverse("risk:register", args=[device.pk]))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
