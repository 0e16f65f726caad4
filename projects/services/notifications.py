"""Notifications: the in-app row, mirrored by email for users who keep email on.

``notification_create`` is called by the other project services inside their transaction:
the row is part of it, and the email is only sent once it commits (a rolled-back
invitation mails nobody). Every notification is created here, so anything that must
happen to each new one (an email, a live push) is added in this one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from config.emails import Email, email_send_on_commit
from config.errors import NotFound
from projects import live, selectors
from projects.emails import notification_email
from projects.models import Notification, NotificationPreference

_emails_muted: ContextVar[bool] = ContextVar("projects_notification_emails_muted", default=False)


@contextmanager
def notification_emails_muted() -> Iterator[None]:
    """Create in-app notifications without emailing (demo data, bulk imports)."""
    token = _emails_muted.set(True)
    try:
        yield
    finally:
        _emails_muted.reset(token)


@transaction.atomic
def notification_create(
    *, recipient, kind: str, text: str, url: str = "", email: Email | None = None
) -> Notification:
    """Notify ``recipient``; users who keep project emails on also get ``email`` (by
    default the notification's own, ``projects.emails.notification_email``)."""
    notification = Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url)
    if recipient.email and not _emails_muted.get() and selectors.notification_email_enabled(recipient):
        email_send_on_commit(email or notification_email(notification), to=recipient.email)
    live.notification_push(notification)
    return notification


def notification_open(*, user, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read (clicking it); anyone else's is not found."""
    notification = selectors.notifications_for(user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("Notification not found.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        live.unread_count_push(user.pk)
    return notification


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark ``user``'s unread notifications read (all of them, or just ``ids``)."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    count = queryset.update(read_at=timezone.now())
    if count:
        live.unread_count_push(user.pk)
    return count


def notifications_settle(*, user, kind: str, url: str) -> int:
    """Mark read ``user``'s unread notifications of ``kind`` about ``url``: the thing they
    pointed at has been dealt with (an invitation answered)."""
    count = Notification.objects.filter(recipient=user, kind=kind, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        live.unread_count_push(user.pk)
    return count


@transaction.atomic
def notification_preference_set(*, user, email_enabled: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled}
    )
    return preference
