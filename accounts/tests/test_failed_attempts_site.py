"""The site's (allauth) doors count wrong guesses the same way the API does.

Codes mailed by the site are checked against a digest in the session; the number of wrong
tries must not live only there, because parallel requests of one session each read the
same stale count. Wrong passwords and TOTP codes on the site count toward the lockout.
"""

import copy

import pyotp
import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-77"
RESET_STATE = "account_password_reset_verification"
VERIFY_STATE = "account_email_verification_code"


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _stale_session(client, key: str, state: dict) -> None:
    """What each of several parallel requests sees: the state before any of them saved."""
    session = client.session
    session[key] = copy.deepcopy(state)
    session.save()


def _api_login(user, password=DEFAULT_PASSWORD):
    return APIClient().post("/api/v1/auth/token/", {"login": user.email, "password": password})


def test_site_reset_code_dies_after_five_wrong_tries_even_in_parallel(client, mailoutbox, read_code):
    user = UserFactory()
    client.post("/accounts/password/reset/", {"email": user.email})
    code = read_code(mailoutbox[-1])
    state = copy.deepcopy(client.session[RESET_STATE])
    for _ in range(5):
        _stale_session(client, RESET_STATE, state)
        assert client.post("/accounts/password/reset/confirm/", {"code": _wrong(code)}).status_code == 200
    _stale_session(client, RESET_STATE, state)
    late = client.post("/accounts/password/reset/confirm/", {"code": code})
    assert "complete" not in late.get("Location", "")
    assert not client.session.get(RESET_STATE, {}).get("code_confirmed")


def test_site_reset_code_dies_after_five_wrong_tries(client, mailoutbox, read_code):
    user = UserFactory()
    client.post("/accounts/password/reset/", {"email": user.email})
    code = read_code(mailoutbox[-1])
    for _ in range(5):
        client.post("/accounts/password/reset/confirm/", {"code": _wrong(code)})
    late = client.post("/accounts/password/reset/confirm/", {"code": code})
    assert "complete" not in late.get("Location", "")


def test_site_email_code_dies_after_five_wrong_tries_even_in_parallel(client, mailoutbox, read_code):
    from allauth.account.models import EmailAddress

    client.post(
        "/accounts/signup/",
        {"email": "lin@example.com", "username": "lin", "password1": PASSWORD, "password2": PASSWORD},
    )
    code = read_code(mailoutbox[-1])
    state = copy.deepcopy(client.session[VERIFY_STATE])
    for _ in range(5):
        _stale_session(client, VERIFY_STATE, state)
        client.post("/accounts/confirm-email/", {"code": _wrong(code)})
    _stale_session(client, VERIFY_STATE, state)
    client.post("/accounts/confirm-email/", {"code": code})
    assert not EmailAddress.objects.get(email="lin@example.com").verified


def test_site_password_change_with_wrong_current_password_counts_toward_lockout(client):
    user = UserFactory()
    client.force_login(user)
    for _ in range(5):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": "not-my-password", "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code in (200, 429)
    locked = _api_login(user)
    assert locked.status_code == 429 and locked.json()["type"] == "account_locked"
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_site_reauthentication_with_wrong_password_counts_toward_lockout(client):
    user = UserFactory()
    client.force_login(user)
    for _ in range(5):
        client.post("/accounts/reauthenticate/", {"password": "not-my-password"})
    assert _api_login(user).status_code == 429


def _totp_enabled(user) -> str:
    api = APIClient()
    api.force_authenticate(user)
    secret = api.get("/api/v1/auth/mfa/totp/").json()["secret"]
    assert api.post("/api/v1/auth/mfa/totp/", {"code": pyotp.TOTP(secret).now()}).status_code == 201
    return secret


def test_site_totp_step_counts_toward_lockout_and_refuses_the_right_code_once_locked(client):
    user = UserFactory()
    secret = _totp_enabled(user)
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and "2fa" in response["Location"]
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": _wrong(pyotp.TOTP(secret).now())})
    assert _api_login(user).status_code == 429
    response = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert "_auth_user_id" not in client.session
    assert b"locked" in response.content or response.status_code == 302


def test_site_code_failure_counters_are_purged_after_their_code_expired(client, mailoutbox, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import SiteCodeFailure
    from accounts.tasks import purge_one_time_codes

    user = UserFactory()
    client.post("/accounts/password/reset/", {"email": user.email})
    client.post("/accounts/password/reset/confirm/", {"code": "not-a-code"})
    assert SiteCodeFailure.objects.count() == 1
    purge_one_time_codes()
    assert SiteCodeFailure.objects.count() == 1  # its code may still be live
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    purge_one_time_codes()
    assert SiteCodeFailure.objects.count() == 0
