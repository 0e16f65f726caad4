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
        "/api/v1/auth/register",
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
