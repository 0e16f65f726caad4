"""Share links: a random token that lets whoever holds it read an unlisted or private
project, until it expires or is revoked. Views are counted."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, InvalidField, NotFound
from projects.models import Project, ShareLink
from projects.permissions import Action, ensure


@transaction.atomic
def share_link_create(*, actor, project: Project, expires_at: datetime | None = None) -> ShareLink:
    ensure(actor, project, Action.SHARE_LINK_MANAGE)
    if project.visibility == Project.Visibility.PUBLIC:
        raise Conflict("Public projects need no share link: anyone can read them.", type="project_public")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidField("expires_at", "The expiry must be in the future.")
    return ShareLink.objects.create(
        project=project, token=secrets.token_urlsafe(24), created_by=actor, expires_at=expires_at
    )


@transaction.atomic
def share_link_revoke(*, actor, share_link: ShareLink) -> ShareLink:
    ensure(actor, share_link.project, Action.SHARE_LINK_MANAGE)
    if share_link.revoked_at is None:
        share_link.revoked_at = timezone.now()
        share_link.save(update_fields=["revoked_at"])
    return share_link


def share_link_open(*, token: str) -> ShareLink:
    """The valid link for ``token``, its view counted; ``NotFound`` for an unknown,
    expired or revoked token (the three are indistinguishable to the holder)."""
    from projects.selectors import share_link_by_token

    share_link = share_link_by_token(token) if token else None
    if share_link is None or not share_link.is_valid:
        raise NotFound("This link is not valid (it may have expired or been revoked).")
    now = timezone.now()
    ShareLink.objects.filter(pk=share_link.pk).update(views=F("views") + 1, last_viewed_at=now)
    share_link.views += 1
    share_link.last_viewed_at = now
    return share_link
