"""Find the optional modules each DevCrew app contributes (routing, api.urls, demo)."""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.conf import settings


def _exists(dotted: str) -> bool:
    try:
        return find_spec(dotted) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def app_modules(submodule: str) -> list[ModuleType]:
    """``<app>.<submodule>`` for every local app that has one, in INSTALLED_APPS order."""
    return [
        import_module(f"{app_label}.{submodule}")
        for app_label in settings.LOCAL_APPS
        if _exists(f"{app_label}.{submodule}")
    ]
