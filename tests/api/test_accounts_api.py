"""Users, the organisation profile and PRRCs over the API (ISO 13485 5.5.1; MDR Art. 15)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from samsvar.accounts.models import Organisation, Prrc, User
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD

USER_FIELDS = {
    "id", "username", "full_name", "email", "role", "job_title", "language", "is_active",
    "last_login", "date_joined",
}  # fmt: skip


def test_an_administrator_creates_a_user_who_can_then_log_in(api_as, users, api):
    response = api_as("administrator").post(
        "/api/v1/users/",
        {
            "username": "ingrid",
            "password": "Fjord-ny-bruker-2024",
            "full_name": "Ingrid Berg",
            "role": "approver",
            "email": "ingrid@fjordmed.no",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == USER_FIELDS
    assert (body["username"], body["role"], body["is_active"]) == ("ingrid", "approver", True)
    user = User.objects.get(username="ingrid")
    assert user.check_password("Fjord-ny-bruker-2024")
    [created] = AuditEvent.objects.filter(code=Event.USER_CREATED, object_id=str(user.pk))
    assert created.actor_id == users["administrator"].pk
    assert created.changes["role"] == [None, "approver"]
    login = api.post(
        "/api/v1/auth/token/",
        {"username": "ingrid", "password": "Fjord-ny-bruker-2024"},
        format="json",
    )
    assert login.status_code == 200


def test_user_lists_never_expose_hashes_or_lockout_counters(api_as, users):
    response = api_as("administrator").get("/api/v1/users/")
    assert response.status_code == 200
    assert response.json()["count"] == len(users)
    for user in response.json()["results"]:
        assert set(user) == USER_FIELDS
    assert b"md5$" not in response.content and b"argon2" not in response.content
    detail = api_as("administrator").get(f"/api/v1/users/{users['engineer'].pk}/").json()
    assert set(detail) == USER_FIELDS


def test_a_role_change_is_an_audited_access_change(api_as, users, engineer):
    response = api_as("administrator").patch(
        f"/api/v1/users/{engineer.pk}/",
        {"role": "regulatory_affairs", "reason": "Moved to the RA team"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "regulatory_affairs"
    engineer.refresh_from_db()
    assert engineer.role == "regulatory_affairs"
    [updated] = AuditEvent.objects.filter(code=Event.USER_UPDATED, object_id=str(engineer.pk))
    assert updated.changes == {"role": ["engineer", "regulatory_affairs"]}
    assert updated.reason == "Moved to the RA team"


def test_the_organisation_profile_is_created_and_changed_by_quality(api_as, quality):
    client = api_as("quality_manager")
    assert client.get("/api/v1/organisation/").status_code == 404

    missing = client.patch("/api/v1/organisation/", {"name": "Fjordmed AS"}, format="json")
    assert list(field_errors(missing)) == ["address"]
    assert not Organisation.objects.exists()

    created = client.patch(
        "/api/v1/organisation/",
        {"name": "Fjordmed AS", "address": "Fjordveien 1, 0150 Oslo", "srn": "NO-MF-000012345"},
        format="json",
    )
    assert created.status_code == 200
    assert created.json()["srn"] == "NO-MF-000012345"
    assert created.json()["version"] == 1

    changed = client.patch(
        "/api/v1/organisation/",
        {"phone": "+47 22 00 00 00", "reason": "New switchboard"},
        format="json",
    )
    assert changed.status_code == 200
    [organisation] = Organisation.objects.all()
    assert (organisation.name, organisation.phone) == ("Fjordmed AS", "+47 22 00 00 00")
    [update] = AuditEvent.objects.filter(
        code=Event.RECORD_UPDATED, object_type="accounts.organisation"
    )
    assert update.changes == {"phone": ["", "+47 22 00 00 00"]}
    assert update.reason == "New switchboard"
    assert api_as("engineer").get("/api/v1/organisation/").json()["name"] == "Fjordmed AS"
    assert (
        api_as("engineer").patch("/api/v1/organisation/", {"phone": "1"}, format="json")
    ).status_code == 403


PRRC = {
    "full_name": "Kari Nordmann",
    "qualification_route": "degree",
    "degree": "",
    "years_experience": 0.5,
    "evidence": "CV and diploma in the QMS archive, folder 5.5.",
}


def test_prrcs_need_the_organisation_first_and_show_art_15_gaps(api_as, quality):
    client = api_as("quality_manager")
    early = client.post("/api/v1/prrcs/", PRRC, format="json")
    assert list(field_errors(early)) == ["non_field_errors"]
    assert not Prrc.objects.exists()

    client.patch("/api/v1/organisation/", {"name": "Fjordmed AS", "address": "Oslo"}, format="json")
    created = client.post("/api/v1/prrcs/", PRRC, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["years_experience"] == 0.5
    assert set(body["qualification_problems"]) == {"no_degree", "too_little_experience"}

    fixed = client.patch(
        f"/api/v1/prrcs/{body['id']}/",
        {"degree": "MSc Biomedical Engineering, NTNU", "years_experience": "2.0"},
        format="json",
    )
    assert fixed.status_code == 200
    assert fixed.json()["qualification_problems"] == []
    assert Prrc.objects.get().degree.startswith("MSc")
    listed = api_as("auditor").get("/api/v1/prrcs/").json()
    assert [p["full_name"] for p in listed["results"]] == ["Kari Nordmann"]


def test_prrc_evidence_files_are_checked_and_hashed(api_as, quality):
    client = api_as("quality_manager")
    client.patch("/api/v1/organisation/", {"name": "Fjordmed AS", "address": "Oslo"}, format="json")
    fake = SimpleUploadedFile("cv.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.post("/api/v1/prrcs/", {**PRRC, "evidence_file": fake}, format="multipart")
    assert list(field_errors(refused)) == ["evidence_file"]
    assert not Prrc.objects.exists()

    pdf = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    accepted = client.post("/api/v1/prrcs/", {**PRRC, "evidence_file": pdf}, format="multipart")
    assert accepted.status_code == 201
    assert len(accepted.json()["evidence_sha256"]) == 64
    assert Prrc.objects.get().evidence_file.name.startswith("prrc/")


def test_me_reflects_the_role_and_language(api_as, users):
    me = api_as("auditor").get("/api/v1/me/").json()
    assert me["role"] == "auditor"
    assert me["permissions"] == [
        "audit.export",
        "audit.view",
        "document.archive.view",
        "record.view",
    ]


def test_errors_come_in_the_users_own_language_also_with_a_token(api, users, engineer):
    from samsvar.accounts.services import user_update

    user_update(actor=users["administrator"], user=engineer, language="nb")
    token = api.post(
        "/api/v1/auth/token/", {"username": "engineer", "password": PASSWORD}, format="json"
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.post("/api/v1/devices/", {"colour": "blue"}, format="json")
    errors = field_errors(response)
    assert errors["name"] == ["Dette feltet er påkrevd."]
    assert errors["colour"] == ["Ukjent felt."]
    assert translation.get_language() == "en", "the language does not leak past the request"
