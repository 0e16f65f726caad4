"""Dashboard panel (config.views.home): "Suggested for you", the projects that need what
you know, ranked by the skill matcher (``agents.matching.suggest_projects``)."""

from __future__ import annotations

from agents.matching import suggest_projects

SUGGESTIONS_SHOWN = 5


def panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    return [
        {
            "template": "agents/dashboard_suggestions.html",
            "suggestions": suggest_projects(user, limit=SUGGESTIONS_SHOWN),
        }
    ]
