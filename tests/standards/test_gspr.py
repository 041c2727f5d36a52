"""The GSPR checklist of a device: entries, justification rule, completeness, page and filters."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samsvar.core.models import AuditEvent
from samsvar.regulatory import gspr
from samsvar.standards import selectors
from samsvar.standards.models import GsprEntry
from samsvar.standards.services import gspr_entry_save


def entry_url(device, number):
    return reverse("standards:gspr_entry", args=[device.pk]) + f"?number={number}"


def summary(user, device):
    return selectors.gspr_checklist(user=user, device=device).summary


def entry_events():
    return AuditEvent.objects.filter(object_type="standards.gsprentry")


@pytest.mark.django_db
def test_not_applicable_without_justification_is_refused_everywhere(client_for, device, engineer):
    with pytest.raises(ValidationError) as refused:
        gspr_entry_save(actor=engineer, device=device, number="12.1", applicable=False)
    assert "justification" in refused.value.message_dict
    with pytest.raises(ValidationError):
        gspr_entry_save(
            actor=engineer, device=device, number="12.1", applicable=False, justification="  "
        )
    response = client_for("engineer").post(entry_url(device, "12.1"), {"applicable": "no"})
    assert response.status_code == 200
    assert "justification" in response.context["form"].errors
    assert not GsprEntry.objects.exists() and not entry_events().exists()


@pytest.mark.django_db
def test_completeness_counts_follow_the_entries(device, engineer, apply):
    applied = apply(device, "en-iso-14971-2019")
    assessable = len(gspr.assessable("mdr"))
    counts = summary(engineer, device)
    assert (counts["complete"], counts["not_assessed"], counts["total"]) == (0, assessable, 0)

    gspr_entry_save(actor=engineer, device=device, number="3", applicable=True)
    counts = summary(engineer, device)
    assert (counts["applicable"], counts["missing_method"], counts["missing_evidence"]) == (1, 1, 1)
    assert counts["complete"] == 0 and counts["not_assessed"] == assessable - 1

    gspr_entry_save(
        actor=engineer,
        device=device,
        number="3",
        methods=["harmonised_standard"],
        standards=[applied],
        evidence="RMP-IP3-001 risk management plan",
    )
    counts = summary(engineer, device)
    assert (counts["complete"], counts["missing_method"], counts["missing_evidence"]) == (1, 0, 0)

    gspr_entry_save(
        actor=engineer,
        device=device,
        number="19.1",
        applicable=False,
        justification="Not an active implantable device.",
    )
    counts = summary(engineer, device)
    assert (counts["complete"], counts["not_applicable_justified"]) == (2, 1)
    assert counts["not_assessed"] == assessable - 2
    checklist = selectors.gspr_checklist(user=engineer, device=device)
    assert checklist.percent == round(200 / assessable)


@pytest.mark.django_db
def test_engineer_fills_an_entry_through_the_web_and_the_trail_names_the_standards(
    client_for, device, apply
):
    applied = apply(device, "en-60601-1-2006")
    client = client_for("engineer")
    response = client.post(
        entry_url(device, "18.7"),
        {
            "applicable": "yes",
            "methods": ["harmonised_standard", "other"],
            "standards": [applied.pk],
            "evidence": "VER-IP3-012 electrical safety test report\n\n",
            "requirement_text": "Devices shall be designed to avoid the risk of electric shock.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("standards:gspr", args=[device.pk]) + "#req-18-7")
    entry = GsprEntry.objects.get(device=device, number="18.7")
    assert entry.applicable is True
    assert entry.methods == ["harmonised_standard", "other"]
    assert list(entry.standards.all()) == [applied]
    assert entry.evidence == "VER-IP3-012 electrical safety test report"
    actions = list(entry_events().order_by("seq").values_list("action", "changes"))
    assert actions[0][0] == "create"
    assert actions[1] == (
        "update",
        {"standards": [[], ["EN 60601-1:2006+A11:2011+A1:2013+A12:2014+A2:2021"]]},
    )
    page = client.get(reverse("standards:gspr", args=[device.pk]), {"q": "electric shock"})
    assert page.context["checklist"].rows[-1].status == selectors.COMPLETE


@pytest.mark.django_db
def test_inline_htmx_edit_returns_the_form_row_then_the_saved_row(client_for, device):
    client = client_for("engineer")
    form = client.get(entry_url(device, "10.4.1(a)"), HTTP_HX_REQUEST="true").content.decode()
    assert form.startswith("<tr") and "<html" not in form and 'hx-post="' in form
    saved = client.post(
        entry_url(device, "10.4.1%28a%29"),
        {"applicable": "yes", "methods": ["other"], "evidence": "CHM-IP3-001"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and saved["HX-Trigger"] == "gspr-changed"
    row = saved.content.decode()
    assert row.lstrip().startswith('<tr id="req-10-4-1-a">') and "CHM-IP3-001" in row
    refused = client.post(
        entry_url(device, "10.4.1(a)"), {"applicable": "no"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200 and "<form" in refused.content.decode()
    assert "justification" in refused.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"applicable": "maybe"}, "applicable"),
        ({"methods": ["magic"]}, "methods"),
        ({"standards": ["999999"]}, "standards"),
        ({"standards": ["abc"]}, "standards"),
        ({"evidence": "x" * 10001}, "evidence"),
        ({"applicable": "no", "justification": ""}, "justification"),
    ],
)
def test_entry_form_refuses_bad_input_on_the_field(client_for, device, data, field):
    response = client_for("engineer").post(entry_url(device, "1"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not GsprEntry.objects.exists() and not entry_events().exists()


@pytest.mark.django_db
def test_standards_of_another_device_and_unknown_numbers_are_refused(
    make_device, device, quality, engineer, apply, client_for
):
    other = make_device(quality, name="Other pump")
    foreign = apply(other, "en-iso-14971-2019")
    with pytest.raises(ValidationError) as refused:
        gspr_entry_save(actor=engineer, device=device, number="3", standards=[foreign])
    assert "standards" in refused.value.message_dict
    response = client_for("engineer").post(entry_url(device, "3"), {"standards": [foreign.pk]})
    assert "standards" in response.context["form"].errors
    for number in ("10", "99.9", "9.1(a)"):  # a heading; no such number; an IVDR number
        with pytest.raises(ValidationError) as unknown:
            gspr_entry_save(actor=engineer, device=device, number=number, applicable=True)
        assert "number" in unknown.value.message_dict
        assert client_for("engineer").get(entry_url(device, number)).status_code == 404
    assert (
        client_for("engineer").get(reverse("standards:gspr_entry", args=[device.pk])).status_code
        == 404
    )
    assert not GsprEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["approver", "auditor", "administrator"])
def test_readers_see_the_checklist_but_cannot_fill_it(client_for, users, device, role):
    client = client_for(role)
    page = client.get(reverse("standards:gspr", args=[device.pk]))
    assert page.status_code == 200 and page.context["can_edit"] is False
    assert client.get(entry_url(device, "1")).status_code == 403
    assert client.post(entry_url(device, "1"), {"applicable": "yes"}).status_code == 403
    with pytest.raises(PermissionDenied):
        gspr_entry_save(actor=users[role], device=device, number="1", applicable=True)
    assert not GsprEntry.objects.exists()


@pytest.mark.django_db
def test_ivdr_device_gets_the_ivdr_annex(client_for, make_device, quality):
    meter = make_device(quality, name="Meter", regime="ivdr", intended_users="lay")
    checklist = (
        client_for("engineer").get(reverse("standards:gspr", args=[meter.pk])).context["checklist"]
    )
    assert [r.number for r in checklist.rows] == [r.number for r in gspr.catalogue("ivdr")]
    assert checklist.assessable == len(gspr.assessable("ivdr"))


@pytest.mark.django_db
def test_filters_keep_the_headings_above_the_rows_shown(client_for, device, engineer):
    gspr_entry_save(
        actor=engineer, device=device, number="16.1(a)", applicable=False, justification="None."
    )
    client = client_for("engineer")

    def numbers(**params):
        response = client.get(reverse("standards:gspr", args=[device.pk]), params)
        return [row.number for row in response.context["checklist"].rows]

    assert numbers(status="complete") == ["16", "16.1", "16.1(a)"]
    chapter_one = numbers(chapter="I")
    assert chapter_one[0] == "1" and chapter_one[-1] == "9" and "10.1" not in chapter_one
    assert numbers(q="phthalates") == ["10", "10.4", "10.4.3"]
    incomplete = numbers(status="not_assessed")
    assert "16.1(a)" not in incomplete and "1" in incomplete
    assert numbers(status="bogus") == numbers()  # an invalid filter is ignored
    partial = client.get(
        reverse("standards:gspr", args=[device.pk]), {"chapter": "III"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and 'id="gspr-summary"' in partial and "23.4(ab)" in partial


@pytest.mark.django_db
def test_gspr_page_does_not_query_per_requirement(
    client_for, device, engineer, apply, django_assert_max_num_queries
):
    standards = [apply(device, key) for key in ("en-iso-14971-2019", "en-60601-1-2006")]
    for requirement in gspr.assessable("mdr")[:60]:
        gspr_entry_save(
            actor=engineer,
            device=device,
            number=requirement.number,
            applicable=True,
            methods=["harmonised_standard"],
            standards=standards,
            evidence="VER-IP3-012",
        )
    client = client_for("engineer")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("standards:gspr", args=[device.pk]))
    assert response.context["checklist"].summary["complete"] == 60
    assert response.content.decode().count("EN 60601-1:2006") >= 60


@pytest.mark.django_db
def test_an_empty_form_creates_no_entry_and_an_unchanged_save_writes_no_event(
    client_for, device, engineer
):
    client = client_for("engineer")
    response = client.post(entry_url(device, "1"), {"applicable": "", "evidence": ""})
    assert response.status_code == 302
    assert not GsprEntry.objects.exists() and not entry_events().exists()
    gspr_entry_save(actor=engineer, device=device, number="1", applicable=True, evidence="CER")
    events = entry_events().count()
    gspr_entry_save(actor=engineer, device=device, number="1", applicable=True, evidence="CER")
    assert entry_events().count() == events
