"""The room page ``/projects/<slug>/room/``. Without JavaScript the history renders (with a
link to older messages) and the form posts here; ``static/js/room.js`` upgrades the page to
the live socket: messages as they come, typing, who is online, mention autocomplete and
older messages loaded while scrolling up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chat.rooms import selectors, services
from chat.routing import room_socket_path
from config.errors import DomainError, NotFound
from projects.permissions import Role


def _room(request, slug: str):
    try:
        return selectors.room_for(user=request.user, slug=slug)
    except NotFound:
        raise Http404("Project not found.") from None


@login_required
def room(request, slug: str):
    project, access = _room(request, slug)
    try:
        page, has_older = selectors.room_messages(project=project, before=request.GET.get("before"))
    except DomainError:
        raise Http404("No such page of the room.") from None
    members = list(selectors.room_members(project))
    return render(
        request,
        "chat/room.html",
        {
            "project": project,
            "room_messages": page,
            "has_older": has_older,
            "older_cursor": page[0].pk if page else None,
            "paged": bool(request.GET.get("before")),
            "members": members,
            "can_moderate": access.role >= Role.MAINTAINER,
            "socket_path": room_socket_path(project.slug),
        },
    )


@login_required
@require_POST
def room_send(request, slug: str):
    project, _access = _room(request, slug)
    try:
        services.room_message_send(
            user=request.user, project=project, content=request.POST.get("content", "")
        )
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect(reverse("chat:room", args=[project.slug]) + "#room-end")


@login_required
@require_POST
def room_message_delete(request, slug: str, message_id: int):
    project, _access = _room(request, slug)
    try:
        services.room_message_delete(user=request.user, project=project, message_id=message_id)
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect(reverse("chat:room", args=[project.slug]))
