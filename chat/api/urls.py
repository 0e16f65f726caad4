"""Routes under /api/v1/; a trailing slash is optional everywhere (as in projects.api)."""

from django.urls import re_path

from chat.api import views

PK = r"(?P<pk>[0-9]+)"
CONVERSATION = r"(?P<conversation_id>[0-9]+)"
MESSAGE = r"(?P<message_id>[0-9]+)"


def route(pattern: str, view, name: str):
    return re_path(rf"^conversations/{pattern}/?$" if pattern else r"^conversations/?$", view, name=name)


urlpatterns = [
    route("", views.ConversationViewSet.as_view({"get": "list", "post": "create"}), "api-conversation-list"),
    route(
        PK,
        views.ConversationViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        "api-conversation-detail",
    ),
    route(f"{PK}/stop", views.ConversationViewSet.as_view({"post": "stop"}), "api-conversation-stop"),
    route(f"{CONVERSATION}/messages", views.ConversationMessagesView.as_view(), "api-conversation-messages"),
    route(
        f"{CONVERSATION}/messages/{MESSAGE}/regenerate",
        views.MessageRegenerateView.as_view(),
        "api-message-regenerate",
    ),
    route(f"{CONVERSATION}/messages/{MESSAGE}/edit", views.MessageEditView.as_view(), "api-message-edit"),
]
