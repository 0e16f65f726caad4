"""users/me reads "email verified" and "two-factor on" from the user row (one query per
call), and those copies follow every change to allauth's addresses and authenticators."""

import pyotp
import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def me(user, **headers) -> dict:
    api = APIClient()
    api.force_authenticate(user=User.objects.get(pk=user.pk))
    response = api.get("/api/v1/users/me", **headers)
    assert response.status_code == 200
    return response.json()


def test_users_me_costs_one_query_with_a_bearer_token(django_assert_num_queries):
    """The only query is loading the token's user; the flags are columns of that row."""
    user = UserFactory()
    api = APIClient()
    access = api.post("/api/v1/auth/token", {"email": user.email, "password": DEFAULT_PASSWORD}).json()[
        "access"
    ]
    with django_assert_num_queries(1):
        body = api.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {access}").json()
    assert body["email_verified"] is True and body["mfa_enabled"] is False


def test_verifying_the_email_through_the_api_shows_in_users_me(mailoutbox, read_code):
    api = APIClient()
    api.post(
        "/api/v1/auth/register", {"email": "ada@example.com", "username": "ada", "password": "lovelace-1843x"}
    )
    user = User.objects.get(username="ada")
    assert me(user)["email_verified"] is False
    code = read_code(mailoutbox[0])
    assert (
        api.post("/api/v1/auth/verify-email", {"email": "ada@example.com", "code": code}).status_code == 200
    )
    assert me(user)["email_verified"] is True


def test_changing_to_an_unverified_address_and_verifying_it(client):
    """allauth's email change on the site: a new address, made primary, then confirmed."""
    user = UserFactory()
    address = EmailAddress.objects.create(user=user, email="new@example.com", verified=False)
    address.set_as_primary()
    assert User.objects.get(pk=user.pk).email == "new@example.com"
    assert me(user)["email_verified"] is False
    address.set_verified()
    assert me(user)["email_verified"] is True
    address.delete()
    assert me(user)["email_verified"] is False


def test_a_stale_instance_saved_whole_does_not_bring_old_flags_back():
    user = UserFactory(verified=False)
    stale = User.objects.get(pk=user.pk)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    stale.first_name = "Ada"
    stale.save()
    assert User.objects.get(pk=user.pk).email_verified is True


def test_turning_two_factor_on_and_off_shows_in_users_me():
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    secret = api.get("/api/v1/auth/mfa/totp").json()["secret"]
    assert api.post("/api/v1/auth/mfa/totp", {"code": pyotp.TOTP(secret).now()}).status_code == 201
    assert me(user)["mfa_enabled"] is True
    off = api.delete("/api/v1/auth/mfa/totp", {"password": DEFAULT_PASSWORD}, format="json")
    assert off.status_code == 204, off.content
    assert me(user)["mfa_enabled"] is False
