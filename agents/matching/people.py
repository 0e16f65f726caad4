"""Loading people for the matcher: who is eligible, and their relevant skill rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agents.matching.scoring import Candidate
from profiles.models import Profile, ProfileSkill, Visibility
from projects.models import Invitation, Membership, Project

PROFILE_FIELDS = (
    "user_id",
    "user__username",
    "experience_level",
    "timezone",
    "working_hours_start",
    "working_hours_end",
    "availability_hours",
    "looking_for_team",
)


def eligible(
    project: Project,
    *,
    prefix: str = "",
    include_members: bool = False,
    exclude_usernames: Iterable[str] = (),
    usernames: Iterable[str] | None = None,
) -> Q:
    """Profiles the matcher may propose for ``project``: visible (public or members-only),
    active, not a member, not invited (pending and unexpired), not excluded.

    ``prefix`` ("profile__") applies the same rule to rows that point at a profile.
    ``include_members`` keeps members and invitees (to score the current team).
    """
    user_ref = OuterRef(f"{prefix}user_id")
    rule = Q(
        **{
            f"{prefix}visibility__in": [Visibility.PUBLIC, Visibility.MEMBERS],
            f"{prefix}user__is_active": True,
        }
    )
    if not include_members:
        members = Membership.objects.filter(project=project, user_id=user_ref)
        invited = Invitation.objects.filter(
            project=project,
            user_id=user_ref,
            status=Invitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        rule &= Q(~Exists(members)) & Q(~Exists(invited))
    excluded = [name for name in exclude_usernames if name]
    if excluded:
        rule &= ~Q(**{f"{prefix}user__username__in": excluded})
    if usernames is not None:
        rule &= Q(**{f"{prefix}user__username__in": list(usernames)})
    return rule


def candidate_from_row(row: tuple) -> Candidate:
    user_id, username, level, tz, start, end, hours, looking = row
    return Candidate(
        user_id=user_id,
        username=username,
        level=level,
        timezone=tz,
        start=start,
        end=end,
        availability_hours=hours,
        looking_for_team=looking,
    )


def candidates_with_skills(profiles: Q, skill_ids: set[int]) -> list[Candidate]:
    """People matching ``profiles`` who hold at least one of ``skill_ids``: one query.

    Reads only the (profile, relevant skill) rows, with the profile's fields alongside.
    """
    by_user: dict[int, Candidate] = {}
    rows = (
        ProfileSkill.objects.filter(skill_id__in=skill_ids)
        .filter(profile__in=Profile.objects.filter(profiles))
        .values_list(*(f"profile__{name}" for name in PROFILE_FIELDS), "skill_id", "years", "skill__name")
    )
    for row in rows:
        user_id = row[0]
        candidate = by_user.get(user_id)
        if candidate is None:
            candidate = by_user[user_id] = candidate_from_row(row[:8])
        candidate.years[row[8]] = row[9]
        candidate.names[row[8]] = row[10]
    return list(by_user.values())


def candidates_named(profiles: Q, skill_ids: set[int]) -> list[Candidate]:
    """People matching ``profiles`` whatever their skills (a short list): two queries."""
    by_user = {
        row[0]: candidate_from_row(row)
        for row in Profile.objects.filter(profiles).values_list(*PROFILE_FIELDS)
    }
    if by_user and skill_ids:
        for user_id, skill_id, years, name in ProfileSkill.objects.filter(
            profile__user_id__in=by_user, skill_id__in=skill_ids
        ).values_list("profile__user_id", "skill_id", "years", "skill__name"):
            by_user[user_id].years[skill_id] = years
            by_user[user_id].names[skill_id] = name
    return list(by_user.values())
