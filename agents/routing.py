from django.urls import path

from agents.consumers import AgentRunConsumer
from config.websocket import socket_path

websocket_urlpatterns = [
    path("ws/agent-runs/<str:run_id>/", AgentRunConsumer.as_asgi(), name="agent-run"),
]


def agent_run_socket_path(run_id: int) -> str:
    return socket_path(websocket_urlpatterns, "agent-run", run_id=run_id)
