"""Reads: querysets that already carry their joins, scoped to the viewer."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from profiles.models import Skill, SkillAlias
from profiles.taxonomy import skill_key
from projects.models import (
    Invitation,
    JoinRequest,
    Membership,
    Milestone,
    Notification,
    NotificationPreference,
    Project,
    ProjectSkill,
    ShareLink,
    Task,
)

User = get_user_model()


def required_skills_prefetch() -> Prefetch:
    return Prefetch("required_skills", queryset=ProjectSkill.objects.select_related("skill"))


def skill_filter(name: str) -> Q:
    """Projects requiring the skill that ``name`` names (canonical name, slug or alias)."""
    key = skill_key(name)
    skills = Skill.objects.filter(
        Q(key=key)
        | Q(slug=name.strip().lower())
        | Q(pk__in=SkillAlias.objects.filter(key=key).values("skill_id"))
    )
    return Q(pk__in=ProjectSkill.objects.filter(skill__in=skills).values("project_id"))


def _with_list_joins(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return (
        queryset.select_related("owner")
        .prefetch_related(required_skills_prefetch())
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-created_at", "-id")  # aggregation drops Meta.ordering
    )


def _member_of_q(user) -> Q:
    # A subquery, not a join: joining memberships would also restrict ``member_count``.
    return Q(pk__in=Membership.objects.filter(user=user).values("project_id"))


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects the user may find in listings: public ones and those they belong to.

    Unlisted and private projects never appear to non-members, even to holders of a
    share link (the link itself is the only way in).
    """
    queryset = Project.objects.all()
    if user is None or not user.is_authenticated:
        queryset = queryset.filter(visibility=Project.Visibility.PUBLIC)
    else:
        queryset = queryset.filter(Q(visibility=Project.Visibility.PUBLIC) | _member_of_q(user))
    return _with_list_joins(queryset)


def project_text_q(text: str) -> Q:
    return (
        Q(name__icontains=text)
        | Q(summary__icontains=text)
        | Q(description__icontains=text)
        | Q(tags__icontains=text)
    )


def project_detail(slug: str) -> Project | None:
    """One project with what its page and API representation read, or None."""
    return _with_list_joins(Project.objects.filter(slug=slug)).first()


def projects_search(
    *,
    user,
    text: str = "",
    skill: str = "",
    status: str = "",
    visibility: str = "",
    mine: bool = False,
) -> QuerySet[Project]:
    queryset = projects_visible_to(user)
    if text:
        queryset = queryset.filter(project_text_q(text))
    if skill:
        queryset = queryset.filter(skill_filter(skill))
    if status:
        queryset = queryset.filter(status=status)
    if visibility:
        queryset = queryset.filter(visibility=visibility)
    if mine:
        if user is None or not user.is_authenticated:
            return queryset.none()
        queryset = queryset.filter(_member_of_q(user))
    return queryset


def projects_for_member(user) -> QuerySet[Project]:
    """The projects ``user`` belongs to, whatever their visibility (dashboard)."""
    return _with_list_joins(Project.objects.filter(_member_of_q(user))).order_by("-updated_at")


def projects_joined(user) -> QuerySet[Project]:
    """The projects ``user`` belongs to, by name, without the listings' joins (choices, menus)."""
    return Project.objects.filter(_member_of_q(user)).order_by("name")


def projects_public_for_user(user) -> QuerySet[Project]:
    """The public projects ``user`` owns or belongs to (their public profile)."""
    return _with_list_joins(
        Project.objects.filter(_member_of_q(user), visibility=Project.Visibility.PUBLIC)
    ).order_by("-created_at")


def project_by_slug(slug: str) -> Project | None:
    return Project.objects.select_related("owner").filter(slug=slug).first()


def share_link_by_token(token: str) -> ShareLink | None:
    return ShareLink.objects.select_related("project", "project__owner").filter(token=token).first()


