"""The Article 10 checklist: sync per regulation, status changes, overdue, the overview."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samsvar.compliance import selectors, services
from samsvar.compliance.models import Evidence, Obligation
from samsvar.core.models import AuditEvent
from samsvar.regulatory import obligations as catalogue


def keys(**filters):
    return set(Obligation.objects.filter(**filters).values_list("key", flat=True))


@pytest.mark.django_db
def test_sync_gives_each_device_the_items_of_its_own_regulation(synced):
    pump, meter = synced["pump"], synced["meter"]
    assert keys(device=pump) == {o.key for o in catalogue.for_device("mdr")}
    assert {"mdr-10-1", "mdr-10-12", "mdr-10a"} <= keys(device=pump)
    assert "mdr-10-5" not in keys(device=pump)  # custom-made only
    assert keys(device=meter) == {o.key for o in catalogue.for_device("ivdr")}
    assert all(k.startswith("ivdr-") for k in keys(device=meter))
    manufacturer = keys(device__isnull=True)
    assert {o.key for o in catalogue.for_manufacturer("mdr")} <= manufacturer
    assert {o.key for o in catalogue.for_manufacturer("ivdr")} <= manufacturer
    assert {"mdr-10-9-a", "mdr-10-9-m", "ivdr-10-8-a", "mdr-10-16"} <= manufacturer
    assert not Obligation.objects.filter(device__isnull=True, scope="device").exists()


@pytest.mark.django_db
def test_sync_is_idempotent_and_keeps_what_users_entered(synced, quality):
    before = Obligation.objects.count()
    events = AuditEvent.objects.count()
    item = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    services.obligation_update(actor=quality, obligation=item, status="in_progress")
    assert services.obligations_sync(actor=quality) == 0
    assert services.obligations_sync(actor=quality, device=synced["pump"]) == 0
    assert Obligation.objects.count() == before
    assert AuditEvent.objects.count() == events + 1  # only the status change
    item.refresh_from_db()
    assert item.status == "in_progress"


@pytest.mark.django_db
def test_sync_of_one_device_adds_only_its_items(pump, quality):
    created = services.obligations_sync(actor=quality, device=pump)
    assert created == len(catalogue.for_device("mdr"))
    assert not Obligation.objects.filter(device__isnull=True).exists()


@pytest.mark.django_db
def test_a_status_change_is_audited_with_before_and_after(synced, quality, engineer):
    item = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    services.obligation_update(
        actor=engineer,
        obligation=item,
        status="met",
        owner=quality,
        due_date=timezone.localdate(),
        reason="Risk management file approved",
    )
    event = AuditEvent.objects.filter(
        object_type="compliance.obligation", object_id=str(item.pk), action="update"
    ).get()
    assert event.changes["status"] == ["not_started", "met"]
    assert event.changes["owner"] == [None, quality.pk]
    assert event.reason == "Risk management file approved"
    assert event.actor_name.endswith("(engineer)")


@pytest.mark.django_db
def test_not_applicable_without_justification_is_refused_naming_the_field(synced, engineer):
    item = Obligation.objects.get(device=synced["pump"], key="mdr-10-3")
    with pytest.raises(ValidationError) as refused:
        services.obligation_update(actor=engineer, obligation=item, status="not_applicable")
    assert "justification" in refused.value.message_dict
    item.refresh_from_db()
    assert item.status == "not_started"
    services.obligation_update(
        actor=engineer,
        obligation=item,
        status="not_applicable",
        justification="Covered by the clinical evaluation of the device family (CER-IP3).",
    )
    item.refresh_from_db()
    assert item.status == "not_applicable"


@pytest.mark.django_db
def test_overdue_means_past_due_and_not_met(synced, engineer):
    today = timezone.localdate()
    late, done, future, skipped = Obligation.objects.filter(device=synced["pump"])[:4]
    services.obligation_update(
        actor=engineer, obligation=late, status="in_progress", due_date=today - timedelta(days=1)
    )
    services.obligation_update(
        actor=engineer, obligation=done, status="met", due_date=today - timedelta(days=9)
    )
    services.obligation_update(actor=engineer, obligation=future, due_date=today)
    services.obligation_update(
        actor=engineer,
        obligation=skipped,
        status="not_applicable",
        justification="Not a custom-made device.",
        due_date=today - timedelta(days=3),
    )
    overdue = {o.pk for o in Obligation.objects.all() if o.is_overdue}
    assert overdue == {late.pk}
    listed = selectors.obligation_list(user=engineer, overdue=True)
    assert [o.pk for o in listed] == [late.pk]


@pytest.mark.django_db
def test_the_overview_counts_met_open_and_overdue_per_device_and_paragraph(
    synced, engineer, client_for
):
    pump = synced["pump"]
    today = timezone.localdate()
    items = {o.key: o for o in Obligation.objects.filter(device=pump)}
    services.obligation_update(actor=engineer, obligation=items["mdr-10-1"], status="met")
    services.obligation_update(
        actor=engineer,
        obligation=items["mdr-10-2"],
        status="in_progress",
        due_date=today - timedelta(days=2),
    )
    qms = Obligation.objects.get(device__isnull=True, key="mdr-10-9-a")
    services.obligation_update(actor=engineer, obligation=qms, status="met")
    matrix = selectors.compliance_matrix(user=engineer)
    row = {d["name"]: d["counts"] for d in matrix["devices"]}[pump.name]
    total = len(catalogue.for_device("mdr"))
    assert (row["total"], row["met"], row["open"], row["overdue"]) == (total, 1, total - 1, 1)
    mdr = next(r for r in matrix["regimes"] if r["regime"] == "mdr")
    by_paragraph = {r["paragraph"]: r for r in mdr["rows"]}
    assert "10(9)(a)" not in by_paragraph  # the points are counted under their paragraph
    qms_row = by_paragraph["10(9)"]
    assert qms_row["counts"]["total"] == 14 and qms_row["counts"]["met"] == 1
    pump_column = [c["id"] for c in mdr["columns"]].index(pump.pk)
    assert by_paragraph["10(2)"]["cells"][pump_column]["status"] == "in_progress"
    assert by_paragraph["10(2)"]["cells"][pump_column]["overdue"] == 1
    assert by_paragraph["10(9)"]["cells"][pump_column] is None
    page = client_for("auditor").get(reverse("compliance:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"1 / {total}" in html  # met or not applicable, for the pump
    assert "Fjordmed GlucoSure" in html and "IVDR" in html


@pytest.mark.django_db
def test_the_overview_needs_the_same_queries_for_two_devices_or_six(
    synced, quality, make_device, client_for
):
    client = client_for("engineer")
    url = reverse("compliance:overview")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        make_device(quality, name=f"Extra device {n}")
    services.obligations_sync(actor=quality)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Extra device 3" in response.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 12


@pytest.mark.django_db
def test_evidence_links_a_record_or_an_external_reference(synced, engineer, client_for):
    pump = synced["pump"]
    item = Obligation.objects.get(device=pump, key="mdr-10-6")
    client = client_for("engineer")
    page = client.get(reverse("compliance:obligation_edit", args=[item.pk]))
    choices = dict(page.context["evidence_form"].fields["record"].choices)
    classification_choice = f"devices.classification:{pump.classification.pk}"
    assert classification_choice in choices
    response = client.post(
        reverse("compliance:evidence_add", args=[item.pk]), {"record": classification_choice}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("compliance:evidence_add", args=[item.pk]),
        {"external_reference": "SOP-004 Document control, rev. C"},
    )
    assert response.status_code == 302
    links = list(item.evidence.order_by("pk"))
    assert "class IIb" in links[0].label and links[0].url.endswith("/classification/")
    assert links[1].label == "SOP-004 Document control, rev. C" and links[1].url == ""
    listing = client.get(reverse("compliance:device_obligations", args=[pump.pk]))
    assert "SOP-004 Document control" in listing.content.decode()
    client.post(reverse("compliance:evidence_remove", args=[links[1].pk]))
    assert Evidence.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="compliance.evidence", action="delete").exists()


@pytest.mark.django_db
def test_htmx_edit_returns_the_form_and_then_the_updated_row(synced, client_for):
    item = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    client = client_for("engineer")
    url = reverse("compliance:obligation_edit", args=[item.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert form.startswith("<tr") and 'hx-post="' + url in form
    bad = client.post(url, {"status": "not_applicable"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "justification" in bad.context["form"].errors
    row = client.post(
        url, {"status": "in_progress", "due_date": "2031-01-31"}, HTTP_HX_REQUEST="true"
    )
    html = row.content.decode()
    assert row.status_code == 200 and html.startswith('<tr id="obligation-')
    assert "In progress" in html and "2031-01-31" in html


@pytest.mark.django_db
def test_titles_follow_the_language(synced, client_for):
    client = client_for("engineer")
    url = reverse("compliance:device_obligations", args=[synced["pump"].pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Risk management system" in english
    norwegian = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Risikostyringssystem" in norwegian
