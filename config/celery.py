"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is static
(CELERY_BEAT_SCHEDULE in settings)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("devcrew")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _reset_db_pool_after_fork(**kwargs):
    """A forked worker must not share the parent's pooled PostgreSQL sockets."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()
        connection.close()
