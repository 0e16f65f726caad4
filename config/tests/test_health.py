import json
import os
import subprocess
import sys

from django.conf import settings


def test_live_answers_while_the_process_serves(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_every_component(client, db):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "components": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def _ready_in_subprocess(**env_overrides) -> tuple[int, dict]:
    """/health/ready of a fresh process configured through the environment, as in production."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env_overrides}
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health/ready', HTTP_HOST='localhost');"
        "print(json.dumps([r.status_code, r.json()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    return status, body


def test_ready_is_503_and_names_the_database_when_it_is_unreachable(tmp_path):
    status, body = _ready_in_subprocess(
        DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3", DEBUG="false"
    )
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["components"]["database"].startswith("unavailable")
    assert body["components"]["cache"] == "ok"


def test_ready_is_503_and_names_redis_when_it_is_unreachable(tmp_path):
    status, body = _ready_in_subprocess(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", REDIS_URL="redis://127.0.0.1:1/0", DEBUG="false"
    )
    assert status == 503
    assert body["components"]["database"] == "ok"
    assert body["components"]["cache"].startswith("unavailable")
    assert body["components"]["broker"].startswith("unavailable")
