"""The Annex VIII wizard: only relevant questions, the result, the signed record, review flags."""

import json

import pytest
from django.urls import reverse

from samsvar.core.models import AuditEvent
from samsvar.devices.demo import PUMP_PROFILE, _complete
from samsvar.devices.models import Classification
from samsvar.regulatory.classification import questions
from tests.conftest import PASSWORD


def post_answers(client, device, answers, **extra):
    """Post a wizard page that showed every currently relevant question with these answers."""
    shown = list(questions(device.regime, answers))
    data = {"answers": json.dumps(answers), "shown": [q.attribute for q in shown], **extra}
    for q in shown:
        if q.attribute not in answers:
            continue
        value = answers[q.attribute]
        if q.kind == "bool":
            data[f"q_{q.attribute}"] = "yes" if value else "no"
        else:
            data[f"q_{q.attribute}"] = value
    return client.post(reverse("devices:classify", args=[device.pk]), data)


@pytest.mark.django_db
def test_the_wizard_starts_with_one_question_and_asks_more_as_answers_come(client_for, device):
    client = client_for("regulatory_affairs")
    first = client.get(reverse("devices:classify", args=[device.pk]))
    rows = first.context["rows"]
    assert rows[0]["attribute"] == "invasiveness" and len(rows) <= 5
    assert first.context["result"] is None
    after = post_answers(client, device, {"invasiveness": "non_invasive"})
    attributes = [row["attribute"] for row in after.context["rows"]]
    assert attributes[0] == "invasiveness" and after.context["rows"][0]["answered"]
    assert "duration" not in attributes  # not relevant for a non-invasive device
    surgical = post_answers(client, device, {"invasiveness": "surgically_invasive"})
    assert "duration" in [row["attribute"] for row in surgical.context["rows"]]


@pytest.mark.django_db
def test_saving_the_pump_gives_class_iib_by_rule_12_and_sets_the_device(client_for, device):
    client = client_for("regulatory_affairs")
    answers = _complete("mdr", PUMP_PROFILE)
    preview = post_answers(client, device, answers)
    assert preview.context["result"].device_class == "IIb"
    missing = post_answers(client, device, answers, action="save", rationale="")
    assert "rationale" in missing.context["form_errors"]
    assert not Classification.objects.exists()
    saved = post_answers(client, device, answers, action="save", rationale="Insulin pump, Rule 12")
    assert saved.status_code == 302
    record = Classification.objects.get(device=device)
    device.refresh_from_db()
    assert (record.device_class, record.rule) == ("IIb", "Rule 12")
    assert (device.device_class, device.classification_rule) == ("IIb", "Rule 12")
    assert any(hit["rule"] == "Rule 12" for hit in record.rules)
    assert AuditEvent.objects.filter(object_type="devices.classification", action="create").exists()
    page = client.get(reverse("devices:classification", args=[device.pk])).content.decode()
    assert "Rule 12" in page and "Insulin pump, Rule 12" in page
    assert "PSUR" in page  # what class IIb implies is shown with the record


@pytest.mark.django_db
def test_an_unanswered_question_blocks_saving_and_is_named(client_for, device):
    client = client_for("regulatory_affairs")
    answers = _complete("mdr", PUMP_PROFILE)
    answers.pop("contact")
    response = post_answers(client, device, answers, action="save", rationale="r")
    assert response.context["result"] is None
    assert response.context["pending"] >= 1
    assert not Classification.objects.exists()


@pytest.mark.django_db
def test_tampered_wizard_state_is_ignored_not_a_server_error(client_for, device):
    client = client_for("regulatory_affairs")
    url = reverse("devices:classify", args=[device.pk])
    for state in (
        "not json",
        "[1, 2]",
        json.dumps({"invasivness": "x"}),
        json.dumps({"invasiveness": 7}),
    ):
        response = client.post(url, {"answers": state, "shown": ["invasiveness"]})
        assert response.status_code == 200
        assert response.context["rows"][0]["attribute"] == "invasiveness"


@pytest.mark.django_db
def test_changing_the_intended_purpose_flags_the_classification_for_review(users, device):
    from samsvar.core.services import record_sign
    from samsvar.devices.services import classification_save, device_update

    record = classification_save(
        actor=users["regulatory_affairs"],
        device=device,
        profile=_complete("mdr", PUMP_PROFILE),
        rationale="Rule 12",
    )
    record_sign(actor=users["approver"], record=record, meaning="approved", password=PASSWORD)
    device_update(actor=users["engineer"], device=device, model_number="IP3-101")
    record.refresh_from_db()
    assert not record.review_needed
    device_update(
        actor=users["engineer"],
        device=device,
        intended_purpose="Continuous insulin infusion, now also for children.",
    )
    record.refresh_from_db()
    assert record.review_needed and "intended purpose" in record.review_reason
    assert record.version == 1  # the flag is not signed content: the signed version stands
    assert record.frozen_versions().get(version=1).content_sha256 == record.content_sha256()


@pytest.mark.django_db
def test_engineers_may_classify_but_approvers_and_auditors_may_not(client_for, device):
    assert (
        client_for("approver").get(reverse("devices:classify", args=[device.pk])).status_code == 403
    )
    assert (
        client_for("auditor").get(reverse("devices:classify", args=[device.pk])).status_code == 403
    )
    assert (
        client_for("engineer").get(reverse("devices:classify", args=[device.pk])).status_code == 200
    )


@pytest.mark.django_db
def test_the_wizard_speaks_norwegian_rule_names_included(client_for, device, users):
    users["regulatory_affairs"].language = "nb"
    type(users["regulatory_affairs"]).objects.filter(pk=users["regulatory_affairs"].pk).update(
        language="nb"
    )
    response = client_for("regulatory_affairs").get(reverse("devices:classify", args=[device.pk]))
    first = response.context["rows"][0]
    assert first["text"] == "Hvordan kommer utstyret inn i kroppen?"
    assert first["rules"].startswith("Regel 1") and "Rule" not in first["rules"]
