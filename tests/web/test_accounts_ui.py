"""Login with lockout and TOTP, profile and language, people and organisation pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samsvar.accounts.models import Prrc
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent
from tests.conftest import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_login_and_logout_are_audited(client, users):
    response = login(client, "engineer")
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(
        code=Event.LOGIN_SUCCEEDED, actor_id=users["engineer"].pk
    ).exists()
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(code=Event.LOGOUT).exists()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_for_fifteen_minutes(client, users):
    for _ in range(4):
        response = login(client, "engineer", "wrong")
        assert "not correct" in response.content.decode()
    response = login(client, "engineer", "wrong")
    assert "Too many failed attempts" in response.content.decode()
    assert AuditEvent.objects.filter(code=Event.LOGIN_FAILED).count() == 5
    assert AuditEvent.objects.filter(code=Event.LOGIN_LOCKED).count() == 1
    # The right password is refused while locked.
    response = login(client, "engineer")
    assert response.status_code == 200
    user = users["engineer"]
    user.refresh_from_db()
    assert user.login_locked_until > timezone.now() + timedelta(minutes=14)
    type(user).objects.filter(pk=user.pk).update(
        login_locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert login(client, "engineer").status_code == 302


@pytest.mark.django_db
def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, users):
    unknown = login(client, "nobody", "x").content.decode()
    wrong = login(client, "engineer", "x").content.decode()
    assert "The username or password is not correct." in unknown
    assert "The username or password is not correct." in wrong


@pytest.mark.django_db
def test_totp_login_needs_a_valid_code(client, users):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = users["quality_manager"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = login(client, user.username)
    assert response["Location"].startswith(reverse("accounts:login_otp"))
    assert client.get("/").status_code == 302  # not logged in yet
    response = client.post(reverse("accounts:login_otp"), {"otp_token": "000000"})
    assert "otp_token" in response.context["form"].errors
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("accounts:login_otp"), {"otp_token": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(code=Event.LOGIN_SUCCEEDED).get()
    assert event.changes == {"two_factor": True}


@pytest.mark.django_db
def test_totp_enrolment_confirms_with_the_first_code(client_for, users):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = client_for("engineer")
    page = client.get(reverse("accounts:totp_setup"))
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=users["engineer"])
    assert not device.confirmed
    response = client.post(reverse("accounts:totp_setup"), {"token": "123"})
    assert "token" in response.context["form"].errors
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("accounts:totp_setup"), {"token": code})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(code=Event.TOTP_ENABLED).exists()


@pytest.mark.django_db
def test_language_follows_the_user_setting_then_the_browser(client, users):
    user = users["engineer"]
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nb")
    assert response["Content-Language"] == "nb"
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nb")
    assert response["Content-Language"] == "en"
    assert "Awaiting my signature" in response.content.decode()


@pytest.mark.django_db
def test_password_change_checks_the_old_password_and_the_policy(client_for, users):
    client = client_for("engineer")
    url = reverse("accounts:password_change")
    response = client.post(
        url,
        {"old_password": "x", "new_password1": "Ny-passord-123", "new_password2": "Ny-passord-123"},
    )
    assert "old_password" in response.context["form"].errors
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert "new_password1" in response.context["form"].errors
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Ny-passord-123",
            "new_password2": "Ny-passord-123",
        },
    )
    assert response.status_code == 302
    users["engineer"].refresh_from_db()
    assert users["engineer"].check_password("Ny-passord-123")
    assert AuditEvent.objects.filter(code=Event.PASSWORD_CHANGED).exists()


@pytest.mark.django_db
def test_admin_creates_and_changes_a_person_with_audited_role_change(client_for, users):
    client = client_for("administrator")
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nina",
            "full_name": "Nina Hansen",
            "role": "engineer",
            "password": "Nina-passord-2026",
            "email": "",
        },
    )
    assert response.status_code == 302
    nina = type(users["engineer"]).objects.get(username="nina")
    client.post(
        reverse("accounts:user_edit", args=[nina.pk]),
        {
            "full_name": "Nina Hansen",
            "role": "approver",
            "is_active": "on",
            "reason": "New duties",
        },
    )
    nina.refresh_from_db()
    assert nina.role == "approver"
    event = AuditEvent.objects.get(code=Event.USER_UPDATED)
    assert event.changes == {"role": ["engineer", "approver"]} and event.reason == "New duties"


@pytest.mark.django_db
def test_user_create_bad_input_names_fields_and_saves_nothing(client_for, users):
    client = client_for("administrator")
    before = type(users["engineer"]).objects.count()
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "engineer",
            "full_name": "",
            "role": "king",
            "password": "123",
        },
    )
    errors = response.context["form"].errors
    assert {"full_name", "role"} <= set(errors)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "engineer",
            "full_name": "Dup",
            "role": "engineer",
            "password": "123",
        },
    )
    errors = response.context["form"].errors
    assert "username" in errors or "password" in errors
    assert type(users["engineer"]).objects.count() == before


@pytest.mark.django_db
def test_prrc_evidence_file_must_really_be_a_pdf_or_image(client_for, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samsvar.accounts.services import organisation_save

    organisation_save(actor=users["quality_manager"], name="Fjordmed AS", address="Oslo")
    client = client_for("quality_manager")
    data = {
        "full_name": "Kari Nordmann",
        "regimes": "both",
        "qualification_route": "degree",
        "degree": "MSc Pharmacy",
        "years_experience": "3",
        "evidence": "Diploma in file HR-1",
    }
    fake = SimpleUploadedFile(
        "diploma.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(reverse("accounts:prrc_create"), {**data, "evidence_file": fake})
    assert "evidence_file" in response.context["form"].errors
    assert not Prrc.objects.exists()
    real = SimpleUploadedFile(
        "diploma.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", content_type="application/pdf"
    )
    response = client.post(reverse("accounts:prrc_create"), {**data, "evidence_file": real})
    assert response.status_code == 302
    prrc = Prrc.objects.get()
    assert len(prrc.evidence_sha256) == 64 and prrc.qualification_problems() == []
    download = client_for("auditor").get(reverse("accounts:prrc_evidence", args=[prrc.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")


@pytest.mark.django_db
def test_prrc_qualification_gaps_show_on_the_organisation_page(client_for, users):
    from samsvar.accounts.services import organisation_save, prrc_save

    organisation_save(actor=users["quality_manager"], name="Fjordmed AS", address="Oslo")
    prrc_save(
        actor=users["quality_manager"],
        full_name="Per Junior",
        regimes="ivdr",
        qualification_route="experience",
        years_experience="2",
        evidence="CV",
    )
    page = client_for("auditor").get(reverse("accounts:organisation")).content.decode()
    assert "Not enough years of experience for this route." in page


@pytest.mark.django_db
def test_organisation_form_names_bad_fields_and_saves_nothing(client_for):
    from samsvar.accounts.models import Organisation

    client = client_for("quality_manager")
    response = client.post(
        reverse("accounts:organisation_edit"),
        {
            "name": "",
            "address": "Oslo",
            "country": "NO",
            "email": "not-an-email",
            "website": "not a url",
        },
    )
    errors = response.context["form"].errors
    assert {"name", "email", "website"} <= set(errors)
    assert not Organisation.objects.exists()
    response = client.post(
        reverse("accounts:organisation_edit"),
        {
            "name": "Fjordmed AS",
            "address": "Fjordveien 12, Oslo",
            "country": "NO",
            "srn": "NO-MF-000012345",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get().srn == "NO-MF-000012345"


@pytest.mark.django_db
def test_login_form_with_nothing_filled_in_names_both_fields(client):
    response = client.post(reverse("accounts:login"), {})
    assert set(response.context["form"].errors) == {"username", "password"}
    assert not AuditEvent.objects.filter(code=Event.LOGIN_SUCCEEDED).exists()


@pytest.mark.django_db
def test_a_lock_after_the_password_step_also_stops_the_code_step(client, users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = users["quality_manager"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, user.username)
    type(user).objects.filter(pk=user.pk).update(
        login_locked_until=timezone.now() + timedelta(minutes=10)
    )
    response = client.post(reverse("accounts:login_otp"), {"otp_token": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get("/").status_code == 302  # still not logged in
