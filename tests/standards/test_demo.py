"""Demo data: Fjordmed's register, applied standards and GSPR checklists, loaded idempotently."""

import pytest

from samsvar.core.models import AuditEvent
from samsvar.devices.models import Device
from samsvar.regulatory import standards as catalogue
from samsvar.standards import demo, selectors
from samsvar.standards.models import AppliedStandard, GsprEntry, StandardEdition
from tests.conftest import PASSWORD


@pytest.fixture
def people(db):
    from samsvar.accounts.demo import load_organisation, load_users
    from samsvar.devices.demo import load_devices

    people = load_users(PASSWORD)
    load_organisation(people)
    load_devices(people, PASSWORD)
    return people


@pytest.mark.django_db
def test_demo_load_is_idempotent_and_fills_the_pump_checklist(people):
    demo.load(people)
    events = AuditEvent.objects.count()
    counts = (
        StandardEdition.objects.count(),
        AppliedStandard.objects.count(),
        GsprEntry.objects.count(),
    )
    demo.load(people)
    assert AuditEvent.objects.count() == events
    assert (
        StandardEdition.objects.count(),
        AppliedStandard.objects.count(),
        GsprEntry.objects.count(),
    ) == counts
    assert counts[0] == len(catalogue.catalogue()) + len(catalogue.common_specifications())

    pump = Device.objects.get(name=demo.PUMP)
    applied = {a.edition.key: a for a in pump.applied_standards.select_related("edition")}
    assert set(applied) == {key for key, *_ in demo.PUMP_STANDARDS}
    partial = [a for a in applied.values() if a.application == "partial"]
    assert [a.edition.number for a in partial] == ["EN 60601-1-11"]
    assert "battery" in partial[0].justification
    assert selectors.warnings_for(list(applied.values())) == {a.pk: [] for a in applied.values()}

    checklist = selectors.gspr_checklist(user=people["auditor"], device=pump)
    summary = checklist.summary
    assert summary["not_assessed"] == 0 and summary["missing_justification"] == 0
    assert summary["missing_method"] == 0
    assert summary["applicable"] > summary["not_applicable"]
    assert 0 < summary["missing_evidence"] <= 5  # verification reports still outstanding
    rows = {row.number: row for row in checklist.rows}
    assert "does not incorporate" in rows["12.1"].entry.justification
    assert rows["18.7"].standard_labels == ["EN 60601-1:2006+A11:2011+A1:2013+A12:2014+A2:2021"]
    assert "VER-IP3-012 electrical safety test report" in rows["18.7"].entry.evidence_lines
    assert rows["1"].entry.methods == ["harmonised_standard"]  # EN ISO 13485 and 14971
    assert rows["18.7"].entry.methods == ["other"]  # EN 60601-1 not verified as harmonised
    creators = set(
        AuditEvent.objects.filter(object_type="standards.gsprentry").values_list(
            "actor_name", flat=True
        )
    )
    assert creators == {"Jonas Lie (engineer)"}

    meter = Device.objects.get(name=demo.METER)
    assert {a.edition.key for a in meter.applied_standards.select_related("edition")} == {
        key for key, *_ in demo.METER_STANDARDS
    }


@pytest.mark.django_db
def test_demo_leaves_entries_a_user_changed(people):
    from samsvar.standards.services import gspr_entry_save

    pump = Device.objects.get(name=demo.PUMP)
    gspr_entry_save(
        actor=people["engineer"], device=pump, number="9", applicable=False, justification="Mine."
    )
    demo.load(people)
    assert GsprEntry.objects.get(device=pump, number="9").justification == "Mine."
