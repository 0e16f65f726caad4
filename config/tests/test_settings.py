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
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "LOG_FORMAT")
    }
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


LOG_A_LINE = "import logging; logging.getLogger('devcrew.check').warning('hello %s', 'world')"


def _last_log_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_production_logs_json_lines_by_default_and_text_on_request():
    import json

    env = {**PRODUCTION_ENV, "SECRET_KEY": "p8Zq-3vN!rT7wLx2@hK9mFs4^bY6cJd1&eUa5gQo0iPz8nRt-w3Kj7Vb2Xc9"}
    record = json.loads(_last_log_line(_manage("shell", "-c", LOG_A_LINE, env=env)))
    assert (record["level"], record["logger"], record["message"]) == (
        "WARNING",
        "devcrew.check",
        "hello world",
    )

    text = _last_log_line(_manage("shell", "-c", LOG_A_LINE, env={**env, "LOG_FORMAT": "text"}))
    assert text.endswith("devcrew.check: hello world") and not text.startswith("{")


def test_development_logs_readable_text_by_default():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    text = _last_log_line(_manage("shell", "-c", LOG_A_LINE, env=env))
    assert text.endswith("devcrew.check: hello world") and not text.startswith("{")


def test_a_task_held_by_a_killed_worker_is_redelivered_after_its_time_limit_not_an_hour():
    """Redis redelivers unacknowledged (acks_late) tasks after visibility_timeout: it must
    outlast the longest task, and not by much."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": "p8Zq-3vN!rT7wLx2@hK9mFs4^bY6cJd1&eUa5gQo0iPz8nRt-w3Kj7Vb2Xc9"}
    show = (
        "from config.celery import app; "
        "print(app.conf.broker_transport_options['visibility_timeout'], app.conf.task_time_limit)"
    )
    result = _manage("shell", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    visibility, time_limit = map(int, result.stdout.strip().splitlines()[-1].split())
    assert time_limit < visibility <= time_limit + 10 * 60


NO_FOLDERS = """
import os, pathlib, sys

def refuse(*args, **kwargs):
    raise AssertionError(f"a folder was created on import: {args[0]}")

pathlib.Path.mkdir = refuse
os.mkdir = os.makedirs = refuse
import importlib
importlib.import_module(sys.argv[1])
print("ok")
"""


@pytest.mark.parametrize(
    "module", ["config.settings.local", "config.settings.test", "config.settings.production"]
)
def test_importing_the_settings_creates_no_folder(module):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    if module.endswith("production"):
        env.update(PRODUCTION_ENV, SECRET_KEY="p8Zq-3vN!rT7wLx2@hK9mFs4^bY6cJd1&eUa5gQo0iPz8nRt-w3Kj7Vb2Xc9")
    result = subprocess.run(
        [sys.executable, "-c", NO_FOLDERS, module],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_django_startup_creates_the_folders_the_embedded_defaults_write_to(tmp_path, settings):
    """The filesystem broker's folders (which kombu does not create) and STATIC_ROOT exist
    once Django has started (config.apps)."""
    from django.apps import apps

    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "broker" / "queue"),
        "data_folder_out": str(tmp_path / "broker" / "queue"),
        "control_folder": str(tmp_path / "broker" / "control"),
    }
    settings.STATIC_ROOT = tmp_path / "static"
    apps.get_app_config("config").ready()
    for folder in ("broker/queue", "broker/control", "static"):
        assert (tmp_path / folder).is_dir(), folder
