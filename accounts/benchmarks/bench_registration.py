"""Does registration time reveal whether an email has an account? (`make bench`)

Times ``POST /api/v1/auth/register`` end to end with the production hasher for an email
that already has an account and for new ones, interleaved so machine load hits both
alike. The two medians should be close; the test suite only asserts that both paths hash
the password the same number of times (accounts/tests/test_registration.py).
"""

import statistics
import time

import pytest
from django.test import override_settings

from accounts.tests.factories import UserFactory

ROUNDS = 30
PASSWORD = "a-long-and-unusual-passphrase-77"


def _post(client, email: str, username: str) -> float:
    start = time.perf_counter()
    response = client.post(
        "/api/v1/auth/register/",
        {"email": email, "username": username, "password": PASSWORD},
        content_type="application/json",
    )
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 201, response.content
    return elapsed


def _summary(samples: list[float]) -> str:
    samples = sorted(samples)
    return f"p50 {statistics.median(samples):.1f} ms, p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms"


@pytest.mark.django_db
@override_settings(
    PASSWORD_HASHERS=["accounts.hashers.TunedArgon2PasswordHasher"],
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
def test_register_taken_vs_new_email(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_register": "100000/min",
            "anon": "100000/min",
        },
    }
    UserFactory(email="taken@example.com")
    _post(client, "warmup@example.com", "warmup")
    taken, new = [], []
    for i in range(ROUNDS):
        taken.append(_post(client, "taken@example.com", f"taken{i}"))
        new.append(_post(client, f"new{i}@example.com", f"new{i}"))
    print(f"\nPOST /api/v1/auth/register, email already registered: {_summary(taken)}")
    print(f"POST /api/v1/auth/register, new email:                {_summary(new)}")
    print(f"difference of medians: {statistics.median(new) - statistics.median(taken):+.1f} ms")


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_forgot_and_resend_known_vs_unknown_email(client, settings):
    """The same question for the other two endpoints that mail any address."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_forgot": "100000/min",
            "auth_resend": "100000/min",
            "anon": "100000/min",
        },
    }
    UserFactory(email="known@example.com")
    UserFactory(email="unverified@example.com", verified=False)
    for path, known_email in (
        ("/api/v1/auth/password/forgot/", "known@example.com"),
        ("/api/v1/auth/verify-email/resend/", "unverified@example.com"),
    ):
        known, unknown = [], []

        def post(email: str, path=path) -> float:
            start = time.perf_counter()
            response = client.post(path, {"email": email}, content_type="application/json")
            assert response.status_code == 202
            return (time.perf_counter() - start) * 1000

        post(known_email)
        for i in range(ROUNDS):
            known.append(post(known_email))
            unknown.append(post(f"nobody{i}@example.com"))
        print(f"\nPOST {path}, known email:   {_summary(known)}")
        print(f"POST {path}, unknown email: {_summary(unknown)}")
        print(f"difference of medians: {statistics.median(known) - statistics.median(unknown):+.1f} ms")


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_reset_with_a_wrong_code_known_vs_unknown_email(client, settings):
    """A wrong code for an account with a live code counts the try (an update and a
    commit); for an unknown address there is nothing to count."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_forgot": "100000/min",
            "auth_reset": "100000/min",
            "anon": "100000/min",
        },
    }
    UserFactory(email="known@example.com")
    known, unknown = [], []

    def post(email: str) -> float:
        start = time.perf_counter()
        response = client.post(
            "/api/v1/auth/password/reset/",
            {"email": email, "code": "999999", "new_password": "another-long-passphrase-9"},
            content_type="application/json",
        )
        assert response.status_code == 400
        return (time.perf_counter() - start) * 1000

    for i in range(ROUNDS):
        if i % 4 == 0:  # a fresh code every 4 tries, so the known account always has a live one
            client.post(
                "/api/v1/auth/password/forgot/",
                {"email": "known@example.com"},
                content_type="application/json",
            )
        known.append(post("known@example.com"))
        unknown.append(post(f"nobody{i}@example.com"))
    print(f"\nPOST /api/v1/auth/password/reset (wrong code), known email:   {_summary(known)}")
    print(f"POST /api/v1/auth/password/reset (wrong code), unknown email: {_summary(unknown)}")
    print(f"difference of medians: {statistics.median(known) - statistics.median(unknown):+.1f} ms")
