"""Invitations: a maintainer invites someone by username or email; they accept or decline
within 14 days; a maintainer may revoke a pending one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.emails import email_send_on_commit
from config.errors import Conflict, InvalidField, NotFound
from projects.emails import invitation_email
from projects.models import INVITATION_LIFETIME, Invitation, JoinRequest, Membership, Notification, Project
from projects.permissions import Action, ensure
from projects.services.membership import membership_add
from projects.services.notifications import notification_create, notifications_settle

User = get_user_model()


def _invitee_resolve(*, username: str, email: str):
    """(user or None, email) for the invitee named by username or by email."""
    if bool(username) == bool(email):
        raise InvalidField("username", "Give either a username or an email address.")
    if username:
        user = User.objects.filter(username__iexact=username.strip().lstrip("@"), is_active=True).first()
        if user is None:
            raise InvalidField("username", f"There is no user called “{username}”.")
        return user, ""
    email = email.strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    return user, ("" if user else email)


def _expire_stale(project: Project, *, user=None, email: str = "") -> None:
    stale = Invitation.objects.filter(
        project=project, status=Invitation.Status.PENDING, expires_at__lte=timezone.now()
    )
    stale = stale.filter(user=user) if user is not None else stale.filter(email__iexact=email)
    stale.update(status=Invitation.Status.EXPIRED)


@transaction.atomic
def invitation_create(
    *, actor, project: Project, username: str = "", email: str = "", message: str = ""
) -> Invitation:
    ensure(actor, project, Action.INVITATION_MANAGE)
    user, email = _invitee_resolve(username=username, email=email)
    if user is not None:
        if user.pk == actor.pk:
            raise InvalidField("username", "You cannot invite yourself.")
        if Membership.objects.filter(project=project, user=user).exists():
            raise Conflict(f"{user.username} is already a member.", type="already_member")
    _expire_stale(project, user=user, email=email)
    pending = Invitation.objects.filter(project=project, status=Invitation.Status.PENDING)
    pending = pending.filter(user=user) if user is not None else pending.filter(email__iexact=email)
    if pending.exists():
        raise Conflict("This person already has a pending invitation.", type="invitation_pending")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                project=project,
                invited_by=actor,
                user=user,
                email=email,
                message=message.strip(),
                expires_at=timezone.now() + INVITATION_LIFETIME,
            )
    except IntegrityError as exc:  # a concurrent invite of the same person
        raise Conflict("This person already has a pending invitation.", type="invitation_pending") from exc
    if user is not None:  # in the app, and by email when they keep project emails on
        notification_create(
            recipient=user,
            kind=Notification.Kind.INVITATION_RECEIVED,
            text=f"{actor.username} invited you to join {project.name}",
            url=project.get_absolute_url(),
            email=invitation_email(invitation),
        )
    else:
        email_send_on_commit(invitation_email(invitation), to=email)
    return invitation


def _invitation_notifications_read(invitation: Invitation, user) -> None:
    """The "you are invited" notification is settled once the invitee answers."""
    notifications_settle(
        user=user, kind=Notification.Kind.INVITATION_RECEIVED, url=invitation.project.get_absolute_url()
    )


def _is_addressed_to(invitation: Invitation, user) -> bool:
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    return bool(user.email) and invitation.email.lower() == user.email.lower()


def _lock_for_invitee(invitation: Invitation, user) -> Invitation:
    """Re-read the invitation under a row lock and check it is ``user``'s and still open.

    Someone else's invitation is reported as missing (404), not forbidden.
    """
    locked = Invitation.objects.select_for_update().select_related("project").get(pk=invitation.pk)
    if user is None or not user.is_authenticated or not _is_addressed_to(locked, user):
        raise NotFound("Invitation not found.")
    _ensure_open(locked)
    return locked


def _ensure_open(invitation: Invitation) -> None:
    # Expiry is read from ``expires_at``; ``invitations_expire`` updates the status later.
    if invitation.is_expired:
        raise Conflict("This invitation has expired.", type="invitation_expired")
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict(
            f"This invitation is already {invitation.get_status_display().lower()}.",
            type=f"invitation_{invitation.status}",
        )


def _answer(*, invitation: Invitation, user, status: str) -> Invitation:
    """The invitee's answer: the invitation is settled, so is its notification, and the
    inviter hears of it."""
    invitation = _lock_for_invitee(invitation, user)
    invitation.status = status
    invitation.responded_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["status", "responded_at", "user"])
    _invitation_notifications_read(invitation, user)
    if invitation.invited_by_id:
        project = invitation.project
        if status == Invitation.Status.ACCEPTED:
            verb, url = "accepted", project.get_absolute_url()
        else:
            verb, url = "declined", reverse("projects:members", kwargs={"slug": project.slug})
        notification_create(
            recipient=invitation.invited_by,
            kind=Notification.Kind.INVITATION_ANSWERED,
            text=f"{user.username} {verb} your invitation to {project.name}",
            url=url,
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = _answer(invitation=invitation, user=user, status=Invitation.Status.ACCEPTED)
    # A request to join the same project is answered by the same yes.
    JoinRequest.objects.filter(
        project=invitation.project, user=user, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.ACCEPTED, decided_at=timezone.now())
    return membership_add(project=invitation.project, user=user)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user) -> Invitation:
    return _answer(invitation=invitation, user=user, status=Invitation.Status.DECLINED)


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    ensure(actor, invitation.project, Action.INVITATION_MANAGE)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _ensure_open(invitation)
    invitation.status = Invitation.Status.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def invitations_expire() -> int:
    """Mark every pending invitation past its expiry as expired (periodic cleanup)."""
    return Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=timezone.now()).update(
        status=Invitation.Status.EXPIRED
    )
