"""Who a user is on a page: the name people read and the picture beside it.

``display_name(user)`` is the profile's display name, else the user's full name, else the
username. ``avatar_html(user, size)`` is the uploaded picture when the profile has one,
otherwise a generated initials avatar (an inline SVG: no file, no request, no inline
style for the CSP to refuse). The colour comes from the username, so a person keeps the
same colour on every page; every colour of the palette carries white text at WCAG AA.

Pages show avatars through one template tag, ``{% load avatars %}{% avatar user 32 %}``
(``profiles.templatetags.avatars``). The avatar is decorative: a name is always next to
it. It respects the profile's visibility for the viewer (the request's user): a profile
the viewer may not see gives neither its picture nor its display name's initials, only
the username's. Lists that show many users select ``user__profile`` (or ``profile``) with them, so
the tag costs no query per row.
"""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html

from profiles.models import Profile, Visibility

# Dark enough for white initials at >= 4.5:1.
PALETTE = (
    "#1e6091",
    "#2d6a4f",
    "#7b2cbf",
    "#9d0208",
    "#6a4c93",
    "#b5179e",
    "#8a5a00",
    "#006d77",
    "#3a0ca3",
    "#495057",
)
WORD_SPLIT = re.compile(r"[\s._\-]+")


def _as_user(user_or_profile):
    return user_or_profile.user if isinstance(user_or_profile, Profile) else user_or_profile


def profile_or_none(user):
    """The user's profile, or None (no profile yet, or no user)."""
    if user is None:
        return None
    if isinstance(user, Profile):
        return user
    try:
        return user.profile
    except (ObjectDoesNotExist, AttributeError):
        return None


def display_name(user) -> str:
    """Of a user (or a profile)."""
    user = _as_user(user)
    if user is None:
        return ""
    profile = profile_or_none(user)
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.username


def initials(name: str) -> str:
    words = [word for word in WORD_SPLIT.split(name.strip()) if word]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar_colour(key: str) -> str:
    digest = hashlib.blake2s(key.lower().encode(), digest_size=2).digest()
    return PALETTE[int.from_bytes(digest, "big") % len(PALETTE)]


def picture_url(profile) -> str:
    """The uploaded picture's URL, or "" (``portfolio`` adds uploads as ``Profile.avatar``)."""
    picture = getattr(profile, "avatar", None)
    if not picture:
        return ""
    try:
        return picture.url
    except ValueError:  # a file field without a file
        return ""


def visible_to(profile, viewer) -> bool:
    """The rule of ``profiles.selectors.profiles_visible_to``, for one loaded profile."""
    if profile.visibility == Visibility.PUBLIC:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return profile.visibility == Visibility.MEMBERS or viewer.pk == profile.user_id


def avatar_html(user, size: int = 32, *, viewer=None, check_visibility: bool = False) -> str:
    """Of a user (or a profile), ``size`` pixels square; with ``check_visibility``, only
    what ``viewer`` may see of the profile."""
    user = _as_user(user)
    size = max(12, min(int(size), 256))
    profile = profile_or_none(user)
    if profile is not None and check_visibility and not visible_to(profile, viewer):
        profile = None
    url = picture_url(profile) if profile is not None else ""
    if url:
        return format_html(
            '<img class="avatar" src="{}" width="{}" height="{}" alt="" loading="lazy">', url, size, size
        )
    if user is None:
        name = ""
    elif profile is not None and profile.display_name:
        name = profile.display_name
    else:
        name = user.get_full_name() if not check_visibility else ""
        name = name or user.username
    key = user.username if user is not None else ""
    return format_html(
        '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 40 40" aria-hidden="true"'
        ' focusable="false"><circle cx="20" cy="20" r="20" fill="{colour}"/>'
        '<text x="20" y="20" dy=".35em" text-anchor="middle" fill="#fff" font-size="16"'
        ' font-weight="600" font-family="system-ui, sans-serif">{initials}</text></svg>',
        size=size,
        colour=avatar_colour(key),
        initials=initials(name),
    )
