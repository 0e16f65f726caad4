from django.urls import path

from chat.consumers import ChatConsumer
from config.websocket import socket_path

websocket_urlpatterns = [
    path("ws/chat/<str:conversation_id>/", ChatConsumer.as_asgi(), name="conversation"),
]


def conversation_socket_path(conversation_id: int) -> str:
    return socket_path(websocket_urlpatterns, "conversation", conversation_id=conversation_id)
