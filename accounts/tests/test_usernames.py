"""Usernames are ASCII letters, digits, '.', '_' and '-' on every way in; display names stay free."""

import importlib

import pytest
from django.apps import apps

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-77"
LOOKALIKES = [
    "\u0430dmin",  # Cyrillic a
    "\uff41\uff44\uff4d\uff49\uff4e",  # fullwidth admin
    "ad\u200bmin",  # zero-width space
    "ad min",
    "ada@home",
    "ada+1",
    "j\u00f6rg",
]


@pytest.mark.parametrize("username", LOOKALIKES)
def test_api_register_refuses_non_ascii_usernames_with_a_field_error(api, mailoutbox, username):
    response = api.post(
        "/api/v1/auth/register/", {"email": "ada@example.com", "username": username, "password": PASSWORD}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert "letters, digits" in " ".join(body["fields"]["username"])
    assert not User.objects.filter(email="ada@example.com").exists() and not mailoutbox


@pytest.mark.parametrize("username", ["ada.lovelace", "ada_l-1843", "ADA"])
def test_api_register_accepts_ascii_usernames(api, mailoutbox, username):
    response = api.post(
        "/api/v1/auth/register/", {"email": "ada@example.com", "username": username, "password": PASSWORD}
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("username", LOOKALIKES)
def test_users_me_refuses_non_ascii_usernames(api, username):
    user = UserFactory()
    api.force_authenticate(user)
    response = api.patch("/api/v1/users/me/", {"username": username})
    assert response.status_code == 400
    assert "letters, digits" in " ".join(response.json()["fields"]["username"])
    user.refresh_from_db()
    assert user.username != username


def test_users_me_names_stay_free_unicode(api):
    user = UserFactory()
    api.force_authenticate(user)
    response = api.patch("/api/v1/users/me/", {"first_name": "Jörg", "last_name": "Ångström 李"})
    assert response.status_code == 200
    assert response.json()["last_name"] == "Ångström 李"


@pytest.mark.parametrize("username", LOOKALIKES[:3])
def test_site_signup_refuses_non_ascii_usernames(client, mailoutbox, username):
    response = client.post(
        "/accounts/signup/",
        {"email": "lin@example.com", "username": username, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "letters, digits" in " ".join(response.context["form"].errors["username"])
    assert not User.objects.filter(email="lin@example.com").exists()


def test_site_signup_accepts_an_ascii_username(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "lin@example.com", "username": "lin.w-2", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(username="lin.w-2").exists()


def test_admin_user_form_refuses_non_ascii_usernames(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    target = UserFactory()
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": "\u0430dmin",
            "email": target.email,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00",
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["adminform"].form.errors


def test_migration_renames_existing_non_conforming_usernames_uniquely():
    """Deterministic: NFKC-folded ASCII part plus the id when it changed; existing names are kept."""
    migration = importlib.import_module("accounts.migrations.0003_ascii_usernames")
    keep = UserFactory(username="admin")
    taken = UserFactory(username="dmin")
    cyrillic = UserFactory(username="placeholder-1")
    fullwidth = UserFactory(username="placeholder-2")
    empty = UserFactory(username="placeholder-3")
    User.objects.filter(pk=cyrillic.pk).update(username="\u0430dmin")
    User.objects.filter(pk=fullwidth.pk).update(username="\uff41\uff44\uff4d\uff49\uff4e")
    User.objects.filter(pk=empty.pk).update(username="\u674e\u96f7")

    migration.usernames_to_ascii(apps, None)

    names = dict(User.objects.values_list("pk", "username"))
    assert names[keep.pk] == "admin" and names[taken.pk] == "dmin"
    assert names[cyrillic.pk] == f"dmin-{cyrillic.pk}"
    assert names[fullwidth.pk] == f"admin-{fullwidth.pk}"
    assert names[empty.pk] == f"user-{empty.pk}"
    migration.usernames_to_ascii(apps, None)  # idempotent
    assert dict(User.objects.values_list("pk", "username")) == names
    # The renamed accounts still log in with their email.
    assert User.objects.get(pk=fullwidth.pk).check_password(DEFAULT_PASSWORD)
