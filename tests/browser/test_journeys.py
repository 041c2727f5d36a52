"""End to end in headless chromium: log in (English and Norwegian), create a device, change it
with a reason, sign it, and find all of it in the audit log."""

import re

import pytest

from samsvar.core.models import AuditEvent, Signature
from samsvar.devices.models import Device
from tests.browser_fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_device_life_in_english(open_page, users):
    page = open_page("en-GB")
    log_in(page, "quality_manager", PASSWORD)
    assert page.locator("h2#awaiting").inner_text().startswith("Awaiting my signature")

    page.click("summary:has-text('Products')")
    page.click("a:has-text('Device register')")
    page.click("a:has-text('Register a device')")
    page.fill("#id_name", "Fjordmed InsuPump 4")
    page.fill("#id_model_number", "IP4-100")
    page.fill("#id_variants", "IP4-100\nIP4-100-BT")
    page.select_option("#id_regime", "mdr")
    page.fill("#id_intended_purpose", "Continuous subcutaneous insulin infusion at home.")
    page.select_option("#id_intended_users", "lay")
    page.select_option("#id_target_markets", ["NO", "SE"])
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/devices/\d+/$"))
    assert "Fjordmed InsuPump 4" in page.locator("h1").inner_text()
    device = Device.objects.get(name="Fjordmed InsuPump 4")

    page.click("a.button:has-text('Sign')")
    page.select_option("#id_meaning", "approved")
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(rf"/devices/{device.pk}/$"))
    assert "Approved" in page.locator(".signatures").inner_text()
    assert "Quality Manager Person" in page.locator(".signatures").inner_text()

    page.click("a.button:has-text('Edit')")
    page.fill("#id_model_number", "IP4-200")
    page.click("form.card button[type=submit]")
    assert "reason" in page.locator(".has-error").first.inner_text().lower()
    page.fill("#id_reason", "Second-generation motor after verification VR-12")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(rf"/devices/{device.pk}/$"))
    assert "v2" in page.locator("h1").inner_text()

    page.click("summary:has-text('Records')")
    page.click("a:has-text('Audit log')")
    page.select_option("select[name=object_type]", "devices.device")
    page.click("form.filters button[type=submit]")
    table = page.locator("table.table").inner_text()
    for text in (
        "Created",
        "Signed",
        "Changed",
        "Second-generation motor after verification VR-12",
        "IP4-200",
    ):
        assert text in table
    assert Signature.objects.get().meaning == "approved"
    assert AuditEvent.objects.filter(object_id=str(device.pk), action="update").get().reason


def test_norwegian_browser_gets_norwegian_pages_and_can_switch(open_page, users, make_device):
    make_device(users["quality_manager"], name="Fjordmed GlucoSure")
    page = open_page("nb-NO")
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "Logg inn i samsvar"
    log_in(page, "engineer", PASSWORD)
    assert page.locator("h2#awaiting").inner_text().startswith("Venter på min signatur")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.click("summary:has-text('Produkter')")
    page.click("a:has-text('Utstyrsregister')")
    assert page.locator("h1").inner_text() == "Utstyrsregister"
    assert "Fjordmed GlucoSure" in page.locator("table").inner_text()
    page.select_option("#lang-switch", "en")
    page.click(".usermenu button:has-text('Bytt')")
    assert page.locator("h1").inner_text() == "Device register"
