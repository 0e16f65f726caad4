"""/agents/ pages: list, create, edit, delete through plain forms."""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from agents.builtins import ASSISTANT, PROJECT_ASSISTANT
from agents.models import Agent
from agents.tests.factories import AgentFactory, builtin
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login():
    response = Client().get("/agents/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_builtins_mine_and_shared_with_chat_links():
    user = UserFactory()
    project = ProjectFactory(name="Compiler", slug="compiler")
    MembershipFactory(project=project, user=user)
    mine = AgentFactory(owner=user, name="Code reviewer")
    inactive = AgentFactory(owner=user, name="Sleepy", status="inactive")
    shared = AgentFactory(name="Team bot", visibility="project", project=project)
    hidden = AgentFactory(name="Somebody else's")

    html = login(user).get("/agents/").content.decode()

    for name in ("Assistant", "Project assistant", "Code helper", "Code reviewer", "Team bot", "Sleepy"):
        assert name in html
    assert hidden.name not in html
    assert f'href="/chat/new/?agent={mine.pk}"' in html
    assert f'href="/chat/new/?agent={builtin(ASSISTANT).pk}"' in html
    assert f"/chat/new/?agent={builtin(PROJECT_ASSISTANT).pk}&amp;project=compiler" in html
    assert f"/chat/new/?agent={inactive.pk}" not in html
    assert f"/agents/{mine.pk}/edit/" in html
    assert f"/agents/{shared.pk}/edit/" not in html


def test_create_through_the_form():
    user = UserFactory()
    project = ProjectFactory(slug="compiler")
    MembershipFactory(project=project, user=user)
    response = login(user).post(
        "/agents/new/",
        {
            "name": "Team reviewer",
            "description": "",
            "system_prompt": "Review.",
            "model": "",
            "temperature": "0.3",
            "status": "active",
            "visibility": "project",
            "project": "compiler",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/agents/"
    agent = Agent.objects.get(name="Team reviewer")
    assert (agent.owner, agent.project, agent.temperature) == (user, project, 0.3)


def test_form_errors_are_shown_next_to_fields():
    user = UserFactory()
    ProjectFactory(slug="not-mine")
    response = login(user).post(
        "/agents/new/",
        {
            "name": "x",
            "temperature": "2.5",
            "status": "active",
            "visibility": "project",
            "project": "not-mine",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"temperature", "project"}
    assert not Agent.objects.filter(owner=user).exists()


def test_edit_and_delete_by_the_owner():
    agent = AgentFactory(name="Old")
    client = login(agent.owner)
    assert client.get(f"/agents/{agent.pk}/edit/").status_code == 200
    response = client.post(
        f"/agents/{agent.pk}/edit/",
        {
            "name": "New",
            "temperature": "1",
            "status": "inactive",
            "visibility": "private",
            "system_prompt": "x",
        },
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.name, agent.status) == ("New", "inactive")

    confirm = client.get(f"/agents/{agent.pk}/delete/")
    assert confirm.status_code == 200 and "Delete" in confirm.content.decode()
    assert Agent.objects.filter(pk=agent.pk).exists()  # a GET deletes nothing
    assert client.post(f"/agents/{agent.pk}/delete/").status_code == 302
    assert not Agent.objects.filter(pk=agent.pk).exists()


def test_others_cannot_edit_or_delete():
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    shared = AgentFactory(visibility="project", project=project)
    private = AgentFactory()
    client = login(member)
    assert client.get(f"/agents/{shared.pk}/edit/").status_code == 403
    assert client.post(f"/agents/{shared.pk}/delete/").status_code == 403
    assert client.get(f"/agents/{private.pk}/edit/").status_code == 404
    assert client.post(f"/agents/{private.pk}/delete/").status_code == 404
    assert client.get(f"/agents/{builtin(ASSISTANT).pk}/edit/").status_code == 403
    assert Agent.objects.filter(pk__in=[shared.pk, private.pk]).count() == 2
