"""Chat routes under /api/v1/ (every path ends with "/"; the request guard also serves
it without)."""

from django.urls import path

from chat.api import rooms, views

urlpatterns = [
    path(
        "conversations/",
        views.ConversationViewSet.as_view({"get": "list", "post": "create"}),
        name="api-conversation-list",
    ),
    path(
        "conversations/<int:pk>/",
        views.ConversationViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-conversation-detail",
    ),
    path(
        "conversations/<int:pk>/stop/",
        views.ConversationViewSet.as_view({"post": "stop"}),
        name="api-conversation-stop",
    ),
    path(
        "conversations/<int:conversation_id>/messages/",
        views.ConversationMessagesView.as_view(),
        name="api-conversation-messages",
    ),
    path(
        "conversations/<int:conversation_id>/messages/<int:message_id>/regenerate/",
        views.MessageRegenerateView.as_view(),
        name="api-message-regenerate",
    ),
    path(
        "conversations/<int:conversation_id>/messages/<int:message_id>/edit/",
        views.MessageEditView.as_view(),
        name="api-message-edit",
    ),
    path("projects/<str:slug>/room/messages/", rooms.RoomMessagesView.as_view(), name="api-room-messages"),
    path(
        "projects/<str:slug>/room/messages/<int:message_id>/",
        rooms.RoomMessageView.as_view(),
        name="api-room-message",
    ),
]
