"""Runs of the real engines, driven by the Celery task: results, apply, and the planner's
failure modes through the fake OpenAI server."""

from typing import cast

import pytest
from rest_framework.test import APIClient

from agents.models import AgentRun
from agents.tasks import agent_run_execute
from agents.tests.factories import AgentRunFactory
from agents.tests.test_matching import person, project_needing
from agents.tests.test_planning import MODEL_PLAN as PLANNING_MODEL_PLAN
from projects.models import Invitation, Milestone, Task

pytestmark = pytest.mark.django_db

# The planner tests' model answer, with this project's owner as the assignee.
MODEL_PLAN = {
    **PLANNING_MODEL_PLAN,
    "tasks": [{**task, "assignee": task["assignee"] and "olga"} for task in PLANNING_MODEL_PLAN["tasks"]],
}


@pytest.fixture
def project():
    project = project_needing(
        ("Python", "must"), ("React", "must"), ("PostgreSQL", "nice"),
        description="## Goal\n\nA marketplace for repair cafés.\n\n- Volunteers list repairs\n- Visitors book a slot",
        team_size=3,
    )  # fmt: skip
    owner = person("olga", ("Python", 6), level="senior")
    project.owner = owner.user
    project.save(update_fields=["owner"])
    project.memberships.update(user=owner.user)
    person("rita", ("React", 5), "TypeScript", level="senior", looking=True)
    person("pete", ("PostgreSQL", 4), "Python", level="mid")
    person("far", ("React", 5), level="senior", tz="Pacific/Auckland")
    person("nobody", "Figma")
    return project


def run_to_end(project, kind, **params) -> AgentRun:
    run = cast(AgentRun, AgentRunFactory(project=project, owner=project.owner, kind=kind, input=params))
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    return run


def test_find_people_ranks_and_explains_candidates(project):
    run = run_to_end(project, "skill_match", limit=10)
    assert run.status == "succeeded", run.error
    candidates = run.result["candidates"]
    names = [c["username"] for c in candidates]
    assert set(names) == {"rita", "pete", "far"}  # not the member, not the unskilled
    assert names.index("rita") < names.index("far")  # twelve hours away ranks lower
    assert all(c["explanation"] and c["score"] > 0 for c in candidates)


def test_form_a_team_covers_the_must_haves(project):
    run = run_to_end(project, "team_formation", pool="matches", size=None, pool_size=30, usernames=[])
    assert run.status == "succeeded", run.error
    best = run.result["teams"][0]
    assert "rita" in best["members"] or "far" in best["members"]
    assert best["uncovered"] == []
    assert best["explanation"]


def test_do_all_three_then_apply_once(project):
    run = run_to_end(project, "assemble", limit=20, size=None, horizon_weeks=6)
    assert run.status == "succeeded", run.error
    assert run.progress == 100 and run.step == "Done"
    result = run.result
    assert result["candidates"] and result["teams"]
    team = result["teams"][0]["members"]
    plan = result["plan"]
    assert {"Python", "React", "PostgreSQL"} <= {t["skill"] for t in plan["tasks"]}
    assert {t["assignee"] for t in plan["tasks"]} - {None} <= {"olga", *team}

    client = APIClient()
    client.force_authenticate(project.owner)
    response = client.post(f"/api/v1/agent-runs/{run.pk}/apply/", {}, format="json")
    assert response.status_code == 200, response.json()
    invited = set(Invitation.objects.filter(project=project).values_list("user__username", flat=True))
    assert invited == set(team) - {"olga"}
    message = Invitation.objects.filter(project=project).first().message
    assert message.startswith(f"DevCrew's team-formation agent chose you for {project.name}")
    assert Milestone.objects.filter(project=project).count() == len(plan["milestones"])
    assert Task.objects.filter(project=project).count() == len(plan["tasks"])
    assert Task.objects.filter(project=project, assignee=project.owner).exists()

    assert client.post(f"/api/v1/agent-runs/{run.pk}/apply/", {}, format="json").status_code == 200
    assert Invitation.objects.filter(project=project).count() == len(invited)
    assert Task.objects.filter(project=project).count() == len(plan["tasks"])


def test_the_plan_through_the_openai_provider(project, fake_openai_settings):
    fake_openai_settings.reply_json(MODEL_PLAN)
    run = run_to_end(project, "project_plan", horizon_weeks=6)
    assert run.status == "succeeded", run.error
    assert [m["title"] for m in run.result["plan"]["milestones"]] == ["Foundations", "Booking"]


def test_invalid_then_valid_plan_output_is_repaired(project, fake_openai_settings):
    fake_openai_settings.reply_json({"milestones": [], "tasks": "none"})
    fake_openai_settings.reply_json(MODEL_PLAN)
    run = run_to_end(project, "project_plan", horizon_weeks=6)
    assert run.status == "succeeded" and run.attempts == 1


def test_invalid_plan_output_twice_fails_the_run_readably(project, fake_openai_settings):
    fake_openai_settings.reply_json("I cannot plan this, sorry.")
    fake_openai_settings.reply_json({"milestones": [{"title": "x"}], "tasks": []})
    run = run_to_end(project, "project_plan", horizon_weeks=6)
    assert run.status == "failed" and run.result is None
    assert run.error_type == "plan_invalid"
    assert run.error.startswith("The AI model did not produce a valid plan")
    assert run.attempts == 1  # not retried: the same request would fail the same way


def test_a_transient_ai_failure_is_retried_by_the_task(project, fake_openai_settings, settings):
    settings.LLM_MAX_RETRIES = 0  # one request per attempt, so the run's own retry is what helps
    fake_openai_settings.server_error(status=503, times=1)
    fake_openai_settings.reply_json(MODEL_PLAN)
    run = run_to_end(project, "project_plan", horizon_weeks=6)
    assert run.status == "succeeded", run.error
    assert run.attempts == 2
    assert len(fake_openai_settings.chat_requests) >= 2
