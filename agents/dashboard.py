"""Dashboard panels of agents (config.views.home): "Suggested for you", the public
projects that need what the user knows (``agents.matching.suggest_projects``), and the
user's latest agent runs."""

from __future__ import annotations

from agents.matching import suggest_projects
from agents.runs.selectors import runs_of_owner

SUGGESTIONS = 5
RECENT_RUNS = 5


def panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    result = []
    suggestions = suggest_projects(user, limit=SUGGESTIONS)
    if suggestions:
        result.append({"template": "agents/runs/dashboard_suggestions.html", "suggestions": suggestions})
    runs = list(runs_of_owner(user)[:RECENT_RUNS])
    if runs:
        result.append({"template": "agents/runs/dashboard_runs.html", "runs": runs})
    return result