def members_of(project: Project, *, viewer) -> QuerySet[Membership]:
    """The team, owner first, with each user's profile joined.

    Each membership carries ``profile_shown``: whether ``viewer`` may see that member's
    profile (``profiles.selectors.profile_visible_q``). Listings show a member's time
    zone, level, names and skills only when it is true; the username and role always.
    """
    from django.db.models import BooleanField, Case, IntegerField, Value, When

    from profiles.selectors import profile_visible_q

    role_order = {Membership.Role.OWNER: 0, Membership.Role.MAINTAINER: 1, Membership.Role.MEMBER: 2}
    return (
        Membership.objects.filter(project=project)
        .select_related("user", "user__profile")
        .annotate(
            role_rank=Case(
                *[When(role=role, then=Value(rank)) for role, rank in role_order.items()],
                output_field=IntegerField(),
            ),
            profile_shown=Case(
                When(profile_visible_q(viewer, path="user__profile__"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("role_rank", "joined_at", "id")
    )


def milestones_of(project: Project) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(project=project)
        .annotate(
            task_count=Count("tasks"), done_count=Count("tasks", filter=Q(tasks__status=Task.Status.DONE))
        )
        .order_by("order", "due_date", "id")
    )


def tasks_of(project: Project) -> QuerySet[Task]:
    # The assignee's profile too: the board's cards show their avatar.
    return Task.objects.filter(project=project).select_related(
        "assignee", "assignee__profile", "milestone", "required_skill"
    )


def invitations_of(project: Project) -> QuerySet[Invitation]:
    return Invitation.objects.filter(project=project).select_related("user", "invited_by", "project")


def invitation_addressed_q(user) -> Q:
    """Invitations addressed to ``user``: to their account, or to their email address."""
    addressed = Q(user=user)
    if user.email:
        addressed |= Q(user__isnull=True, email__iexact=user.email)
    return addressed


def invitations_open_for_user(user) -> QuerySet[Invitation]:
    """Pending, unexpired invitations addressed to ``user`` (by account or by email)."""
    if user is None or not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            invitation_addressed_q(user), status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("project", "project__owner", "invited_by", "user")
        .order_by("-created_at")
    )


def invitation_by_id(invitation_id: int) -> Invitation | None:
    """Any invitation, for the service to decide who may answer it."""
    return Invitation.objects.select_related("project").filter(pk=invitation_id).first()


def join_requests_of(project: Project) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(project=project).select_related("user", "project")


def join_request_by_id(join_request_id: int) -> JoinRequest | None:
    """Any join request, for the service to decide who may answer it."""
    return JoinRequest.objects.select_related("project", "user").filter(pk=join_request_id).first()


def join_request_pending(*, project: Project, user) -> JoinRequest | None:
    """``user``'s unanswered request to join ``project``."""
    return JoinRequest.objects.filter(project=project, user=user, status=JoinRequest.Status.PENDING).first()


def join_requests_pending_for_manager(user) -> QuerySet[JoinRequest]:
    """Pending join requests on projects ``user`` maintains or owns (dashboard)."""
    managed = Membership.objects.filter(
        user=user, role__in=[Membership.Role.OWNER, Membership.Role.MAINTAINER]
    ).values("project_id")
    return (
        JoinRequest.objects.filter(project_id__in=managed, status=JoinRequest.Status.PENDING)
        .select_related("user", "project")
        .order_by("-created_at")
    )


def share_links_of(project: Project) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(project=project).select_related("project")


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notifications_unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_email_enabled(user) -> bool:
    """Whether ``user`` wants project notifications by email (yes unless they said no)."""
    preference = (
        NotificationPreference.objects.filter(user=user).values_list("email_enabled", flat=True).first()
    )
    return True if preference is None else preference


def project_for_viewer_prefetch(queryset: QuerySet[Project], user) -> QuerySet[Project]:
    """Attach the viewer's own membership so ``permissions.access_for`` needs no query."""
    if user is None or not user.is_authenticated:
        return queryset
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(user=user), to_attr=None)
    )
