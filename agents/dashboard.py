"""Dashboard panels (config.views.home): "Suggested for you", the projects that need what
you know, ranked by the skill matcher (``agents.matching.suggest_projects``), and your
latest agent runs."""

from __future__ import annotations

from typing import Any

from agents.matching import suggest_projects
from agents.runs.selectors import runs_of_owner

SUGGESTIONS_SHOWN = 5
RECENT_RUNS = 5


def panels(request) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    result: list[dict[str, Any]] = [
        {
            "template": "agents/dashboard_suggestions.html",
            "suggestions": suggest_projects(user, limit=SUGGESTIONS_SHOWN),
        }
    ]
    runs = list(runs_of_owner(user)[:RECENT_RUNS])
    if runs:
        result.append({"template": "agents/runs/dashboard_runs.html", "runs": runs})
    return result
