"""Standards applied to a device: add, change, remove, and the edition warnings."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samsvar.core.models import AuditEvent
from samsvar.standards import selectors
from samsvar.standards.models import AppliedStandard
from samsvar.standards.services import (
    applied_standard_add,
    applied_standard_remove,
    gspr_entry_save,
    standard_edition_create,
)


def applied_events():
    return AuditEvent.objects.filter(object_type="standards.appliedstandard")


@pytest.mark.django_db
def test_engineer_applies_a_standard_through_the_web(client_for, device, register):
    client = client_for("engineer")
    edition = register["en-iso-14971-2019"]
    response = client.post(
        reverse("standards:applied_add", args=[device.pk]),
        {"edition": edition.pk, "application": "full", "clauses": "Whole standard."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:device_standards", args=[device.pk])
    applied = AppliedStandard.objects.get(device=device)
    assert (applied.edition, applied.application, applied.clauses) == (
        edition,
        "full",
        "Whole standard.",
    )
    event = applied_events().get()
    assert event.action == "create" and event.actor_name.endswith("(engineer)")
    page = client.get(reverse("standards:device_standards", args=[device.pk]))
    assert "EN ISO 14971:2019+A11:2021" in page.content.decode()
    assert page.context["warning_count"] == 0  # a current edition raises no warning


@pytest.mark.django_db
def test_a_superseded_edition_whose_transition_ended_warns(client_for, device, apply):
    applied = apply(device, "en-iso-13485-2012")
    kinds = [w.kind for w in selectors.warnings_for([applied])[applied.pk]]
    assert kinds == ["superseded", "transition_ended"]
    page = client_for("auditor").get(reverse("standards:device_standards", args=[device.pk]))
    text = page.content.decode()
    assert "EN ISO 13485:2012+AC:2012 is superseded by EN ISO 13485:2016+AC:2018+A11:2021." in text
    assert "The transition period for EN ISO 13485:2012+AC:2012 ended on 2019-03-31." in text
    assert page.context["warning_count"] == 2


@pytest.mark.django_db
def test_a_transition_ending_within_180_days_warns_with_the_days_left(
    client_for, device, register, quality
):
    today = timezone.localdate()
    newer = standard_edition_create(
        actor=quality, number="EN 99999", year=2025, title="Newer", harmonised="mdr"
    )
    older = standard_edition_create(
        actor=quality,
        number="EN 99999",
        year=2018,
        title="Older",
        harmonised="mdr",
        status="superseded",
        superseded_by=newer,
        transition_end=today + dt.timedelta(days=60),
    )
    applied = applied_standard_add(actor=quality, device=device, edition=older)
    warnings = selectors.warnings_for([applied], today=today)[applied.pk]
    assert [(w.kind, w.days_left) for w in warnings] == [
        ("superseded", None),
        ("transition_ending", 60),
    ]
    later = selectors.warnings_for([applied], today=today - dt.timedelta(days=200))[applied.pk]
    assert [w.kind for w in later] == ["superseded"]
    client = client_for("engineer")
    client.cookies["django_language"] = "nb"
    text = client.get(reverse("standards:device_standards", args=[device.pk])).content.decode()
    assert "om 60 dager" in text and "er erstattet av EN 99999:2025" in text


@pytest.mark.django_db
def test_partial_application_without_justification_is_refused_naming_the_field(
    client_for, device, register, engineer
):
    client = client_for("engineer")
    response = client.post(
        reverse("standards:applied_add", args=[device.pk]),
        {"edition": register["en-60601-1-11-2015"].pk, "application": "partial"},
    )
    assert response.status_code == 200
    assert "justification" in response.context["form"].errors
    assert not AppliedStandard.objects.exists() and not applied_events().exists()
    with pytest.raises(ValidationError) as refused:
        applied_standard_add(
            actor=engineer,
            device=device,
            edition=register["en-60601-1-11-2015"],
            application="partial",
            justification="   ",
        )
    assert "justification" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"edition": "", "application": "full"}, "edition"),
        ({"edition": "999999", "application": "full"}, "edition"),
        ({"edition": "EN ISO 14971", "application": "full"}, "edition"),
        ({"application": "mostly"}, "application"),
        ({"application": "full", "notes": "x" * 5001}, "notes"),
    ],
)
def test_apply_form_refuses_bad_input_on_the_field(client_for, device, register, data, field):
    client = client_for("engineer")
    data = {"edition": register["en-iso-14971-2019"].pk, **data}
    response = client.post(reverse("standards:applied_add", args=[device.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AppliedStandard.objects.exists()


@pytest.mark.django_db
def test_the_same_edition_twice_and_a_cs_of_the_other_regulation_are_refused(
    device, register, apply, engineer
):
    apply(device, "en-iso-14971-2019")
    with pytest.raises(ValidationError) as twice:
        applied_standard_add(actor=engineer, device=device, edition=register["en-iso-14971-2019"])
    assert "edition" in twice.value.message_dict
    with pytest.raises(ValidationError) as other:
        applied_standard_add(actor=engineer, device=device, edition=register["cs-2022-1107"])
    assert "edition" in other.value.message_dict
    assert AppliedStandard.objects.count() == 1


@pytest.mark.django_db
def test_edit_switches_to_partial_with_a_justification(client_for, device, apply):
    applied = apply(device, "en-60601-1-11-2015")
    client = client_for("regulatory_affairs")
    url = reverse("standards:applied_edit", args=[applied.pk])
    refused = client.post(url, {"application": "partial"})
    assert "justification" in refused.context["form"].errors
    response = client.post(
        url, {"application": "partial", "justification": "No mains part.", "reason": "DR-5"}
    )
    assert response.status_code == 302
    applied.refresh_from_db()
    assert (applied.application, applied.justification) == ("partial", "No mains part.")
    assert applied_events().latest("seq").reason == "DR-5"


@pytest.mark.django_db
def test_remove_is_an_audited_delete_and_refused_while_the_gspr_cites_it(
    client_for, device, apply, engineer
):
    applied = apply(device, "en-iso-14971-2019")
    gspr_entry_save(actor=engineer, device=device, number="3", applicable=True, standards=[applied])
    client = client_for("engineer")
    url = reverse("standards:applied_remove", args=[applied.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "Not used."})
    assert refused.status_code == 200
    assert "cites EN ISO 14971:2019+A11:2021 for 3" in " ".join(
        refused.context["form"].non_field_errors()
    )
    assert AppliedStandard.objects.filter(pk=applied.pk).exists()

    gspr_entry_save(actor=engineer, device=device, number="3", standards=[])
    response = client.post(url, {"reason": "Not used."})
    assert response.status_code == 302
    assert not AppliedStandard.objects.filter(pk=applied.pk).exists()
    event = applied_events().get(action="delete")
    assert event.reason == "Not used." and event.object_id == str(applied.pk)
    assert event.changes["edition"][0] == applied.edition_id


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["approver", "auditor", "administrator"])
def test_readers_cannot_change_the_applied_standards(client_for, users, device, apply, role):
    applied = apply(device, "en-iso-14971-2019")
    client = client_for(role)
    assert client.get(reverse("standards:device_standards", args=[device.pk])).status_code == 200
    for name in ("applied_edit", "applied_remove"):
        assert client.post(reverse(f"standards:{name}", args=[applied.pk]), {}).status_code == 403
    add = client.post(
        reverse("standards:applied_add", args=[device.pk]),
        {"edition": applied.edition_id, "application": "full"},
    )
    assert add.status_code == 403
    with pytest.raises(PermissionDenied):
        applied_standard_remove(actor=users[role], applied=applied)
    assert AppliedStandard.objects.filter(pk=applied.pk).exists()
    assert applied_events().count() == 1


@pytest.mark.django_db
def test_unknown_device_or_applied_standard_is_404(client_for, register):
    client = client_for("engineer")
    assert client.get(reverse("standards:device_standards", args=[99999])).status_code == 404
    assert client.get(reverse("standards:applied_add", args=[99999])).status_code == 404
    assert client.get(reverse("standards:applied_edit", args=[99999])).status_code == 404


@pytest.mark.django_db
def test_remove_form_refuses_a_reason_that_is_too_long(client_for, device, apply):
    applied = apply(device, "en-iso-14971-2019")
    response = client_for("engineer").post(
        reverse("standards:applied_remove", args=[applied.pk]), {"reason": "x" * 501}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert AppliedStandard.objects.filter(pk=applied.pk).exists()
