"""Retention (MDR Art. 10(8)) and the records register (ISO 13485 4.2.5): every record has a
retention date, is protected from change and stays retrievable."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from samsvar.core.models import RecordVersion
from samsvar.devices.demo import _complete
from samsvar.documents import selectors, services
from samsvar.documents.models import Revision

TODAY = timezone.localdate()


def years_later(day, years):
    return selectors.add_months(day, 12 * years)


def classify_implantable(users, device):
    from samsvar.devices.services import classification_save

    classification_save(
        actor=users["regulatory_affairs"],
        device=device,
        profile=_complete("mdr", {"invasiveness": "implantable"}),
        rationale="Totally introduced into the body and meant to stay.",
    )


def test_retention_defaults_to_10_years_and_15_for_implantable_devices(desk):
    assert desk.document().retention_years == 10
    assert desk.document(implantable_devices=True).retention_years == 15
    assert desk.document(retention_years=30).retention_years == 30


def test_retention_below_the_legal_minimum_is_refused(desk):
    with pytest.raises(ValidationError, match="at least 15 years") as error:
        desk.document(implantable_devices=True, retention_years=12)
    assert "retention_years" in error.value.message_dict
    document = desk.document()
    with pytest.raises(ValidationError, match="at least 15 years"):
        services.document_update(actor=desk.quality, document=document, implantable_devices=True)
    document.refresh_from_db()
    assert (document.implantable_devices, document.retention_years) == (False, 10)
    services.document_update(
        actor=desk.quality, document=document, implantable_devices=True, retention_years=15
    )


@pytest.mark.parametrize("value", [0, -1, 101, "ten", None])
def test_a_retention_that_is_not_a_whole_number_of_years_is_refused(desk, value):
    with pytest.raises(ValidationError) as error:
        desk.document(retention_years=value)
    assert "retention_years" in error.value.message_dict


def test_the_installation_default_follows_the_device_register(users, device, make_device):
    assert selectors.installation_retention_years() == 10
    implant = make_device(users["quality_manager"], name="Fjordmed Port")
    classify_implantable(users, implant)
    assert selectors.installation_retention_years() == 15


def test_the_register_lists_archived_revisions_and_signed_records(desk, users, device):
    document = desk.effective_document(retention_years=12)
    desk.revise(document)
    desk.sign(device)  # a signed device record: the installation default applies
    recorded = services.periodic_review_record(
        actor=desk.quality, document=document, outcome="still_valid", notes="Fine."
    )
    desk.sign(recorded, signer=desk.quality, meaning="reviewed")

    entries = selectors.records_register(user=users["auditor"])
    by_type = {entry.record_type: entry for entry in entries}
    assert set(by_type) == {"documents.revision", "devices.device", "documents.periodicreview"}
    # Signed revisions appear as archived revisions only, not twice.
    assert [e.record_type for e in entries].count("documents.revision") == 1

    revision = by_type["documents.revision"]
    assert revision.label.startswith(f"{document.number} rev. A")
    assert (revision.record_date, revision.retention_years) == (TODAY, 12)
    assert revision.disposal_due == years_later(TODAY, 12)

    signed_device = by_type["devices.device"]
    assert (signed_device.retention_years, signed_device.version) == (10, 1)
    assert signed_device.disposal_due == years_later(TODAY, 10)
    assert signed_device.url == device.get_absolute_url()
    assert len(signed_device.sha256) == 64

    assert by_type["documents.periodicreview"].retention_years == 12
    assert all(entry.protected for entry in entries)


def test_the_default_retention_rises_with_an_implantable_device(desk, users, device, make_device):
    desk.sign(device)
    classify_implantable(users, make_device(desk.quality, name="Fjordmed Port"))
    (entry,) = selectors.records_register(user=desk.quality, record_type="devices.device")
    assert entry.retention_years == 15


def test_the_register_filters_by_type_and_disposal_date(desk, users, device):
    document = desk.effective_document(retention_years=20)
    desk.revise(document)
    desk.sign(device)
    only_devices = selectors.records_register(user=desk.quality, record_type="devices.device")
    assert [e.record_type for e in only_devices] == ["devices.device"]
    only_revisions = selectors.records_register(user=desk.quality, record_type="documents.revision")
    assert [e.record_type for e in only_revisions] == ["documents.revision"]
    soon = selectors.records_register(
        user=desk.quality, disposal_due_before=years_later(TODAY, 15).isoformat()
    )
    assert [e.record_type for e in soon] == ["devices.device"]
    assert selectors.records_register(user=desk.quality, disposal_due_before=TODAY) == []
    types = dict(selectors.record_types(user=desk.quality))
    assert {"devices.device", "documents.revision"} <= set(types)


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"disposal_due_before": "2026-02-30"}, "disposal_due_before"),
        ({"disposal_due_before": "soon"}, "disposal_due_before"),
        ({"record_type": "devices; drop"}, "record_type"),
    ],
)
def test_bad_register_filters_are_named(desk, filters, field):
    with pytest.raises(ValidationError) as error:
        selectors.records_register(user=desk.quality, **filters)
    assert field in error.value.message_dict


def test_the_register_takes_a_constant_number_of_queries(
    desk, make_device, django_assert_max_num_queries
):
    def grow():
        document = desk.effective_document()
        desk.revise(document)
        desk.sign(make_device(desk.quality))

    grow()
    with django_assert_max_num_queries(8) as first:
        selectors.records_register(user=desk.quality)
    for _ in range(3):
        grow()
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(selectors.records_register(user=desk.quality)) == 8


def test_records_are_protected_from_change(desk, device):
    document = desk.effective_document()
    desk.revise(document)
    version = desk.sign(device).record_version
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordVersion.objects.filter(pk=version.pk).update(content={"name": "Changed"})
    old = Revision.objects.get(document=document, label="A")
    with pytest.raises(ValidationError, match="superseded and can no longer be edited"):
        services.revision_update(actor=desk.quality, revision=old, content_md="Rewritten")
    assert Revision.objects.get(pk=old.pk).content_md == old.content_md


def test_the_register_is_empty_for_someone_who_may_not_read(desk, users):
    user = users["engineer"]
    user.is_active = False
    assert selectors.records_register(user=user) == []


def test_a_record_counts_from_the_day_it_was_archived(desk):
    document = desk.effective_document()
    later = TODAY + dt.timedelta(days=5)
    revision = services.revision_create(
        actor=desk.quality, document=document, reason_for_change="B", effective_date=later
    )
    desk.approve(revision)
    assert selectors.records_register(user=desk.quality) == []
    services.revisions_activate_due(today=later)
    (entry,) = selectors.records_register(user=desk.quality)
    assert entry.record_date == TODAY  # the real day it was superseded, not the planned one
