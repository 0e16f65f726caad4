"""Five failed logins lock the account for 15 minutes on the API, the site and the admin."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def api_login(api, login, password):
    return api.post("/api/v1/auth/token/", {"login": login, "password": password})


def site_login(client, login, password):
    return client.post("/accounts/login/", {"login": login, "password": password})


def admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_api_locks_after_five_failures_whatever_the_password_then_expires(api):
    user = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            assert api_login(api, user.email, "wrong-password").status_code == 401
        locked = api_login(api, user.email, DEFAULT_PASSWORD)
        assert locked.status_code == 429
        assert locked.json()["type"] == "account_locked"
        assert "15 minutes" in locked.json()["detail"]
        assert 890 <= int(locked["Retry-After"]) <= 900

        clock.shift(timedelta(minutes=14))
        assert api_login(api, user.email, DEFAULT_PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=1, seconds=1))
        assert api_login(api, user.email, DEFAULT_PASSWORD).status_code == 200


def test_a_success_resets_the_count(api):
    user = UserFactory()
    for _ in range(4):
        api_login(api, user.username, "wrong-password")
    assert api_login(api, user.username, DEFAULT_PASSWORD).status_code == 200
    for _ in range(4):
        api_login(api, user.username, "wrong-password")
    assert api_login(api, user.username, DEFAULT_PASSWORD).status_code == 200


def test_browser_login_shares_the_lockout_and_says_how_long_to_wait(client, api):
    user = UserFactory()
    for _ in range(3):
        site_login(client, user.email, "wrong-password")
    for _ in range(2):
        api_login(api, user.email, "wrong-password")
    response = site_login(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 200  # the form again, not a redirect
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_shares_the_lockout(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        admin_login(client, user.username, "wrong-password")
    assert User.objects.get(pk=user.pk).is_locked
    response = admin_login(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "try again in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_unlocks_from_the_admin(client, api):
    locked = UserFactory()
    for _ in range(5):
        api_login(api, locked.email, "wrong-password")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "unlock_accounts", "_selected_action": [locked.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not User.objects.get(pk=locked.pk).is_locked
    assert api_login(api, locked.email, DEFAULT_PASSWORD).status_code == 200


def test_admin_lists_users_with_lock_verified_and_mfa_filters(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for query in ("?locked=yes", "?verified=no", "?mfa=yes", "?q=dev"):
        assert client.get("/admin/accounts/user/" + query).status_code == 200
