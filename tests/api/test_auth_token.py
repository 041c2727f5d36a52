"""API tokens (Part 11 §11.300): the same lockout-protected login as the web, audited."""

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from samsvar.accounts.models import ApiToken, User
from samsvar.core import permissions as perms
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def get_token(username, password=PASSWORD, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )


def events(code, user=None):
    qs = AuditEvent.objects.filter(code=code)
    return qs.filter(actor_id=user.pk) if user else qs


def test_a_token_is_issued_stored_only_as_a_hash_and_authenticates(engineer):
    response = get_token("engineer")
    assert response.status_code == 200
    key = response.json()["token"]
    assert len(key) >= 40
    [stored] = ApiToken.objects.filter(user=engineer)
    assert stored.key_sha256 == ApiToken.digest(key) != key
    [login] = events(Event.LOGIN_SUCCEEDED, engineer)
    assert login.changes == {"two_factor": False}
    assert events(Event.API_TOKEN_ISSUED, engineer).count() == 1

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json() == {
        "id": engineer.pk,
        "username": "engineer",
        "full_name": engineer.full_name,
        "role": "engineer",
        "language": "",
        "permissions": sorted(perms.perms_for(engineer)),
    }
    assert "user.manage" not in me.json()["permissions"]


def test_requests_without_or_with_a_bad_token_are_refused(engineer):
    assert APIClient().get("/api/v1/me/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"


def test_a_deactivated_users_token_stops_working(engineer):
    key = get_token("engineer").json()["token"]
    User.objects.filter(pk=engineer.pk).update(is_active=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 401


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(engineer):
    wrong = get_token("engineer", password="not-the-password")
    unknown = get_token("nobody-here", password="not-the-password")
    assert wrong.status_code == unknown.status_code == 400
    assert field_errors(wrong) == field_errors(unknown)
    assert list(wrong.json()) == ["non_field_errors"]
    assert not ApiToken.objects.exists()
    [failed] = events(Event.LOGIN_FAILED, engineer)
    assert failed.changes == {"failures": 1, "why": "password"}
    assert events(Event.LOGIN_FAILED).count() == 2


def test_the_fifth_failure_locks_the_account_even_for_the_right_password(engineer):
    attempts = settings.SAMSVAR_LOCKOUT_ATTEMPTS
    assert attempts == 5
    for _ in range(attempts - 1):
        assert get_token("engineer", password="guess").status_code == 400
    locked = get_token("engineer", password="guess")
    assert "Too many failed attempts" in locked.json()["non_field_errors"][0]
    assert events(Event.LOGIN_LOCKED, engineer).count() == 1
    assert events(Event.LOGIN_FAILED, engineer).count() == attempts

    still_locked = get_token("engineer")  # the right password
    assert still_locked.status_code == 400
    assert "Too many failed attempts" in still_locked.json()["non_field_errors"][0]
    assert not ApiToken.objects.exists()
    assert not events(Event.LOGIN_SUCCEEDED, engineer).exists()


@pytest.fixture
def totp_device(engineer):
    return TOTPDevice.objects.create(user=engineer, name="phone", confirmed=True)


def current_code(device) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)


def test_two_factor_users_need_a_correct_code(engineer, totp_device):
    missing = get_token("engineer")
    assert list(field_errors(missing)) == ["otp_token"]

    wrong_code = "000000" if current_code(totp_device) != "000000" else "111111"
    wrong = get_token("engineer", otp_token=wrong_code)
    assert list(field_errors(wrong)) == ["otp_token"]
    [failed] = events(Event.LOGIN_FAILED, engineer)
    assert failed.changes["why"] == "otp"
    assert not ApiToken.objects.exists()

    # django-otp throttles a device after a wrong code; a later, correct one gets through.
    totp_device.refresh_from_db()
    totp_device.throttle_reset()
    right = get_token("engineer", otp_token=current_code(totp_device))
    assert right.status_code == 200
    [login] = events(Event.LOGIN_SUCCEEDED, engineer)
    assert login.changes == {"two_factor": True}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "engineer"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "engineer", "password": PASSWORD, "remember_me": True}, "remember_me"),
        ({"username": "x" * 151, "password": PASSWORD}, "username"),
    ],
)
def test_bad_token_requests_name_the_field(engineer, body, field):
    response = APIClient().post(TOKEN_URL, body, format="json")
    assert field in field_errors(response)
    assert not ApiToken.objects.exists()
    assert not events(Event.LOGIN_SUCCEEDED).exists()
