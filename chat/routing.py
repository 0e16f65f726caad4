from django.urls import path

from chat.consumers import ChatConsumer
from chat.rooms.consumers import RoomConsumer
from config.websocket import socket_path

websocket_urlpatterns = [
    path("ws/chat/<str:conversation_id>/", ChatConsumer.as_asgi(), name="conversation"),
    path("ws/projects/<str:slug>/room/", RoomConsumer.as_asgi(), name="project-room"),
]


def conversation_socket_path(conversation_id: int) -> str:
    return socket_path(websocket_urlpatterns, "conversation", conversation_id=conversation_id)


def room_socket_path(slug: str) -> str:
    return socket_path(websocket_urlpatterns, "project-room", slug=slug)
