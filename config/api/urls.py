"""Every endpoint under /api/v1/, one ``include`` per app (its ``<app>/api/urls.py``).

The rule for an app's API routes: ``path()`` with converters, every path ending with "/"
(the request guard, ``config.request_guard``, also serves a path without its slash, so
``auth/token`` and ``auth/token/`` are the same endpoint). No ``re_path``, no DRF router.
"""

from django.urls import include, path

from config.api.root import ApiRootView

urlpatterns = [
    # The API root: a link to every endpoint, grouped like the Swagger tags
    path("", ApiRootView.as_view(), name="api-root"),
    # auth/…, users/me/
    path("", include("accounts.api.urls")),
    # skills/, profiles/ (search), profiles/me/, profiles/<username>/
    path("", include("profiles.api.urls")),
    # projects/… by slug with members, invitations, join requests, share links, milestones,
    # tasks; invitations/ and notifications/ of the caller
    path("", include("projects.api.urls")),
    # agents/, agent-runs/
    path("", include("agents.api.urls")),
    # conversations/ and their messages; projects/<slug>/room/messages/
    path("", include("chat.api.urls")),
]
