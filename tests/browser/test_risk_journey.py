"""In headless chromium: a QA manager builds the complete risk management file of a new device
in the UI, from adopting the plan to the signed review, watching the gap list shrink to zero."""

import re

import pytest

from samsvar.core.models import Signature
from samsvar.risk import selectors
from samsvar.risk.models import ControlMeasure, Risk, RiskReview
from tests.browser_fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def gap_count(page) -> int:
    return int(page.locator("#gap-count").inner_text())


def submit(page):
    page.click("form.card button[type=submit]")


def sign_approved(page):
    page.select_option("#id_meaning", "approved")
    page.fill("#id_password", PASSWORD)
    submit(page)


def test_a_qa_manager_builds_a_complete_risk_file(open_page, users, make_device):
    device = make_device(users["quality_manager"], name="Fjordmed InsuPatch 1")
    page = open_page("en-GB")
    log_in(page, "quality_manager", PASSWORD)
    overview = f"/risk/devices/{device.pk}/"

    # Plan (4.4): adopt the ready policy and approve it.
    page.goto(overview)
    page.click("button:has-text('Adopt the ready')")
    page.wait_for_url(re.compile(r"/plan/$"))
    assert "Catastrophic" in page.locator("#acceptability-matrix").inner_text()
    page.click("a.button:has-text('Sign')")
    sign_approved(page)
    page.wait_for_url(re.compile(r"/plan/$"))
    assert "Approved" in page.locator("h1").inner_text()
    page.goto(overview)
    assert gap_count(page) == 1  # only the overall residual risk is missing from an empty file

    # Analysis (5.4, 5.5): hazard -> hazardous situation -> harm -> risk.
    page.click(".rf-nav a:has-text('Hazards')")
    page.click("a.button:has-text('Add a hazard')")
    page.select_option("#id_category_key", "energy.electrical")
    page.fill("#id_title", "Leakage current from the charger")
    submit(page)
    page.wait_for_url(re.compile(r"/risk/hazards/\d+/$"))
    page.click("a.button:has-text('Add a hazardous situation')")
    page.fill("#id_sequence_of_events", "1. Charger insulation fails.\n2. User touches the pump.")
    page.fill("#id_description", "The user is exposed to mains leakage current.")
    submit(page)
    page.wait_for_url(re.compile(r"/risk/situations/\d+/$"))
    page.click("a.button:has-text('Add a risk')")
    page.click("a:has-text('Add a harm that is not in the list')")
    page.fill("#id_name", "Electric shock")
    page.select_option("#id_severity", "4")
    submit(page)
    page.wait_for_url(re.compile(r"/risks/add/$"))
    page.select_option("#id_harm", label="Electric shock (S4)")
    page.select_option("#id_p1", "5")
    page.select_option("#id_p2", "5")
    page.locator("#estimate .tag:has-text('Not acceptable')").wait_for()  # computed, not typed
    submit(page)
    page.wait_for_url(re.compile(r"/risk/risks/\d+/$"))
    assert "Not acceptable" in page.locator("h1").inner_text()
    risk = Risk.objects.get(device=device)
    assert (risk.p, risk.initial_acceptable) == (5, False)
    page.goto(overview)
    gaps = page.locator("#completeness").inner_text()
    assert "is not acceptable and has no control measure" in gaps
    assert page.locator("#review-complete").is_disabled()

    # Control (7): a design measure, verified twice, then the residual risk.
    page.goto(f"/risk/risks/{risk.pk}/")
    page.click("a.button:has-text('Add a control measure')")
    page.check("input[name=kind][value=inherent_safety]")
    page.fill("#id_description", "Double insulation of the charger (class II).")
    page.fill("#id_implementation", "DO-31 charger design, rev C.")
    page.check("#id_new_risks_reviewed")
    submit(page)
    page.wait_for_url(re.compile(r"/risk/controls/\d+/$"))
    control = ControlMeasure.objects.get(device=device)
    assert list(control.risks.all()) == [risk]
    for aspect, evidence in (
        ("implementation", "VER-IP1-014 design review"),
        ("effectiveness", "VER-IP1-020 IEC 60601-1 test report"),
    ):
        page.click(f"a.button:has-text('Verify {aspect}')")
        page.fill("#id_evidence", evidence)
        page.select_option("#id_result", "pass")
        page.fill("#id_date", "2026-03-02")
        submit(page)
        page.wait_for_url(re.compile(rf"/risk/controls/{control.pk}/$"))
    assert "VER-IP1-020" in page.locator("#verification").inner_text()
    page.goto(f"/risk/risks/{risk.pk}/")
    page.click("a.button:has-text('Estimate and evaluate')")
    page.select_option("#id_residual_p1", "1")
    page.select_option("#id_residual_p2", "1")
    page.locator("#estimate .tag:has-text('Acceptable')").wait_for()
    submit(page)
    page.wait_for_url(re.compile(rf"/risk/risks/{risk.pk}/$"))
    assert "Nothing is open for this risk." in page.locator("main").inner_text()

    # An acceptable risk still needs a control or the "as far as possible" justification.
    page.goto(f"/risk/situations/{risk.situation_id}/")
    page.click("a.button:has-text('Add a risk')")
    page.click("a:has-text('Add a harm that is not in the list')")
    page.fill("#id_name", "Skin burn at the charger contact")
    page.select_option("#id_severity", "2")
    submit(page)
    page.wait_for_url(re.compile(r"/risks/add/$"))
    page.select_option("#id_harm", label="Skin burn at the charger contact (S2)")
    page.select_option("#id_p1", "1")
    page.select_option("#id_p2", "2")
    page.locator("#estimate .tag:has-text('Acceptable')").wait_for()
    submit(page)
    page.wait_for_url(re.compile(r"/risk/risks/\d+/$"))
    assert "neither a control measure nor a recorded justification" in page.inner_text("main")
    page.click("a.button:has-text('Estimate and evaluate')")
    page.fill(
        "#id_afap_justification",
        "The contact temperature stays below 41 °C by design; cooling further would need a "
        "larger charger, which users would leave at home.",
    )
    submit(page)
    page.wait_for_url(re.compile(r"/risk/risks/\d+/$"))
    assert "Nothing is open for this risk." in page.locator("main").inner_text()

    # Overall residual risk (8), then the gap list is empty and the review can be completed.
    page.goto(overview)
    before = gap_count(page)
    page.click(".rf-nav a:has-text('Overall residual risk')")
    page.click("a.button:has-text('Evaluate')")
    page.fill("#id_analysis", "One residual risk, acceptable after double insulation.")
    page.select_option("#id_conclusion", "acceptable")
    submit(page)
    page.wait_for_url(re.compile(r"/overall/$"))
    page.goto(overview)
    assert before == 1 and gap_count(page) == 0
    assert "No gaps." in page.locator("#completeness").inner_text()
    assert selectors.risk_file_gaps(device) == []
    page.fill(
        "#id_conclusions", "The plan was carried out; the overall residual risk is acceptable."
    )
    page.click("#review-complete")
    page.wait_for_url(re.compile(r"/risk/reviews/\d+/$"))
    page.click("a.button:has-text('Sign')")
    sign_approved(page)
    page.wait_for_url(re.compile(r"/risk/reviews/\d+/$"))
    review = RiskReview.objects.get(device=device)
    assert "Approved" in page.locator("h1").inner_text()
    assert Signature.objects.filter(record_version__object_id=str(review.pk)).exists()
