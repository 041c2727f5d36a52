"""The register of harmonised standards and common specifications: seed, list, create, edit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from samsvar.core.models import AuditEvent
from samsvar.regulatory import standards as catalogue
from samsvar.standards.models import Kind, StandardEdition
from samsvar.standards.services import standards_register_seed

EDITION = {
    "kind": "standard",
    "number": "EN ISO 80369-7",
    "year": "2021",
    "amendments": "",
    "identical_to": "ISO 80369-7:2021",
    "title": "Small-bore connectors for liquids and gases in healthcare applications — Part 7",
    "title_nb": "Små koblinger for væsker og gasser: Luer",
    "harmonised": "unknown",
    "decision_mdr": "",
    "decision_ivdr": "",
    "status": "current",
    "superseded_by": "",
    "transition_end": "",
    "applies_from": "",
    "confirmed": "",
    "notes": "",
}


def edition_events():
    return AuditEvent.objects.filter(object_type="standards.standardedition")


@pytest.mark.django_db
def test_seed_adds_the_whole_catalogue_once_and_links_superseded_editions(quality):
    expected = len(catalogue.catalogue()) + len(catalogue.common_specifications())
    assert standards_register_seed(quality) == expected
    assert StandardEdition.objects.count() == expected
    events = edition_events().count()
    assert events >= expected

    assert standards_register_seed(quality) == 0
    assert StandardEdition.objects.count() == expected
    assert edition_events().count() == events

    old = StandardEdition.objects.get(key="en-iso-13485-2012")
    assert old.superseded_by.key == "en-iso-13485-2016"
    assert old.status == "superseded" and str(old.transition_end) == "2019-03-31"
    cs = StandardEdition.objects.get(key="cs-2022-1107")
    assert (cs.kind, cs.year, cs.harmonised) == (Kind.COMMON_SPECIFICATION, 2022, "ivdr")
    assert cs.label == "Commission Implementing Regulation (EU) 2022/1107"
    assert StandardEdition.objects.get(key="en-iso-14971-2019").label == (
        "EN ISO 14971:2019+A11:2021"
    )


@pytest.mark.django_db
def test_seed_keeps_what_the_manufacturer_changed(register, quality):
    from samsvar.standards.services import standard_edition_update

    standard_edition_update(
        actor=quality, edition=register["en-62304-2006"], harmonised="none", notes="Checked."
    )
    assert standards_register_seed(quality) == 0
    assert StandardEdition.objects.get(key="en-62304-2006").harmonised == "none"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["engineer", "approver", "auditor", "administrator"])
def test_only_quality_and_regulatory_change_the_register(users, role):
    with pytest.raises(PermissionDenied):
        standards_register_seed(users[role])
    assert not StandardEdition.objects.exists()


@pytest.mark.django_db
def test_register_create_through_the_web_is_audited(client_for):
    client = client_for("regulatory_affairs")
    response = client.post(
        reverse("standards:create"), {**EDITION, "amendments": "AC:2022, A1:2023"}
    )
    edition = StandardEdition.objects.get(number="EN ISO 80369-7")
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:detail", args=[edition.pk])
    assert edition.amendments == ["AC:2022", "A1:2023"]
    assert edition.key == "en-iso-80369-7-2021"
    assert not edition.confirmed
    event = edition_events().get(object_id=str(edition.pk))
    assert event.action == "create" and event.actor_name.endswith("(regulatory_affairs)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": ""}, "number"),
        ({"title": ""}, "title"),
        ({"year": "19"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"kind": "norm"}, "kind"),
        ({"harmonised": "fda"}, "harmonised"),
        ({"status": "withdrawn"}, "status"),
        ({"transition_end": "2027-02-30"}, "transition_end"),
        ({"superseded_by": "999999"}, "superseded_by"),
        ({"decision_mdr": "(EU) 2022/6"}, "decision_mdr"),
        ({"kind": "common_specification", "harmonised": "none"}, "harmonised"),
        ({"number": "x" * 121}, "number"),
    ],
)
def test_register_form_refuses_bad_input_on_the_field(client_for, register, change, field):
    client = client_for("quality_manager")
    before = (StandardEdition.objects.count(), edition_events().count())
    response = client.post(reverse("standards:create"), {**EDITION, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert (StandardEdition.objects.count(), edition_events().count()) == before


@pytest.mark.django_db
def test_a_second_entry_for_the_same_edition_is_refused_on_the_year(client_for, register):
    client = client_for("quality_manager")
    response = client.post(
        reverse("standards:create"), {**EDITION, "number": "EN ISO 14971", "year": "2019"}
    )
    assert "already in the register" in " ".join(response.context["form"].errors["year"])


@pytest.mark.django_db
def test_register_edit_marks_an_edition_superseded(client_for, register):
    client = client_for("quality_manager")
    old, new = register["en-iso-10993-1-2020"], register["en-iso-14971-2019"]
    response = client.post(
        reverse("standards:edit", args=[old.pk]),
        {
            **EDITION,
            "number": old.number,
            "year": old.year,
            "title": old.title,
            "status": "superseded",
            "superseded_by": new.pk,
            "transition_end": "2028-12-31",
            "reason": "New edition listed in the OJ.",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.superseded_by, str(old.transition_end)) == (
        "superseded",
        new,
        "2028-12-31",
    )
    event = edition_events().filter(object_id=str(old.pk)).latest("seq")
    assert event.reason == "New edition listed in the OJ."
    assert event.changes["status"] == ["current", "superseded"]


@pytest.mark.django_db
def test_an_edition_cannot_supersede_itself(client_for, register):
    client = client_for("quality_manager")
    edition = register["en-iso-14971-2019"]
    response = client.post(
        reverse("standards:edit", args=[edition.pk]),
        {
            **EDITION,
            "number": edition.number,
            "year": 2019,
            "status": "superseded",
            "superseded_by": edition.pk,
        },
    )
    assert "superseded_by" in response.context["form"].errors
    edition.refresh_from_db()
    assert edition.status == "current"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["engineer", "approver", "auditor", "administrator"])
def test_other_roles_get_403_on_register_writes(client_for, register, role):
    client = client_for(role)
    edition = register["en-iso-14971-2019"]
    assert client.get(reverse("standards:create")).status_code == 403
    assert client.post(reverse("standards:create"), EDITION).status_code == 403
    response = client.post(reverse("standards:edit", args=[edition.pk]), {**EDITION})
    assert response.status_code == 403
    assert not StandardEdition.objects.filter(number="EN ISO 80369-7").exists()
    assert client.get(reverse("standards:detail", args=[edition.pk])).status_code == 200


@pytest.mark.django_db
def test_register_list_filters_by_regime_status_kind_and_text(client_for, register):
    client = client_for("auditor")

    def keys(**params):
        response = client.get(reverse("standards:list"), params)
        return {e.key for e in response.context["page"].object_list}

    ivdr = keys(regime="ivdr")
    assert "en-iso-17511-2021" in ivdr and "cs-2022-1107" in ivdr
    assert "en-iso-10993-23-2021" not in ivdr and "cs-2022-2346" not in ivdr
    superseded = keys(status="superseded")
    assert "en-iso-13485-2012" in superseded and "en-iso-13485-2016" not in superseded
    assert keys(kind="common_specification") == {"cs-2022-2346", "cs-2022-1107", "cs-2020-1207"}
    assert keys(q="14971") == {"en-iso-14971-2019", "en-iso-14971-2012"}
    assert keys(q="risikostyring") >= {"en-iso-14971-2019"}


@pytest.mark.django_db
def test_htmx_filter_gets_only_the_table_and_norwegian_titles_in_nb(client_for, register):
    client = client_for("engineer")
    response = client.get(reverse("standards:list"), {"q": "14971"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "EN ISO 14971:2019+A11:2021" in page
    assert "Application of risk management to medical devices" in page
    with translation.override("nb"):
        assert register["en-iso-14971-2019"].display_title == "Risikostyring for medisinsk utstyr"
    client.cookies["django_language"] = "nb"
    nb = client.get(reverse("standards:list"), {"q": "14971"}, HTTP_HX_REQUEST="true")
    assert "Risikostyring for medisinsk utstyr" in nb.content.decode()


@pytest.mark.django_db
def test_register_list_query_count_is_flat(client_for, register, django_assert_max_num_queries):
    client = client_for("engineer")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("standards:list"))
    assert len(response.context["page"].object_list) == 43


@pytest.mark.django_db
def test_detail_shows_the_devices_that_apply_it_and_404_for_a_missing_one(
    client_for, register, apply, device
):
    apply(device, "en-iso-14971-2019")
    client = client_for("auditor")
    page = client.get(reverse("standards:detail", args=[register["en-iso-14971-2019"].pk]))
    assert device.name in page.content.decode()
    assert client.get(reverse("standards:detail", args=[999999])).status_code == 404
