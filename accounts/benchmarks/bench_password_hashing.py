"""How much one login costs in password hashing (`make bench`).

Prints the median and p95 of ``check_password`` for our tuned Argon2id and Django's
default Argon2 parameters on this machine, and the token endpoint end to end.
"""

import statistics
import time

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import override_settings

from accounts.hashers import TunedArgon2PasswordHasher
from accounts.tests.factories import UserFactory

ROUNDS = 30


def _timings(fn, rounds=ROUNDS) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def test_argon2_cost_per_login():
    for hasher in (TunedArgon2PasswordHasher(), Argon2PasswordHasher()):
        encoded = hasher.encode("correct horse battery staple", hasher.salt())
        p50, p95 = _timings(lambda h=hasher, e=encoded: h.verify("correct horse battery staple", e))
        print(
            f"\n{type(hasher).__name__:28s} m={hasher.memory_cost // 1024} MiB t={hasher.time_cost} "
            f"p={hasher.parallelism}: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["accounts.hashers.TunedArgon2PasswordHasher"])
def test_token_endpoint_end_to_end(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_token": "10000/min",
        },
    }
    user = UserFactory(password="correct horse battery staple 9")
    p50, p95 = _timings(
        lambda: client.post(
            "/api/v1/auth/token/",
            {"email": user.email, "password": "correct horse battery staple 9"},
            content_type="application/json",
        )
    )
    print(f"\nPOST /api/v1/auth/token (tuned Argon2id): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
