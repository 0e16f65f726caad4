"""Everything under /api/v1/: each app contributes ``<app>/api/urls.py``."""

from django.urls import include, path

from config.discovery import app_modules

urlpatterns = [path("", include(module)) for module in app_modules("api.urls")]
