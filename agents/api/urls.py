"""Agents routes under /api/v1/ (every path ends with "/"; the request guard also serves
it without, so ``agent-runs/<id>/cancel`` works as documented)."""

from django.urls import path

from agents.api.runs import AgentRunViewSet
from agents.api.views import AgentViewSet

urlpatterns = [
    path("agents/", AgentViewSet.as_view({"get": "list", "post": "create"}), name="agent-list"),
    path(
        "agents/<int:pk>/",
        AgentViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="agent-detail",
    ),
    path(
        "agent-runs/",
        AgentRunViewSet.as_view({"get": "list", "post": "create"}),
        name="agent-run-list",
    ),
    path("agent-runs/<int:pk>/", AgentRunViewSet.as_view({"get": "retrieve"}), name="agent-run-detail"),
    path(
        "agent-runs/<int:pk>/cancel/",
        AgentRunViewSet.as_view({"post": "cancel"}),
        name="agent-run-cancel",
    ),
    path(
        "agent-runs/<int:pk>/apply/",
        AgentRunViewSet.as_view({"post": "apply"}),
        name="agent-run-apply",
    ),
]
