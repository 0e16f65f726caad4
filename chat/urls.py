from django.urls import path

from chat import views
from chat.rooms import views as room_views

app_name = "chat"

urlpatterns = [
    path("chat/", views.index, name="index"),
    path("chat/new/", views.new, name="new"),
    path("chat/<int:pk>/", views.detail, name="detail"),
    path("chat/<int:pk>/send/", views.send, name="send"),
    path("chat/<int:pk>/stop/", views.stop, name="stop"),
    path("chat/<int:pk>/settings/", views.update, name="update"),
    path("chat/<int:pk>/delete/", views.delete, name="delete"),
    path("chat/<int:pk>/messages/<int:message_id>/regenerate/", views.regenerate, name="regenerate"),
    path("chat/<int:pk>/messages/<int:message_id>/edit/", views.edit, name="edit"),
    path("chat/<int:pk>/messages/<int:message_id>/show/", views.show_version, name="show_version"),
    path("projects/<slug:slug>/room/", room_views.room, name="room"),
    path("projects/<slug:slug>/room/send/", room_views.room_send, name="room-send"),
    path(
        "projects/<slug:slug>/room/messages/<int:message_id>/delete/",
        room_views.room_message_delete,
        name="room-message-delete",
    ),
]
