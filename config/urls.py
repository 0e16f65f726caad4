"""Every page and endpoint of the site, one line (or one ``include``) each.

Apps' page routes carry their own prefixes (``<app>/urls.py``) and are mounted at the
root; the API is ``config/api/urls.py``; the WebSocket routes are in ``config/asgi.py``.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # Browser pages: profile/setup/… (wizard), u/<username>/, people/
    path("", include("profiles.urls")),
    # projects/…: list, new, <slug>/ with team, board and share links, invitations, notifications
    path("", include("projects.urls")),
    # agents/…: custom agents, agents/runs/…
    path("", include("agents.urls")),
    # chat/…: conversations with the assistants
    path("", include("chat.urls")),
    # API (JSON, JWT bearer or session), its OpenAPI schema and Swagger UI
    path("api/v1/", include("config.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Probes for the load balancer / orchestrator
    path("health/live", health.live, name="health-live"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media, name="media"),
    path("health/ready", health.ready, name="health-ready"),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
