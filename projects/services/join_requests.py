"""Join requests: a logged-in user asks to join a public project; a maintainer answers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.errors import Conflict, NotFound
from projects.models import JoinRequest, Membership, Notification, Project
from projects.permissions import Action, access_for, ensure
from projects.services.membership import membership_add
from projects.services.notifications import notification_create


@transaction.atomic
def join_request_create(*, user, project: Project, message: str = "") -> JoinRequest:
    access = access_for(user, project)
    if access.is_member:
        access.ensure(Action.VIEW)
        raise Conflict("You are already a member.", type="already_member")
    access.ensure(Action.REQUEST_JOIN)
    if JoinRequest.objects.filter(project=project, user=user, status=JoinRequest.Status.PENDING).exists():
        raise Conflict("You already asked to join; a maintainer will answer.", type="join_request_pending")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(project=project, user=user, message=message.strip())
    except IntegrityError as exc:
        raise Conflict("You already asked to join.", type="join_request_pending") from exc
    managers = Membership.objects.filter(
        project=project, role__in=[Membership.Role.OWNER, Membership.Role.MAINTAINER]
    ).select_related("user")
    for manager in managers:
        notification_create(
            recipient=manager.user,
            kind=Notification.Kind.JOIN_REQUEST_RECEIVED,
            text=f"{user.username} asks to join {project.name}",
            url=reverse("projects:members", kwargs={"slug": project.slug}),
        )
    return join_request


def _lock_pending(join_request: JoinRequest) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().select_related("project", "user").get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        raise Conflict(
            f"This request is already {locked.get_status_display().lower()}.",
            type=f"join_request_{locked.status}",
        )
    return locked


def _decide(*, actor, join_request: JoinRequest, status: str) -> JoinRequest:
    ensure(actor, join_request.project, Action.JOIN_REQUEST_MANAGE)
    join_request = _lock_pending(join_request)
    join_request.status = status
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    project = join_request.project
    verb = "accepted" if status == JoinRequest.Status.ACCEPTED else "declined"
    notification_create(
        recipient=join_request.user,
        kind=Notification.Kind.JOIN_REQUEST_ANSWERED,
        text=f"Your request to join {project.name} was {verb}",
        url=project.get_absolute_url() if status == JoinRequest.Status.ACCEPTED else reverse("projects:list"),
    )
    return join_request


@transaction.atomic
def join_request_accept(*, actor, join_request: JoinRequest) -> Membership:
    join_request = _decide(actor=actor, join_request=join_request, status=JoinRequest.Status.ACCEPTED)
    return membership_add(project=join_request.project, user=join_request.user)


@transaction.atomic
def join_request_decline(*, actor, join_request: JoinRequest) -> JoinRequest:
    return _decide(actor=actor, join_request=join_request, status=JoinRequest.Status.DECLINED)


@transaction.atomic
def join_request_withdraw(*, user, join_request: JoinRequest) -> JoinRequest:
    if join_request.user_id != user.pk:
        raise NotFound("Join request not found.")
    join_request = _lock_pending(join_request)
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    return join_request
