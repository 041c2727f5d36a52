"""Compliance fixtures: the organisation with its PRRC, a classified pump (MDR IIb), a classified
self-test glucose meter (IVDR C) and the obligations of both."""

import pytest

from samsvar.devices.demo import METER_PROFILE, PUMP_PROFILE, _complete


@pytest.fixture
def organisation(quality):
    from samsvar.accounts.services import organisation_save, prrc_save

    organisation = organisation_save(
        actor=quality,
        name="Fjordmed AS",
        address="Fjordveien 12\n0250 Oslo",
        country="NO",
        srn="NO-MF-000012345",
    )
    prrc_save(
        actor=quality,
        user=quality,
        full_name="Kari Nordmann",
        regimes="both",
        qualification_route="degree",
        degree="MSc Pharmacy",
        years_experience="9.0",
        evidence="Diploma in HR-017.",
    )
    return organisation


@pytest.fixture
def pump(device, users):
    """The persona device classified as MDR class IIb by Rule 12."""
    from samsvar.devices.services import classification_save

    classification_save(
        actor=users["regulatory_affairs"],
        device=device,
        profile=_complete("mdr", PUMP_PROFILE),
        rationale="Insulin pump: Rule 12.",
    )
    device.refresh_from_db()
    return device


@pytest.fixture
def meter(make_device, quality, users):
    """A blood-glucose self-test meter classified as IVDR class C by Rule 4(a)."""
    from samsvar.devices.services import classification_save

    meter = make_device(
        quality,
        name="Fjordmed GlucoSure",
        regime="ivdr",
        intended_purpose="Quantitative glucose in capillary blood, self-testing.",
    )
    classification_save(
        actor=users["regulatory_affairs"],
        device=meter,
        profile=_complete("ivdr", METER_PROFILE),
        rationale="Self-test glucose: Rule 4(a).",
    )
    meter.refresh_from_db()
    return meter


@pytest.fixture
def synced(pump, meter, quality):
    from samsvar.compliance.services import obligations_sync

    obligations_sync(actor=quality)
    return {"pump": pump, "meter": meter}


@pytest.fixture
def declaration_body():
    """A valid declaration for the pump (class IIb: a notified body is needed)."""
    return {
        "references": ["EN ISO 14971:2019+A11:2021", "EN 60601-1:2006+A2:2021"],
        "notified_body_name": "Example Notified Body",
        "notified_body_number": "0000",
        "conformity_procedure": "Annex IX Chapters I and III",
        "certificate": "EX-0000-001",
        "place_of_issue": "Oslo",
        "date_of_issue": "2026-11-20",
        "signatory_name": "Ingrid Solberg",
        "signatory_function": "Managing director",
    }
