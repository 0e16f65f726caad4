"""Production settings plus the benchmark's floor view (``make bench-http`` only)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "config.benchmarks.urls"
