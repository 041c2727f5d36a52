"""In headless chromium: fill a GSPR entry inline with htmx; the row and the progress update."""

import pytest

from samsvar.standards.models import GsprEntry
from tests.browser_fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_gspr_edit_refuses_then_saves_and_updates_the_summary(open_page, users, device):
    page = open_page("en-GB")
    log_in(page, "engineer", PASSWORD)
    page.goto(f"/standards/devices/{device.pk}/gspr/")
    assert "0 of 192 requirements complete" in page.locator("#gspr-summary").inner_text()

    row = page.locator("tr#req-12-1")
    row.locator("a:has-text('Edit')").click()
    form = page.locator("tr#req-12-1 form")
    form.locator("select[name=applicable]").select_option("no")
    form.locator("button[type=submit]").click()
    assert "Say why" in page.locator("tr#req-12-1 .error").inner_text()
    assert page.url.endswith(f"/standards/devices/{device.pk}/gspr/")  # stayed inline

    page.locator("tr#req-12-1 textarea[name=justification]").fill(
        "The pump delivers insulin but does not incorporate it."
    )
    page.locator("tr#req-12-1 button[type=submit]").click()
    page.locator("tr#req-12-1 .tag:has-text('Complete')").wait_for()
    assert "does not incorporate it" in page.locator("tr#req-12-1").inner_text()
    page.locator("#gspr-summary:has-text('1 of 192 requirements complete')").wait_for()
    entry = GsprEntry.objects.get(device=device, number="12.1")
    assert entry.applicable is False and "insulin" in entry.justification
