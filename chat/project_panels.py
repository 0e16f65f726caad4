"""The room's section of a project page (found by projects.views through
``config.discovery``): for members, the way into the room and its latest message."""

from __future__ import annotations

from chat.models import RoomMessage
from projects.permissions import Role


def panels(request, *, project, access) -> list[dict]:
    if access.role < Role.MEMBER:
        return []
    latest = (
        RoomMessage.objects.filter(project=project, deleted_at__isnull=True)
        .select_related("author")
        .order_by("-id")
        .first()
    )
    return [{"template": "chat/room_panel.html", "project": project, "latest": latest}]
