"""The project planner: the offline plan, and the openai provider through the fake OpenAI server."""

import pytest

from agents.llm import LLMUnavailable
from agents.llm.json_output import schema_validator
from agents.planning import PLAN_SCHEMA, PlanError, description_features, plan_project
from agents.tests.test_matching import person, project_needing
from projects.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = """## Goal

A marketplace for local repair cafés.

- Volunteers list the repairs they can do
- Visitors book a slot
- *Email reminders* the day before

## What we need

- **Python** (must)
- **k8s** (nice)
"""


def assert_valid(plan, project_skills, team):
    assert not list(schema_validator(PLAN_SCHEMA).iter_errors(plan))
    titles = {m["title"] for m in plan["milestones"]}
    assert all(task["milestone"] in titles for task in plan["tasks"])
    assert set(project_skills) <= {task["skill"] for task in plan["tasks"]}
    assert {task["assignee"] for task in plan["tasks"]} - {None} <= set(team)


@pytest.fixture
def project():
    project = project_needing(
        "Python", "React", ("PostgreSQL", "must"), ("Figma", "nice"), description=DESCRIPTION, team_size=4
    )
    owner = person("owner", ("Python", 6), "PostgreSQL", level="senior")
    project.owner = owner.user
    project.save(update_fields=["owner"])
    project.memberships.update(user=owner.user)
    MembershipFactory(project=project, user=person("frontend", ("React", 4), "Figma").user)
    return project


def test_the_offline_plan_covers_every_skill_with_members_by_skill(project):
    plan = plan_project(project, horizon_weeks=8)

    assert_valid(plan, ["Python", "React", "PostgreSQL", "Figma"], ["owner", "frontend"])
    titles = [m["title"] for m in plan["milestones"]]
    assert titles[0] == "Set-up" and titles[-3:] == ["Integration", "Testing", "Launch"]
    assert any(title.startswith("Application: Python, React") for title in titles)
    assert plan["milestones"][-1]["week_end"] == 8
    by_skill = {task["skill"]: task["assignee"] for task in plan["tasks"] if task["skill"]}
    assert by_skill["React"] == "frontend" and by_skill["Figma"] == "frontend"
    assert by_skill["Python"] == "owner" and by_skill["PostgreSQL"] == "owner"
    assert any("Visitors book a slot" in task["title"] for task in plan["tasks"])
    assert plan == plan_project(project, horizon_weeks=8)  # deterministic


def test_the_offline_plan_fits_a_one_week_horizon_and_a_proposed_team(project):
    person("proposed", "React")

    plan = plan_project(project, horizon_weeks=1, team_usernames=["owner", "proposed"])

    assert all(m["week_start"] == m["week_end"] == 1 for m in plan["milestones"])
    assert_valid(plan, ["Python", "React"], ["owner", "proposed"])
    assert {t["assignee"] for t in plan["tasks"] if t["skill"] == "React"} == {"proposed"}


def test_description_bullets_become_features():
    assert description_features(DESCRIPTION) == [
        "Volunteers list the repairs they can do",
        "Visitors book a slot",
        "Email reminders the day before",
    ]


MODEL_PLAN = {
    "milestones": [
        {"title": "Foundations", "goal": "Repo and CI", "week_start": 1, "week_end": 2},
        {"title": "Booking", "goal": "Slots", "week_start": 3, "week_end": 6},
    ],
    "tasks": [
        {
            "title": "Booking API",
            "description": "Endpoints for slots",
            "milestone": "Booking",
            "estimate_hours": 12,
            "skill": "python",
            "assignee": "owner",
        },
        {
            "title": "Booking page",
            "description": "The page",
            "milestone": "booking ",  # sloppy spelling of an existing milestone
            "estimate_hours": 10,
            "skill": "React",
            "assignee": None,
        },
    ],
}


def test_the_openai_planner_uses_structured_output_and_completes_the_plan(project, fake_openai_settings):
    fake_openai_settings.reply_json(MODEL_PLAN)

    plan = plan_project(project, horizon_weeks=6)

    (request,) = fake_openai_settings.chat_requests
    schema = request.body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["tasks"]["items"]["properties"]["assignee"] == {
        "enum": ["owner", "frontend", None]
    }
    assert "Visitors book a slot" in request.messages[-1]["content"]
    assert [m["title"] for m in plan["milestones"]] == ["Foundations", "Booking"]
    tasks = {task["title"]: task for task in plan["tasks"]}
    assert tasks["Booking API"]["skill"] == "Python" and tasks["Booking API"]["assignee"] == "owner"
    assert tasks["Booking page"]["milestone"] == "Booking"
    assert tasks["Booking page"]["assignee"] == "frontend"  # chosen by skill
    # Required skills the model forgot get a task each.
    assert_valid(plan, ["Python", "React", "PostgreSQL", "Figma"], ["owner", "frontend"])


def test_invalid_then_valid_output_is_repaired_once(project, fake_openai_settings):
    fake_openai_settings.reply_json({"milestones": [], "tasks": "none"})
    fake_openai_settings.reply_json(MODEL_PLAN)

    plan = plan_project(project, horizon_weeks=6)

    assert len(fake_openai_settings.chat_requests) == 2
    assert "$.milestones" in fake_openai_settings.chat_requests[1].messages[-1]["content"]
    assert plan["milestones"][0]["title"] == "Foundations"


def test_invalid_output_twice_is_a_clean_readable_error(project, fake_openai_settings):
    fake_openai_settings.reply_json("I cannot plan this, sorry.")
    fake_openai_settings.reply_json({"milestones": [{"title": "x"}], "tasks": []})

    with pytest.raises(PlanError) as caught:
        plan_project(project)

    error = caught.value
    assert error.type == "plan_invalid" and not error.retryable
    assert error.detail.startswith(
        "The AI model did not produce a valid plan, even after being asked to correct it"
    )
    assert "$.milestones[0]" in error.detail
    assert len(fake_openai_settings.chat_requests) == 2


def test_a_transient_provider_failure_propagates_for_the_caller_to_retry(project, fake_openai_settings):
    fake_openai_settings.server_error(times=3)

    with pytest.raises(LLMUnavailable) as caught:
        plan_project(project)

    assert caught.value.retryable


def test_a_member_without_a_visible_profile_still_takes_general_tasks(project):
    from accounts.tests.factories import UserFactory

    MembershipFactory(project=project, user=UserFactory(username="newcomer"))  # no profile at all

    plan = plan_project(project, horizon_weeks=8)

    assignees = {task["assignee"] for task in plan["tasks"]}
    assert "newcomer" in assignees
    assert all(task["assignee"] != "newcomer" for task in plan["tasks"] if task["skill"])
    assert_valid(plan, ["Python", "React"], ["owner", "frontend", "newcomer"])
