"""Reads of project rooms, scoped to the requesting user."""

from __future__ import annotations

from django.db.models import QuerySet

from chat.models import RoomMessage
from config.errors import DomainError, NotFound
from projects.models import Membership, Project
from projects.permissions import Access, Role, access_for

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def room_access(*, user, project: Project) -> Access:
    """The user's access to the project's room; ``NotFound`` unless they are a member."""
    access = access_for(user, project)
    if access.role < Role.MEMBER:
        raise NotFound("Project not found.")
    return access


def room_for(*, user, slug: str) -> tuple[Project, Access]:
    """The project whose room ``user`` may use, by slug; ``NotFound`` for anyone else."""
    project = Project.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    if project is None:
        raise NotFound("Project not found.")
    return project, room_access(user=user, project=project)


def room_messages_qs(project: Project) -> QuerySet[RoomMessage]:
    return (
        RoomMessage.objects.filter(project=project)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("id")
    )


def _cursor(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        cursor = int(value)
    except (TypeError, ValueError):
        raise _invalid_cursor(name) from None
    if cursor < 0:
        raise _invalid_cursor(name)
    return cursor


def _invalid_cursor(name: str) -> DomainError:
    detail = "A cursor is a message id (a positive integer)."
    return DomainError(detail, type="validation_error", fields={name: [detail]})


def room_messages(
    *, project: Project, before=None, since=None, limit: int = PAGE_SIZE
) -> tuple[list[RoomMessage], bool]:
    """A page of the room's history, oldest first, and whether there is more.

    ``before``: the ``limit`` messages just before that id (the latest ones without a
    cursor), "more" meaning older ones exist. ``since``: the first ``limit`` messages after
    that id (what a reconnecting client missed), "more" meaning newer ones exist.
    Deleted messages are included (without content) so a client can remove its copy.
    """
    before, since = _cursor(before, "before"), _cursor(since, "since")
    if before is not None and since is not None:
        raise DomainError(
            "Give either before or since, not both.",
            type="validation_error",
            fields={"since": ["Give either before or since, not both."]},
        )
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    queryset = room_messages_qs(project)
    if since is not None:
        page = list(queryset.filter(id__gt=since)[: limit + 1])
        return page[:limit], len(page) > limit
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    page = list(queryset.order_by("-id")[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit


def room_message_for(*, project: Project, message_id) -> RoomMessage:
    try:
        pk = int(message_id)
    except (TypeError, ValueError):
        raise NotFound("Message not found.") from None
    message = room_messages_qs(project).filter(pk=pk).first()
    if message is None:
        raise NotFound("Message not found.")
    return message


def room_members(project: Project) -> QuerySet[Membership]:
    """The people of the room (for mentions and presence), owner first."""
    return Membership.objects.filter(project=project).select_related("user").order_by("joined_at", "id")


def member_usernames(project: Project) -> dict[str, str]:
    """Members' usernames by lowercased username (how ``@mentions`` are matched)."""
    names = Membership.objects.filter(project=project).values_list("user__username", flat=True)
    return {name.lower(): name for name in names}
