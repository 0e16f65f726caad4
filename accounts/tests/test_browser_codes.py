"""The site's (allauth) email-verification and password-reset codes: 6 digits in the mail,
only a keyed digest in the session."""

import json

import pytest
from allauth.account.models import EmailAddress

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-77"


def _session_blob(client) -> str:
    return json.dumps(dict(client.session.items()), default=str)


def test_signup_code_is_mailed_in_plain_and_stored_only_as_a_digest(client, mailoutbox, read_code):
    client.post(
        "/accounts/signup/",
        {"email": "lin@example.com", "username": "lin", "password1": PASSWORD, "password2": PASSWORD},
    )
    code = read_code(mailoutbox[-1])
    assert len(code) == 6 and code.isdigit()
    assert code not in _session_blob(client)

    wrong = "000000" if code != "000000" else "111111"
    assert client.post("/accounts/confirm-email/", {"code": wrong}).status_code == 200
    assert not EmailAddress.objects.get(email="lin@example.com").verified
    client.post("/accounts/confirm-email/", {"code": code})
    assert EmailAddress.objects.get(email="lin@example.com").verified


def test_password_reset_code_is_stored_only_as_a_digest(client, mailoutbox, read_code):
    user = UserFactory()
    client.post("/accounts/password/reset/", {"email": user.email})
    code = read_code(mailoutbox[-1])
    assert code not in _session_blob(client)
    response = client.post("/accounts/password/reset/confirm/", {"code": code})
    assert response.status_code == 302
    assert "complete" in response["Location"]
