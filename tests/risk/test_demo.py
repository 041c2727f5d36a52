"""The risk demo data: the pump's complete, approved file with an issued report, the meter's
partial file with real gaps, built through the services and loaded idempotently."""

import hashlib

import pytest

from samsvar.core.models import AuditEvent, Signature
from samsvar.devices.models import Device
from samsvar.risk import demo, selectors
from samsvar.risk.demo_content import METER_DEVICE, PUMP_DEVICE
from samsvar.risk.facts import is_approved
from samsvar.risk.models import (
    BenefitRiskAnalysis,
    ControlMeasure,
    HazardousSituation,
    IssuedReport,
    OverallEvaluation,
    ProductionInfo,
    Risk,
    RiskPlan,
    RiskReview,
)
from tests.conftest import PASSWORD

GROUPS = {"energy", "biological_chemical", "operational", "information"}


@pytest.fixture
def people(db):
    from samsvar.accounts.demo import load_organisation, load_users
    from samsvar.devices.demo import load_classifications, load_devices

    people = load_users(PASSWORD)
    load_organisation(people)
    load_devices(people, PASSWORD)
    load_classifications(people, PASSWORD)
    return people


@pytest.fixture
def loaded(people):
    assert demo.load(people, PASSWORD) is True
    return {
        "pump": Device.objects.get(name=PUMP_DEVICE),
        "meter": Device.objects.get(name=METER_DEVICE),
    }


def signers(record) -> set[tuple[str, str]]:
    return {
        (s.signer.username, s.meaning)
        for s in Signature.objects.filter(
            record_version__content_type__model=record._meta.model_name,
            record_version__object_id=str(record.pk),
            record_version__version=record.version,
        )
    }


def test_the_pump_file_is_complete_and_approved(loaded):
    pump = loaded["pump"]
    assert selectors.risk_file_gaps(pump) == []
    assert is_approved(RiskPlan.objects.get(device=pump))
    situations = HazardousSituation.objects.filter(device=pump).select_related("hazard")
    assert situations.count() >= 25
    assert {s.hazard.category_key.split(".")[0] for s in situations} >= GROUPS
    controls = ControlMeasure.objects.filter(device=pump)
    assert set(controls.values_list("kind", flat=True)) == {
        "inherent_safety",
        "protective",
        "information",
    }
    assert all(c.implementation_verified and c.effectiveness_verified for c in controls)
    analyses = BenefitRiskAnalysis.objects.filter(device=pump)
    assert any(is_approved(a) and a.conclusion == "favourable" for a in analyses)
    overall = OverallEvaluation.objects.get(device=pump)
    assert overall.conclusion == "acceptable" and is_approved(overall)
    assert ProductionInfo.objects.filter(device=pump).count() >= 6
    assert Risk.objects.filter(device=pump, initial_acceptable=False).exists()
    assert pump.fmea_worksheets.filter(rows__hazard__isnull=False).exists()
    review = RiskReview.objects.get(device=pump)
    assert {("quality", "reviewed"), ("approver", "approved")} <= signers(review)


def test_the_pump_has_an_issued_signed_report_with_its_sha256(loaded):
    issued = IssuedReport.objects.get(device=loaded["pump"])
    with issued.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF") and issued.format == "pdf"
    assert issued.sha256 == hashlib.sha256(content).hexdigest() and issued.size == len(content)
    assert selectors.report_intact(issued)
    assert ("approver", "approved") in signers(issued)
    assert issued.issued_by.username == "quality"


def test_the_meter_file_has_real_gaps(loaded):
    meter = loaded["meter"]
    assert is_approved(RiskPlan.objects.get(device=meter))
    codes = {gap.code for gap in selectors.risk_file_gaps(meter)}
    assert len(codes) >= 3
    assert not RiskReview.objects.filter(device=meter).exists()
    assert not IssuedReport.objects.filter(device=meter).exists()
    assert Risk.objects.filter(device=meter, p__isnull=True).exists()


def test_loading_twice_changes_nothing(loaded, people):
    counts = (
        AuditEvent.objects.count(),
        Risk.objects.count(),
        IssuedReport.objects.count(),
        Signature.objects.count(),
    )
    assert demo.load(people, PASSWORD) is False
    assert (
        AuditEvent.objects.count(),
        Risk.objects.count(),
        IssuedReport.objects.count(),
        Signature.objects.count(),
    ) == counts


def test_devices_missing_from_the_register_are_skipped(db):
    from samsvar.accounts.demo import load_users

    people = load_users(PASSWORD)
    assert demo.load(people, PASSWORD) is False
    assert not RiskPlan.objects.exists()
