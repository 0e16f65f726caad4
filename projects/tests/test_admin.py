"""Admin actions go through the services: what changed is counted, what the rules refuse
is named with the reason."""

import pytest

from accounts.tests.factories import UserFactory
from projects.models import Invitation, Project
from projects.services.invitations import invitation_create

pytestmark = pytest.mark.django_db


def test_superuser_archives_projects(client, team):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/projects/project/", {"action": "archive", "_selected_action": [team.project.pk]}, follow=True
    )
    assert "1 projects archived." in response.content.decode()
    team.project.refresh_from_db()
    assert team.project.status == Project.Status.ARCHIVED


def test_revoking_an_answered_invitation_is_refused_with_the_reason(client, team):
    pending = invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    answered = invitation_create(actor=team.owner, project=team.project, email="someone@example.com")
    Invitation.objects.filter(pk=answered.pk).update(status=Invitation.Status.DECLINED)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/projects/invitation/",
        {"action": "revoke", "_selected_action": [pending.pk, answered.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 invitations revoked." in page
    assert "Not changed: " in page and "This invitation is already declined." in page
    assert Invitation.objects.get(pk=pending.pk).status == Invitation.Status.REVOKED
