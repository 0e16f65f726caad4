"""Agent run pages: the project page's buttons, starting, the run page (progress, result,
heatmap, timeline, apply), my runs, and "Suggested for you" on the dashboard."""

import re
from typing import cast

import pytest
from django.test import Client
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from agents.models import AgentRun
from agents.tasks import agent_run_execute
from agents.tests.factories import AgentRunFactory
from agents.tests.test_matching import person, project_needing
from projects.models import Invitation, Membership, Project, Task
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

BUTTONS = ["Find people", "Form a team", "Plan the work", "Do all three"]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project():
    project = project_needing(
        ("Python", "must"), ("React", "must"), description="## Goal\n\n- Volunteers list repairs", team_size=3
    )
    owner = person("olga", ("Python", 6), level="senior")
    project.owner = owner.user
    project.save(update_fields=["owner"])
    project.memberships.update(user=owner.user)
    person("rita", ("React", 5), level="senior", looking=True)
    person("pete", ("React", 2), "Python")
    return project


def finished_run(project, kind="assemble", **params) -> AgentRun:
    defaults = {"limit": 20, "size": None, "horizon_weeks": 4} if kind == "assemble" else {}
    run = cast(AgentRun, AgentRunFactory(project=project, kind=kind, input={**defaults, **params}))
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


def test_maintainers_see_the_agent_buttons_others_do_not(project):
    page = login(project.owner).get(project.get_absolute_url()).content.decode()
    assert all(label in page for label in BUTTONS)
    member = MembershipFactory(project=project).user
    page = login(member).get(project.get_absolute_url()).content.decode()
    assert not any(label in page for label in BUTTONS)
    page = Client().get(project.get_absolute_url()).content.decode()
    assert "Do all three" not in page


def test_a_button_starts_a_run_and_opens_its_live_page(project, django_capture_on_commit_callbacks):
    client = login(project.owner)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/agents/runs/start/", {"project": project.slug, "kind": "assemble"})
    run = AgentRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agents/runs/{run.pk}/"
    assert run.kind == "assemble" and run.status == "queued"
    assert len(queued) == 2  # after commit: the Celery task, and run.started to the project's members
    page = client.get(response["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page  # live without JS
    assert f'data-run-socket="/ws/agent-runs/{run.pk}/"' in page
    assert 'value="0" max="100"' in page and "Waiting for a worker" in page
    assert "Cancel run" in page


def test_only_maintainers_start_runs_from_the_page(project):
    member = MembershipFactory(project=project).user
    assert (
        login(member)
        .post("/agents/runs/start/", {"project": project.slug, "kind": "skill_match"})
        .status_code
        == 403
    )
    hidden = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    response = login(member).post("/agents/runs/start/", {"project": hidden.slug, "kind": "skill_match"})
    assert response.status_code == 404
    assert not AgentRun.objects.exists()


def test_an_unknown_kind_comes_back_as_a_message(project):
    client = login(project.owner)
    response = client.post("/agents/runs/start/", {"project": project.slug, "kind": "magic"}, follow=True)
    assert "Choose a kind" in response.content.decode()
    assert not AgentRun.objects.exists()


def test_strangers_and_members_cannot_open_a_run(project):
    run = AgentRunFactory(project=project)
    assert login(MembershipFactory(project=project).user).get(f"/agents/runs/{run.pk}/").status_code == 403
    private = AgentRunFactory(project=ProjectFactory(visibility=Project.Visibility.PRIVATE))
    assert login(UserFactory()).get(f"/agents/runs/{private.pk}/").status_code == 404
    assert Client().get(f"/agents/runs/{run.pk}/").status_code == 302  # to the login page


def test_the_result_page_shows_candidates_heatmap_and_timeline_then_applies_once(project):
    run = finished_run(project)
    client = login(project.owner)
    page = client.get(f"/agents/runs/{run.pk}/").content.decode()
    assert "<noscript><meta" not in page  # finished: nothing refreshes
    assert (
        "Candidates" in page and "rita" in page and escape(run.result["candidates"][0]["explanation"]) in page
    )
    # The heatmap reads without colour: a symbol and words in every cell.
    heatmap = page[page.index('<table class="heatmap">') : page.index("</table>")]
    assert "✓" in heatmap and "rita covers React" in heatmap and "olga covers Python" in heatmap
    assert "does not cover" in heatmap
    assert 'class="timeline"' in page and "Set-up" in page and "week 1" in page
    assert "Apply the result" in page

    response = client.post(f"/agents/runs/{run.pk}/apply/", {"team": "0"}, follow=True)
    page = response.content.decode()
    assert "Applied:" in page and "invitation(s) sent" in page
    team = run.result["teams"][0]["members"]
    assert set(Invitation.objects.filter(project=project).values_list("user__username", flat=True)) == set(
        team
    )
    tasks = Task.objects.filter(project=project).count()
    assert tasks == len(run.result["plan"]["tasks"])
    assert "Apply the result" not in page and "Invitations sent to" in page

    client.post(f"/agents/runs/{run.pk}/apply/", {"team": "0"})
    assert Task.objects.filter(project=project).count() == tasks
    board = client.get(project.get_absolute_url()).content.decode()
    assert escape(run.result["plan"]["tasks"][0]["title"]) in board


def test_a_bad_team_choice_is_a_message_not_an_error(project):
    run = finished_run(project)
    response = login(project.owner).post(f"/agents/runs/{run.pk}/apply/", {"team": "x"}, follow=True)
    assert response.status_code == 200 and "Choose one of the proposed teams." in response.content.decode()
    assert not Invitation.objects.filter(project=project).exists()


def test_a_failed_run_says_why(project):
    run = AgentRunFactory(
        project=project, status="failed", error="The AI service took too long.", step="Failed"
    )
    page = login(project.owner).get(f"/agents/runs/{run.pk}/").content.decode()
    assert "The run failed." in page and "The AI service took too long." in page
    assert "Apply the result" not in page and "Cancel run" not in page


def test_cancel_from_the_page(project):
    run = AgentRunFactory(project=project)
    response = login(project.owner).post(f"/agents/runs/{run.pk}/cancel/", follow=True)
    assert "This run was cancelled." in response.content.decode()


def test_my_runs_lists_only_mine(project):
    mine = AgentRunFactory(project=project, kind="project_plan")
    maintainer = MembershipFactory(project=project, role=Membership.Role.MAINTAINER).user
    AgentRunFactory(project=project, owner=maintainer, kind="skill_match")
    page = login(project.owner).get("/agents/runs/").content.decode()
    assert f"Plan the work #{mine.pk}" in page and "Find people #" not in page


def test_the_dashboard_lists_my_runs(project):
    AgentRunFactory(project=project)
    page = login(project.owner).get("/").content.decode()
    assert "My agent runs" in page
    assert re.search(r"Find people</a> for " + re.escape(project.name), page)
    assert "My agent runs" not in login(UserFactory()).get("/").content.decode()
