"""Project emails as their reader sees them: who invites them, the inviter's own words,
and links to the address the site was reached at (config.site)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from projects.services.invitations import invitation_create

pytestmark = pytest.mark.django_db

MESSAGE = "We need someone who knows maps & tiles.\nThe kick-off is on Monday!"


def test_an_invitation_by_email_carries_the_message_and_links_to_sign_up_where_the_site_is_served(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(team.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:members", kwargs={"slug": team.project.slug}),
            {"invitee": "new.person@example.com", "message": MESSAGE},
            HTTP_HOST="devcrew.example:8123",
        )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["new.person@example.com"]
    assert mail.subject == f"[DevCrew] {team.owner.username} invites you to join {team.project.name}"
    assert mail.body.startswith(
        f"Hello,\n\n{team.owner.username} invites you to join “{team.project.name}” on DevCrew.\n"
    )
    assert f"Their message:\n\n{MESSAGE}\n" in mail.body  # as typed: nothing HTML-escaped
    assert (
        "Sign up with this email address (new.person@example.com), then accept the invitation"
        " from your dashboard:\nhttp://devcrew.example:8123/accounts/signup/\n"
    ) in mail.body


def test_an_invitee_with_an_account_reads_the_message_and_the_project_link(
    settings, team, mailoutbox, django_capture_on_commit_callbacks
):
    """Outside a request (here: a service call) links use SITE_URL."""
    settings.SITE_URL = "https://crew.example.org"
    grace = UserFactory(username="grace")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=team.maintainer, project=team.project, username="grace", message=MESSAGE)
    (mail,) = mailoutbox
    assert mail.to == [grace.email]
    assert mail.body.startswith(f"Hello grace,\n\n{team.maintainer.username} invites you to join")
    assert MESSAGE in mail.body
    project_url = f"https://crew.example.org{team.project.get_absolute_url()}"
    assert f"Accept or decline on the project's page:\n{project_url}\n" in mail.body


def test_a_notification_email_links_to_the_address_of_the_request_that_caused_it(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(team.stranger)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("projects:join", kwargs={"slug": team.project.slug}),
            {"message": "Hi!"},
            HTTP_HOST="localhost:8765",
        )
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([team.owner.email, team.maintainer.email])
    mail = next(mail for mail in mailoutbox if mail.to == [team.owner.email])
    text = f"{team.stranger.username} asks to join {team.project.name}"
    assert mail.subject == f"[DevCrew] {text}"
    members_url = reverse("projects:members", kwargs={"slug": team.project.slug})
    assert mail.body.startswith(
        f"Hello {team.owner.username},\n\n{text}\n\nhttp://localhost:8765{members_url}\n"
    )
    assert "turn\nthem off on your dashboard: http://localhost:8765/" in mail.body
