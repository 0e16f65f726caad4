"""The ``config`` app: what the whole site needs when Django starts.

Settings are read, never acted on: importing them creates nothing. The folders the
embedded defaults write to are created here, in every process that starts Django (web,
Celery worker and beat, ``manage.py``): ``var/`` of the default SQLite file, ``STATIC_ROOT``
(whitenoise warns at startup when it is missing) and the folders of kombu's filesystem
broker, which the web process writes to and the worker reads from (and which kombu does
not create).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


def local_folders() -> list[Path]:
    """The local folders the current settings write to."""
    folders: list[Path] = []
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]).startswith(
        str(settings.VAR_DIR)
    ):
        # The embedded default only: a DATABASE_URL naming a missing folder stays an error.
        folders.append(Path(str(database["NAME"])).parent)
    if settings.STATIC_ROOT:
        folders.append(Path(settings.STATIC_ROOT))
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        folders += [
            Path(str(options[key])) for key in ("data_folder_in", "data_folder_out", "control_folder")
        ]
    return folders


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "DevCrew configuration"

    def ready(self) -> None:
        for folder in local_folders():
            folder.mkdir(parents=True, exist_ok=True)
