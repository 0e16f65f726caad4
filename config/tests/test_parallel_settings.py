"""`make test` runs pytest-xdist workers against one Redis: each worker must get a Redis
database and channel-layer prefix of its own, or one worker's cache.clear() (a FLUSHDB)
and group messages (pub/sub spans databases) reach the other's tests."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "redis": settings.REDIS_URL,
    "cache": [settings.CACHES["default"]["LOCATION"], settings.CACHES["default"].get("KEY_PREFIX")],
    "layer": settings.CHANNEL_LAYERS["default"]["CONFIG"],
    "broker": settings.CELERY_BROKER_URL,
}))
"""


def _test_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def _settings_of(**env: str) -> dict:
    result = _test_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_each_xdist_worker_gets_its_own_redis_database_and_channel_prefix():
    ci = "redis://127.0.0.1:6379/7"
    gw0 = _settings_of(REDIS_URL=ci, PYTEST_XDIST_WORKER="gw0")
    gw1 = _settings_of(REDIS_URL=ci, PYTEST_XDIST_WORKER="gw1")

    assert gw0["redis"] == gw0["cache"][0] == gw0["layer"]["hosts"][0] == gw0["broker"] == ci
    assert (
        gw1["redis"]
        == gw1["cache"][0]
        == gw1["layer"]["hosts"][0]
        == gw1["broker"]
        == "redis://127.0.0.1:6379/8"
    )
    assert gw0["layer"]["prefix"] != gw1["layer"]["prefix"]
    assert gw0["cache"][1] != gw1["cache"][1]


def test_a_serial_run_uses_the_redis_database_it_was_given():
    serial = _settings_of(REDIS_URL="redis://127.0.0.1:6379/7")
    assert serial["redis"] == serial["cache"][0] == "redis://127.0.0.1:6379/7"


def test_too_many_workers_for_redis_databases_is_refused_with_a_clear_message():
    result = _test_settings(REDIS_URL="redis://127.0.0.1:6379/7", PYTEST_XDIST_WORKER="gw9")
    assert result.returncode != 0
    assert "would need Redis database 16" in result.stderr
