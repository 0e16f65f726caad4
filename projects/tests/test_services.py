"""Business rules: projects, membership, invitations, join requests, share links, board."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from config.errors import Conflict, DomainError, Forbidden, NotFound
from projects.models import Invitation, JoinRequest, Membership, Notification, Project, ShareLink, Task
from projects.permissions import Action, access_for
from projects.services.board import milestone_create, task_create, task_delete, task_status_set, task_update
from projects.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    invitations_expire,
)
from projects.services.join_requests import (
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from projects.services.membership import member_leave, member_remove, member_role_set, ownership_transfer
from projects.services.notifications import notification_preference_set
from projects.services.projects import project_create, project_delete, project_update
from projects.services.share_links import share_link_create, share_link_open, share_link_revoke
from projects.tests.factories import MilestoneFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


# --- projects -------------------------------------------------------------------------------


def test_create_makes_the_creator_owner_and_resolves_skills_through_the_taxonomy():
    owner = UserFactory()
    project = project_create(
        owner=owner,
        name="Open Atlas",
        summary="Maps",
        visibility="private",
        timezone="Europe/Berlin",
        min_overlap_hours=3,
        tags="Maps, GIS, maps",
        required_skills=[
            {"skill": "postgres", "importance": "must", "min_level": "senior"},
            {"skill": "PostgreSQL", "importance": "nice"},  # the same skill: collapses
            {"skill": "Quantum Basket Weaving", "importance": "nice"},
        ],
    )
    assert project.slug == "open-atlas"
    assert Membership.objects.get(project=project, user=owner).role == Membership.Role.OWNER
    skills = list(project.required_skills.select_related("skill"))
    assert [(s.skill.name, s.importance, s.min_level) for s in skills] == [
        ("PostgreSQL", "must", "senior"),
        ("Quantum Basket Weaving", "nice", ""),
    ]
    assert skills[1].skill.is_reviewed is False
    assert project.tags == ["maps", "gis"]


def test_slugs_are_unique_and_never_shadow_pages():
    owner = UserFactory()
    assert project_create(owner=owner, name="Atlas").slug == "atlas"
    assert project_create(owner=owner, name="Atlas").slug == "atlas-2"
    assert project_create(owner=owner, name="New").slug == "new-project"
    assert project_create(owner=owner, name="!!!").slug == "project"


def test_an_unknown_timezone_is_a_field_error():
    with pytest.raises(DomainError) as caught:
        project_create(owner=UserFactory(), name="X", timezone="Mars/Olympus")
    assert "timezone" in caught.value.fields


def test_maintainers_edit_but_only_the_owner_changes_visibility_or_deletes(team):
    project_update(actor=team.maintainer, project=team.project, summary="New words")
    assert Project.objects.get(pk=team.project.pk).summary == "New words"
    with pytest.raises(Forbidden):
        project_update(actor=team.maintainer, project=team.project, visibility="private")
    with pytest.raises(Forbidden):
        project_delete(actor=team.maintainer, project=team.project)
    with pytest.raises(Forbidden):
        project_update(actor=team.member, project=team.project, summary="Nope")
    project_update(actor=team.owner, project=team.project, visibility="private")
    with pytest.raises(NotFound):
        project_update(actor=team.stranger, project=team.project, summary="Hidden now")
    project_delete(actor=team.owner, project=team.project)
    assert not Project.objects.filter(pk=team.project.pk).exists()


def test_update_replaces_required_skills(team):
    project_update(actor=team.owner, project=team.project, required_skills=[{"skill": "PostgreSQL"}])
    project_update(
        actor=team.owner, project=team.project, required_skills=[{"skill": "psql", "importance": "nice"}]
    )
    assert [(s.skill.name, s.importance) for s in team.project.required_skills.all()] == [
        ("PostgreSQL", "nice")
    ]


def test_bad_required_skill_values_are_field_errors(team):
    for items in (
        [{"skill": "PostgreSQL", "importance": "maybe"}],
        [{"skill": "  "}],
        [{"skill": "x", "min_level": "god"}],
    ):
        with pytest.raises(DomainError) as caught:
            project_update(actor=team.owner, project=team.project, required_skills=items)
        assert "required_skills" in caught.value.fields


# --- membership -----------------------------------------------------------------------------


def test_members_leave_but_the_owner_must_transfer_first(team):
    task = TaskFactory(project=team.project, assignee=team.member)
    member_leave(user=team.member, project=team.project)
    assert not Membership.objects.filter(project=team.project, user=team.member).exists()
    task.refresh_from_db()
    assert task.assignee is None  # tasks only ever point at members
    with pytest.raises(Conflict):
        member_leave(user=team.owner, project=team.project)


def test_maintainers_remove_members_but_only_the_owner_removes_maintainers(team):
    other_maintainer = UserFactory()
    Membership.objects.create(project=team.project, user=other_maintainer, role=Membership.Role.MAINTAINER)
    with pytest.raises(Forbidden):
        member_remove(actor=team.maintainer, project=team.project, user=other_maintainer)
    with pytest.raises(Forbidden):
        member_remove(actor=team.member, project=team.project, user=team.maintainer)
    with pytest.raises(Forbidden):
        member_remove(actor=team.maintainer, project=team.project, user=team.owner)
    member_remove(actor=team.maintainer, project=team.project, user=team.member)
    member_remove(actor=team.owner, project=team.project, user=other_maintainer)
    assert set(team.project.memberships.values_list("user__username", flat=True)) == {
        team.owner.username,
        team.maintainer.username,
    }


def test_only_the_owner_changes_roles(team):
    with pytest.raises(Forbidden):
        member_role_set(actor=team.maintainer, project=team.project, user=team.member, role="maintainer")
    member_role_set(actor=team.owner, project=team.project, user=team.member, role="maintainer")
    assert access_for(team.member, team.project).can(Action.EDIT)
    with pytest.raises(DomainError):
        member_role_set(actor=team.owner, project=team.project, user=team.member, role="owner")


def test_ownership_transfer_keeps_one_owner_and_notifies_the_new_one(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(Forbidden):
        ownership_transfer(actor=team.maintainer, project=team.project, new_owner=team.maintainer)
    with pytest.raises(DomainError):
        ownership_transfer(actor=team.owner, project=team.project, new_owner=team.stranger)
    with django_capture_on_commit_callbacks(execute=True):
        ownership_transfer(actor=team.owner, project=team.project, new_owner=team.member)
    team.project.refresh_from_db()
    assert team.project.owner == team.member
    roles = dict(team.project.memberships.values_list("user__username", "role"))
    assert roles[team.member.username] == "owner"
    assert roles[team.owner.username] == "maintainer"
    assert Notification.objects.filter(recipient=team.member, kind="ownership_transferred").exists()
    assert [m.to for m in mailoutbox] == [[team.member.email]]


# --- invitations ----------------------------------------------------------------------------


def test_invitation_life_cycle_by_username(team, mailoutbox, django_capture_on_commit_callbacks):
    invitee = UserFactory(username="grace")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=team.maintainer, project=team.project, username="@Grace", message="Join!"
        )
    assert invitation.user == invitee
    assert invitation.expires_at - timezone.now() > timedelta(days=13, hours=23)
    notification = Notification.objects.get(recipient=invitee)
    assert notification.kind == "invitation_received" and team.project.name in notification.text
    assert mailoutbox[-1].to == [invitee.email]

    with pytest.raises(Conflict):  # one pending invitation per person
        invitation_create(actor=team.owner, project=team.project, username="grace")

    invitation_accept(invitation=invitation, user=invitee)
    assert Membership.objects.get(project=team.project, user=invitee).role == "member"
    notification.refresh_from_db()
    assert notification.read_at is not None  # answering settles the notification
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_at
    assert Notification.objects.filter(recipient=team.maintainer, kind="invitation_answered").exists()

    with pytest.raises(Conflict) as caught:  # double accept
        invitation_accept(invitation=invitation, user=invitee)
    assert caught.value.type == "invitation_accepted"
    assert Membership.objects.filter(project=team.project, user=invitee).count() == 1
    with pytest.raises(Conflict):  # already a member now
        invitation_create(actor=team.owner, project=team.project, username="grace")


def test_only_maintainers_invite(team):
    with pytest.raises(Forbidden):
        invitation_create(actor=team.member, project=team.project, username=team.stranger.username)
    with pytest.raises(DomainError) as caught:
        invitation_create(actor=team.owner, project=team.project, username="nobody-by-that-name")
    assert "username" in caught.value.fields
    with pytest.raises(DomainError):
        invitation_create(actor=team.owner, project=team.project, username=team.owner.username)


def test_an_invitation_is_only_answered_by_its_invitee(team):
    invitation = invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    with pytest.raises(NotFound):
        invitation_accept(invitation=invitation, user=UserFactory())
    invitation_decline(invitation=invitation, user=team.stranger)
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    with pytest.raises(Conflict):
        invitation_accept(invitation=invitation, user=team.stranger)


def test_an_expired_invitation_cannot_be_accepted_and_a_new_one_can_be_sent(team):
    invitation = invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    assert invitation.effective_status == "expired"
    with pytest.raises(Conflict) as caught:
        invitation_accept(invitation=invitation, user=team.stranger)
    assert caught.value.type == "invitation_expired"
    assert not Membership.objects.filter(project=team.project, user=team.stranger).exists()
    again = invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    invitation.refresh_from_db()
    assert invitation.status == "expired" and again.status == "pending"


def test_periodic_expiry_marks_stale_invitations(team):
    invitation = invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert invitations_expire() == 1
    invitation.refresh_from_db()
    assert invitation.status == "expired"


def test_revoked_invitations_cannot_be_accepted(team):
    invitation = invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    with pytest.raises(Forbidden):
        invitation_revoke(actor=team.member, invitation=invitation)
    invitation_revoke(actor=team.maintainer, invitation=invitation)
    with pytest.raises(Conflict):
        invitation_accept(invitation=invitation, user=team.stranger)


def test_invitation_by_email_reaches_people_without_an_account(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(actor=team.owner, project=team.project, email="New.Person@example.com")
    assert invitation.user is None
    assert mailoutbox[-1].to == ["New.Person@example.com"]
    newcomer = UserFactory(email="new.person@example.com")
    invitation_accept(invitation=invitation, user=newcomer)
    assert Membership.objects.filter(project=team.project, user=newcomer).exists()


def test_invitation_by_email_of_an_existing_user_targets_the_account(team):
    invitation = invitation_create(actor=team.owner, project=team.project, email=team.stranger.email.upper())
    assert invitation.user == team.stranger and invitation.email == ""


# --- join requests --------------------------------------------------------------------------


def test_join_request_life_cycle(team):
    join_request = join_request_create(user=team.stranger, project=team.project, message="Hi")
    assert set(
        Notification.objects.filter(kind="join_request_received").values_list("recipient", flat=True)
    ) == {
        team.owner.pk,
        team.maintainer.pk,
    }
    with pytest.raises(Conflict):
        join_request_create(user=team.stranger, project=team.project)
    with pytest.raises(Forbidden):
        join_request_accept(actor=team.member, join_request=join_request)
    join_request_accept(actor=team.maintainer, join_request=join_request)
    assert Membership.objects.filter(project=team.project, user=team.stranger, role="member").exists()
    assert Notification.objects.filter(recipient=team.stranger, kind="join_request_answered").exists()
    with pytest.raises(Conflict):  # answered twice
        join_request_decline(actor=team.owner, join_request=join_request)
    with pytest.raises(Conflict):
        join_request_create(user=team.stranger, project=team.project)


def test_join_requests_are_declined_or_withdrawn(team):
    first = join_request_create(user=team.stranger, project=team.project)
    join_request_decline(actor=team.owner, join_request=first)
    assert not Membership.objects.filter(project=team.project, user=team.stranger).exists()
    second = join_request_create(user=team.stranger, project=team.project)  # may ask again
    with pytest.raises(NotFound):
        join_request_withdraw(user=team.member, join_request=second)
    join_request_withdraw(user=team.stranger, join_request=second)
    assert JoinRequest.objects.get(pk=second.pk).status == "withdrawn"


def test_nobody_asks_to_join_a_private_project(private_team):
    with pytest.raises(NotFound):
        join_request_create(user=private_team.stranger, project=private_team.project)


# --- share links ----------------------------------------------------------------------------


def test_share_links_count_views_and_stop_working_when_revoked(private_team):
    link = share_link_create(actor=private_team.maintainer, project=private_team.project)
    assert len(link.token) >= 32
    opened = share_link_open(token=link.token)
    share_link_open(token=link.token)
    link.refresh_from_db()
    assert opened.project == private_team.project
    assert link.views == 2 and link.last_viewed_at is not None
    with pytest.raises(Forbidden):
        share_link_revoke(actor=private_team.member, share_link=link)
    share_link_revoke(actor=private_team.owner, share_link=link)
    with pytest.raises(NotFound):
        share_link_open(token=link.token)


def test_share_links_expire(private_team):
    link = share_link_create(
        actor=private_team.owner, project=private_team.project, expires_at=timezone.now() + timedelta(hours=1)
    )
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        share_link_open(token=link.token)
    with pytest.raises(NotFound):
        share_link_open(token="no-such-token")
    with pytest.raises(DomainError):
        share_link_create(
            actor=private_team.owner,
            project=private_team.project,
            expires_at=timezone.now() - timedelta(days=1),
        )


def test_public_projects_need_no_share_link(team):
    with pytest.raises(Conflict):
        share_link_create(actor=team.owner, project=team.project)


# --- board ----------------------------------------------------------------------------------


def test_members_create_tasks_and_edit_their_own_maintainers_manage_all(team):
    own = task_create(actor=team.member, project=team.project, title="Mine")
    task_update(actor=team.member, task=own, title="Mine, renamed", priority=4)
    theirs = task_create(actor=team.maintainer, project=team.project, title="Theirs")
    task_status_set(actor=team.member, task=theirs, status="doing")  # anyone moves any card
    with pytest.raises(Forbidden):
        task_update(actor=team.member, task=theirs, title="Hijacked")
    with pytest.raises(Forbidden):
        task_delete(actor=team.member, task=theirs)
    task_update(actor=team.member, task=theirs, assignee=team.member)  # takes the unassigned task
    task_update(actor=team.member, task=theirs, title="Assigned to me now")
    with pytest.raises(Forbidden):
        task_delete(actor=team.member, task=theirs)  # assigned, not created
    task_update(actor=team.maintainer, task=own, title="Maintainers edit everything")
    task_delete(actor=team.member, task=own)
    task_delete(actor=team.maintainer, task=theirs)
    assert not Task.objects.filter(project=team.project).exists()
    with pytest.raises(Forbidden):
        task_create(actor=team.stranger, project=team.project, title="Nope")


def test_tasks_are_moved_by_members_and_deleted_by_maintainers(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    milestone = milestone_create(actor=team.maintainer, project=team.project, title="MVP")
    with django_capture_on_commit_callbacks(execute=True):
        task = task_create(
            actor=team.maintainer,
            project=team.project,
            title="Schema",
            assignee=team.member,
            milestone=milestone,
            required_skill="postgres",
            estimate_hours=3,
        )
    assert task.required_skill.name == "PostgreSQL"
    assert Notification.objects.get(recipient=team.member).kind == "task_assigned"
    assert mailoutbox[-1].to == [team.member.email]
    task_status_set(actor=team.member, task=task, status="doing")
    assert Task.objects.get(pk=task.pk).status == "doing"
    with pytest.raises(Forbidden):
        task_update(actor=team.stranger, task=task, status="done")
    with pytest.raises(Forbidden):
        task_delete(actor=team.member, task=task)
    task_delete(actor=team.maintainer, task=task)


def test_tasks_go_to_members_and_milestones_of_the_same_project(team):
    with pytest.raises(DomainError) as caught:
        task_create(actor=team.owner, project=team.project, title="T", assignee=team.stranger)
    assert "assignee" in caught.value.fields
    other = MilestoneFactory(project=ProjectFactory())
    with pytest.raises(DomainError) as caught:
        task_create(actor=team.owner, project=team.project, title="T", milestone=other)
    assert "milestone" in caught.value.fields
    task = TaskFactory(project=team.project)
    with pytest.raises(DomainError):
        task_status_set(actor=team.member, task=task, status="blocked")


def test_assigning_yourself_sends_no_notification(team):
    task = TaskFactory(project=team.project)
    task_update(actor=team.member, task=task, assignee=team.member)
    assert not Notification.objects.filter(recipient=team.member).exists()


def test_email_preference_is_respected(team, mailoutbox, django_capture_on_commit_callbacks):
    notification_preference_set(user=team.member, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        task_create(actor=team.owner, project=team.project, title="Quiet", assignee=team.member)
    assert Notification.objects.filter(recipient=team.member).exists()
    assert mailoutbox == []


def test_demo_seed_is_idempotent_and_covers_every_status_and_visibility(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The seed works with or without the profiles seed (it creates its own crew if needed)."""
    import io

    from projects import demo

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(io.StringIO())
        demo.seed(io.StringIO())
    assert Project.objects.count() == len(demo.PROJECTS)
    assert set(Project.objects.values_list("status", flat=True)) == set(Project.Status.values)
    assert set(Project.objects.values_list("visibility", flat=True)) == set(Project.Visibility.values)
    assert Invitation.objects.filter(status="pending", user__username="demo").exists()
    assert Task.objects.filter(status="doing").exists()
    assert mailoutbox == []  # demo data emails nobody
