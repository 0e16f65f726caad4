"""Every wrong guess counts, through the door an attacker uses, even when the request errors.

A failure recorded inside the transaction that the error then rolls back is never
counted; each test here makes N wrong tries and then proves the right secret is refused.
"""

import pyotp
import pytest
from allauth.mfa.models import Authenticator

from accounts.models import OneTimeCode
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"
RESET = "/api/v1/auth/password/reset/"


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _bearer(api, user) -> str:
    pair = api.post("/api/v1/auth/token/", {"login": user.email, "password": DEFAULT_PASSWORD}).json()
    return f"Bearer {pair['access']}"


def test_reset_code_dies_after_five_wrong_tries(api, mailoutbox, read_code):
    user = UserFactory()
    api.post("/api/v1/auth/password/forgot/", {"email": user.email})
    code = read_code(mailoutbox[-1])
    for _ in range(5):
        wrong = api.post(RESET, {"email": user.email, "code": _wrong(code), "new_password": NEW_PASSWORD})
        assert wrong.status_code == 400 and wrong.json()["type"] == "invalid_code"
    assert OneTimeCode.objects.get(user=user).failed_attempts == 5
    late = api.post(RESET, {"email": user.email, "code": code, "new_password": NEW_PASSWORD})
    assert late.status_code == 400 and late.json()["type"] == "invalid_code"
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_reset_with_a_wrong_code_answers_the_same_whatever_the_email_and_password(api, mailoutbox):
    """No oracle: a wrong code never reveals the account, the current password or the rules."""
    user = UserFactory()
    api.post("/api/v1/auth/password/forgot/", {"email": user.email})
    attempts = [
        (user.email, DEFAULT_PASSWORD),  # the current password ("used recently")
        (user.email, "123"),  # a weak one (reveals that the account exists)
        (user.email, user.username + "-password"),  # similar to the username
        (user.email, NEW_PASSWORD),
        ("nobody@example.com", "123"),
        ("nobody@example.com", NEW_PASSWORD),
    ]
    answers = set()
    for email, password in attempts:
        response = api.post(RESET, {"email": email, "code": "999999", "new_password": password})
        answers.add((response.status_code, response.content))
    assert len(answers) == 1, answers
    status, body = answers.pop()
    assert status == 400 and b'"invalid_code"' in body


def test_reset_with_a_wrong_code_never_runs_the_password_rules(api, mailoutbox, settings):
    """Known and unknown emails do the same work: the password is looked at only after the code."""
    calls = []

    class Counting:
        def validate(self, password, user=None):
            calls.append(password)

    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": f"{__name__}.CountingValidator"}]
    globals()["CountingValidator"] = Counting
    user = UserFactory()
    api.post("/api/v1/auth/password/forgot/", {"email": user.email})
    for email in (user.email, "nobody@example.com"):
        api.post(RESET, {"email": email, "code": "999999", "new_password": NEW_PASSWORD})
    assert calls == []


def test_wrong_current_password_on_password_change_counts_toward_lockout(api):
    user = UserFactory()
    api.credentials(HTTP_AUTHORIZATION=_bearer(api, user))
    for _ in range(5):
        wrong = api.post(
            "/api/v1/auth/password/change/",
            {"current_password": "not-my-password", "new_password": NEW_PASSWORD},
        )
        assert wrong.status_code == 400 and "current_password" in wrong.json()["fields"]
    right = api.post(
        "/api/v1/auth/password/change/", {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert right.status_code == 429 and right.json()["type"] == "account_locked"
    api.credentials()
    login = api.post("/api/v1/auth/token/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 429


def _enable_totp(api, user) -> str:
    api.credentials(HTTP_AUTHORIZATION=_bearer(api, user))
    secret = api.get("/api/v1/auth/mfa/totp/").json()["secret"]
    assert api.post("/api/v1/auth/mfa/totp/", {"code": pyotp.TOTP(secret).now()}).status_code == 201
    return secret


def test_wrong_password_on_totp_disable_counts_toward_lockout(api):
    user = UserFactory()
    _enable_totp(api, user)
    for _ in range(5):
        wrong = api.delete("/api/v1/auth/mfa/totp/", {"password": "not-my-password"})
        assert wrong.status_code == 400
    right = api.delete("/api/v1/auth/mfa/totp/", {"password": DEFAULT_PASSWORD})
    assert right.status_code == 429 and right.json()["type"] == "account_locked"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_wrong_mfa_codes_lock_the_account_and_the_right_code_is_refused(api):
    user = UserFactory()
    secret = _enable_totp(api, user)
    api.credentials()
    challenge = api.post("/api/v1/auth/token/", {"login": user.email, "password": DEFAULT_PASSWORD}).json()
    for _ in range(5):
        wrong = api.post("/api/v1/auth/token/mfa/", {"mfa_token": challenge["mfa_token"], "code": "000000"})
        assert wrong.status_code in (400, 429)
    right = api.post(
        "/api/v1/auth/token/mfa/", {"mfa_token": challenge["mfa_token"], "code": pyotp.TOTP(secret).now()}
    )
    assert right.status_code == 429 and right.json()["type"] == "account_locked"


def test_email_verification_code_dies_after_five_wrong_tries(api, mailoutbox, read_code):
    api.post(
        "/api/v1/auth/register/",
        {"email": "ada@example.com", "username": "ada", "password": "lovelace-engine-1843"},
    )
    code = read_code(mailoutbox[-1])
    for _ in range(5):
        api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": _wrong(code)})
    late = api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": code})
    assert late.status_code == 400 and late.json()["type"] == "invalid_code"
