from django.urls import path

from agents.consumers import AgentRunConsumer

websocket_urlpatterns = [
    path("ws/agent-runs/<str:run_id>/", AgentRunConsumer.as_asgi()),
]
