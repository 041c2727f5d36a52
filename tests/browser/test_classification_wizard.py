"""The classification wizard in headless chromium: answer until the result, save, see the class."""

import re

import pytest

from samsvar.devices.demo import PUMP_PROFILE
from samsvar.devices.models import Classification
from tests.browser_fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_pending(page):
    """Answer every open question on the page the way the demo pump would."""
    for fieldset in page.locator("fieldset.question.pending").all():
        attribute = fieldset.get_attribute("id").removeprefix("question-")
        wanted = PUMP_PROFILE.get(attribute)
        if isinstance(wanted, bool):
            fieldset.locator(f"input[value={'yes' if wanted else 'no'}]").check()
        elif isinstance(wanted, str):
            fieldset.locator(f"input[value={wanted}]").check()
        elif fieldset.locator("input[value=no]").count():
            fieldset.locator("input[value=no]").check()
        elif fieldset.locator("input[value=none]").count():
            fieldset.locator("input[value=none]").check()
        # multiple-choice questions stay empty: none of the listed items applies


def test_regulatory_affairs_classifies_the_pump_through_the_wizard(open_page, users, make_device):
    device = make_device(users["regulatory_affairs"], name="Fjordmed InsuPump 5")
    page = open_page("en-GB")
    log_in(page, "regulatory_affairs", PASSWORD)
    page.goto(f"/devices/{device.pk}/")
    page.click("a.button:has-text('Classify')")
    assert (
        page.locator("fieldset.question legend")
        .first.inner_text()
        .startswith("How does the device enter the body?")
    )
    for _ in range(20):
        if page.locator("button[value=save]").count():
            break
        answer_pending(page)
        with page.expect_response(lambda response: "/classify/" in response.url):
            page.click("button[value=continue]")
        # htmx swaps the wizard in after the response; wait until it has settled.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
    assert "Result: class IIb" in page.locator("#result-heading").inner_text()
    assert "Rule 12" in page.locator(".result").inner_text()
    page.fill("#id_rationale", "Active therapeutic device delivering insulin: Rule 12.")
    page.click("button[value=save]")
    page.wait_for_url(re.compile(rf"/devices/{device.pk}/classification/$"))
    assert "class IIb" in page.locator("h2").first.inner_text()
    assert Classification.objects.get(device=device).rule == "Rule 12"
