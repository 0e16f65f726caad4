"""Registering with a taken email costs the same work as a new one (timing in accounts/benchmarks)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from accounts.models import OneTimeCode, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-77"
HASHES: list[str] = []


class CountingHasher(MD5PasswordHasher):
    def encode(self, password, salt):
        HASHES.append(password)
        return super().encode(password, salt)


@pytest.fixture
def counted_hashing(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    HASHES.clear()
    return HASHES


def _register(api, email, username):
    return api.post("/api/v1/auth/register/", {"email": email, "username": username, "password": PASSWORD})


def test_taken_and_new_email_hash_the_password_alike(api, mailoutbox, counted_hashing):
    UserFactory(email="taken@example.com")
    counted_hashing.clear()
    taken = _register(api, "taken@example.com", "newcomer1")
    taken_hashes = len(counted_hashing)
    counted_hashing.clear()
    new = _register(api, "fresh@example.com", "newcomer2")
    assert taken.status_code == new.status_code == 201
    assert set(taken.json()) == set(new.json())
    assert taken_hashes == len(counted_hashing) >= 1
    assert len(mailoutbox) == 2  # one mail each: "you already have an account" / the code
    # The taken path's rehearsal of the writes left nothing behind.
    assert set(User.objects.values_list("email", flat=True)) == {"taken@example.com", "fresh@example.com"}
    assert OneTimeCode.objects.count() == 1


def test_taken_email_in_another_casing_is_still_taken(api, mailoutbox, counted_hashing):
    UserFactory(email="taken@example.com")
    counted_hashing.clear()
    response = _register(api, "TAKEN@Example.com", "newcomer")
    assert response.status_code == 201
    assert len(counted_hashing) == 1
    assert "already" in mailoutbox[-1].body.lower()


@pytest.mark.parametrize(
    ("path", "known"),
    [
        ("/api/v1/auth/password/forgot/", {}),
        ("/api/v1/auth/verify-email/resend/", {"verified": False}),
    ],
)
def test_forgot_and_resend_do_the_same_database_work_for_unknown_addresses(api, mailoutbox, path, known):
    """Same statements on both paths (the unknown one rehearses the code's writes and rolls
    them back), so response time does not tell whether an address has an account."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    UserFactory(email="known@example.com", **known)
    statements = {}
    for email in ("known@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            assert api.post(path, {"email": email}).status_code == 202
        # The transaction commits on one path and rolls back on the other; the rest is equal.
        statements[email] = [
            q["sql"].split()[0]
            for q in queries.captured_queries
            if q["sql"].split()[0] in ("SELECT", "INSERT", "UPDATE", "DELETE", "SAVEPOINT")
        ]
    assert statements["known@example.com"] == statements["nobody@example.com"], statements
    assert "INSERT" in statements["nobody@example.com"]
    assert OneTimeCode.objects.count() == 1 and len(mailoutbox) == 2
