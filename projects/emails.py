"""Project emails: an invitation, and the mirror of an in-app notification.

Bodies are templates in projects/templates/projects/email/; config.emails renders them
with the site's name and address, so every link here is a path made absolute there.
"""

from __future__ import annotations

from django.urls import reverse

from config.emails import Email
from config.site import absolute_url
from projects.models import Invitation, Notification


def invitation_email(invitation: Invitation) -> Email:
    """To the invitee: who invites them to what, the inviter's own message, and where to
    answer (the project's page for an account, the sign-up page for an email address)."""
    project = invitation.project
    return Email(
        "projects/email/invitation",
        {
            "invitee": invitation.user,
            "inviter": invitation.invited_by,
            "project": project,
            "message": invitation.message,
            "expires_at": invitation.expires_at,
            "email": invitation.email,
            "answer_url": absolute_url(
                project.get_absolute_url() if invitation.user_id else reverse("account_signup")
            ),
        },
    )


def notification_email(notification: Notification) -> Email:
    return Email(
        "projects/email/notification",
        {
            "recipient": notification.recipient,
            "text": notification.text,
            "url": absolute_url(notification.url) if notification.url else "",
            "settings_url": absolute_url(reverse("home")),
        },
    )
