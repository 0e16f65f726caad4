"""The permission module's full matrix: every viewer, action and visibility."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from config.errors import Forbidden, NotFound
from projects.models import Project
from projects.permissions import Action, Role, access_for
from projects.tests.conftest import team_make
from projects.tests.factories import InvitationFactory, ProjectFactory, ShareLinkFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "stranger", "link_holder", "member", "maintainer", "owner"]
MEMBERS = {"member", "maintainer", "owner"}
MANAGERS = {"maintainer", "owner"}
OWNER = {"owner"}


def expected(action: Action, visibility: str) -> set[str]:
    """Who may do ``action`` on a project of ``visibility``: the rules, written out plainly."""
    readers = set(VIEWERS) if visibility == "public" else {"link_holder", *MEMBERS}
    table = {
        Action.VIEW: readers,
        Action.REQUEST_JOIN: {"stranger"} if visibility == "public" else set(),
        Action.LEAVE: {"member", "maintainer"},
        Action.TASK_CREATE: MEMBERS,
        Action.TASK_UPDATE: MEMBERS,
        Action.TASK_EDIT: MEMBERS,  # some task: their own (test_task_rules_depend_on_the_task)
        Action.TASK_DELETE: MEMBERS,
        Action.TASK_MANAGE: MANAGERS,
        Action.MILESTONE_MANAGE: MANAGERS,
        Action.EDIT: MANAGERS,
        Action.VIEW_TEAM_ADMIN: MANAGERS,
        Action.INVITATION_MANAGE: MANAGERS,
        Action.JOIN_REQUEST_MANAGE: MANAGERS,
        Action.SHARE_LINK_MANAGE: MANAGERS,
        Action.MEMBER_REMOVE: MANAGERS,
        Action.MEMBER_ROLE_CHANGE: OWNER,
        Action.VISIBILITY_CHANGE: OWNER,
        Action.TRANSFER: OWNER,
        Action.DELETE: OWNER,
    }
    return table[action]


@pytest.mark.parametrize("visibility", Project.Visibility.values)
def test_permission_matrix(visibility):
    team = team_make(visibility)
    for who in VIEWERS:
        link = team.share_link if who == "link_holder" else None
        access = access_for(team.user(who), team.project, share_link=link)
        for action in Action:
            allowed = who in expected(action, visibility)
            assert access.can(action) is allowed, (who, action.value, visibility)
            if allowed:
                access.ensure(action)
            elif not access.can(Action.VIEW):
                with pytest.raises(NotFound):
                    access.ensure(action)
            else:
                with pytest.raises(Forbidden):
                    access.ensure(action)


@pytest.mark.parametrize("state", ["expired", "revoked", "other_project"])
def test_an_unusable_share_link_hides_a_private_project(state):
    project = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    link = ShareLinkFactory(project=project)
    if state == "expired":
        link.expires_at = timezone.now() - timedelta(minutes=1)
    elif state == "revoked":
        link.revoked_at = timezone.now()
    else:
        link = ShareLinkFactory(project=ProjectFactory(visibility=Project.Visibility.PRIVATE))
    access = access_for(UserFactory(), project, share_link=link)
    assert access.role == Role.NONE
    with pytest.raises(NotFound):
        access.ensure(Action.VIEW)


def test_an_invitee_can_read_the_private_project_they_are_invited_to():
    project = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    invitation = InvitationFactory(project=project)
    access = access_for(invitation.user, project)
    assert access.can(Action.VIEW)
    assert not access.can(Action.TASK_UPDATE)


def test_an_expired_invitation_grants_nothing():
    project = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    invitation = InvitationFactory(project=project, expires_at=timezone.now() - timedelta(seconds=1))
    assert not access_for(invitation.user, project).can(Action.VIEW)


def test_nobody_asks_to_join_a_finished_project():
    project = ProjectFactory(status=Project.Status.ARCHIVED)
    assert not access_for(UserFactory(), project).can(Action.REQUEST_JOIN)


def test_superusers_act_as_owner_without_being_members():
    project = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    access = access_for(UserFactory(is_superuser=True, is_staff=True), project)
    assert access.can(Action.DELETE)
    assert not access.is_member


@pytest.mark.parametrize("visibility", Project.Visibility.values)
def test_task_rules_depend_on_the_task(visibility):
    """Managers edit and delete every task; members edit the tasks they created or are
    assigned to and delete the ones they created; nobody else touches any."""
    from projects.tests.factories import TaskFactory

    team = team_make(visibility)
    member = team.member
    tasks = {
        "created": TaskFactory(project=team.project, created_by=member),
        "assigned": TaskFactory(project=team.project, created_by=team.owner, assignee=member),
        "other": TaskFactory(project=team.project, created_by=team.owner),
    }
    edit = {"created", "assigned"}
    delete = {"created"}
    for who in VIEWERS:
        link = team.share_link if who == "link_holder" else None
        access = access_for(team.user(who), team.project, share_link=link)
        for name, task in tasks.items():
            for action, own in ((Action.TASK_EDIT, edit), (Action.TASK_DELETE, delete)):
                allowed = who in MANAGERS or (who == "member" and name in own)
                assert access.can_task(action, task) is allowed, (who, action.value, name)
                if allowed:
                    access.ensure_task(action, task)
                else:
                    with pytest.raises((Forbidden, NotFound)):
                        access.ensure_task(action, task)
