"""Production settings: refuse to start without a strong SECRET_KEY; pass `check --deploy` when configured."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "ALLOWED_HOSTS": "devcrew.example.com",
    "DATABASE_URL": "postgres://devcrew@db.invalid:5432/devcrew",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "django-insecure-devcrew-local-development-key-never-use-in-production",  # the dev key
        "django-insecure-" + "k" * 60,  # Django's generated insecure keys
        "short-but-random-Zx81!",  # under 50 characters
        "a" * 80,  # long but with hardly any variety
        "changeme" * 10,
    ],
)
def test_production_refuses_to_start_with_a_weak_or_development_secret_key(key):
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ImproperlyConfigured" in result.stderr
    assert key not in result.stderr  # the refusal never prints the key


def test_production_check_deploy_prints_no_warnings():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "p8Zq-3vN!rT7wLx2@hK9mFs4^bY6cJd1&eUa5gQo0iPz8nRt-w3Kj7Vb2Xc9"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
