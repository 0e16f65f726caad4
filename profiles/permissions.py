"""Who may read a profile and its portfolio (experiences, case studies, images): the one
rulebook for pages, API and the assistant, in the shape of ``projects.permissions``.

Roles, weakest first:

* ``NONE`` — the profile is hidden from the viewer: every read is a 404, never a hint.
* ``SHARE_LINK`` — holds a valid share link of the profile: reads it, whatever its
  visibility, and nothing more.
* ``VIEWER`` — the profile's visibility lets them read it (public: anyone; members only:
  signed-in users).
* ``OWNER`` — reads and edits everything; the only one who sees share links.

Portfolio items have no visibility of their own: they follow their profile's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

from config.errors import NotFound
from profiles.selectors import profile_visible_to

if TYPE_CHECKING:
    from profiles.models import Profile


class Role(IntEnum):
    NONE = 0
    SHARE_LINK = 1
    VIEWER = 2
    OWNER = 3


@dataclass(frozen=True)
class ProfileAccess:
    profile: Profile
    role: Role

    @property
    def can_view(self) -> bool:
        return self.role >= Role.SHARE_LINK

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    def ensure_view(self) -> None:
        if not self.can_view:
            raise NotFound("No such profile.")


def profile_access(viewer, profile: Profile, *, share_link_valid: bool = False) -> ProfileAccess:
    """The viewer's access to ``profile`` (loaded with its user; no query).
    ``share_link_valid``: the viewer came through a valid share link of this profile."""
    if viewer is not None and viewer.is_authenticated and profile.user_id == viewer.pk:
        return ProfileAccess(profile, Role.OWNER)
    if profile_visible_to(profile, viewer):
        return ProfileAccess(profile, Role.VIEWER)
    if share_link_valid and profile.user.is_active:
        return ProfileAccess(profile, Role.SHARE_LINK)
    return ProfileAccess(profile, Role.NONE)
