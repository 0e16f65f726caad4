"""/api/v1/agent-runs/: start, list, detail, cancel, apply, and who may do which."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from agents.models import AgentRun
from agents.tests.factories import AgentRunFactory
from projects.models import Invitation, Membership, Milestone, Project, Task
from projects.tests.factories import InvitationFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/agent-runs/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def owner():
    return UserFactory(username="olga")


@pytest.fixture
def project(owner):
    return ProjectFactory(owner=owner, slug="compiler", name="Compiler")


@pytest.fixture
def queued_tasks(monkeypatch):
    """The run ids handed to the Celery task (the broker is not consumed in these tests)."""
    from agents.tasks import agent_run_execute

    sent: list[int] = []
    monkeypatch.setattr(agent_run_execute, "delay", lambda run_id: sent.append(run_id))
    return sent


def test_a_maintainer_starts_a_run_which_is_queued_after_commit(
    owner, project, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(owner).post(
            URL, {"kind": "skill_match", "project": "compiler", "params": {"limit": 5}}, format="json"
        )
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["progress"] == 0
    assert body["kind"] == "skill_match"
    assert body["project"] == "compiler"
    assert body["owner"] == "olga"
    assert body["params"] == {"limit": 5}
    assert body["socket"] == f"/ws/agent-runs/{body['id']}/"
    assert body["url"] == f"/agents/runs/{body['id']}/"
    assert queued_tasks == [body["id"]]
    run = AgentRun.objects.get(pk=body["id"])
    assert run.deadline is not None and run.deadline > run.created_at


def test_nothing_is_queued_when_the_transaction_rolls_back(
    owner, project, queued_tasks, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from agents.runs.services import agent_run_start

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                agent_run_start(owner=owner, project=project, kind="project_plan")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and queued_tasks == []
    assert not AgentRun.objects.exists()


def test_defaults_are_filled_in_per_kind(owner, project, queued_tasks):
    response = api(owner).post(URL, {"kind": "assemble", "project": "compiler"}, format="json")
    assert response.status_code == 202
    assert response.json()["params"] == {"limit": 20, "size": None, "horizon_weeks": 8}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "world_domination", "project": "compiler"}, "kind"),
        ({"project": "compiler"}, "kind"),
        ({"kind": "skill_match"}, "project"),
        ({"kind": "skill_match", "project": "compiler", "params": {"limit": 0}}, "params.limit"),
        ({"kind": "skill_match", "project": "compiler", "params": {"limit": "many"}}, "params.limit"),
        ({"kind": "skill_match", "project": "compiler", "params": {"colour": "red"}}, "params"),
        ({"kind": "skill_match", "project": "compiler", "params": [1, 2]}, "params"),
        (
            {"kind": "project_plan", "project": "compiler", "params": {"horizon_weeks": 99}},
            "params.horizon_weeks",
        ),
        (
            {"kind": "team_formation", "project": "compiler", "params": {"pool": "usernames"}},
            "params.usernames",
        ),
        ({"kind": "team_formation", "project": "compiler", "params": {"pool": "everyone"}}, "params.pool"),
    ],
)
def test_bad_input_is_a_400_in_the_one_error_body(owner, project, queued_tasks, payload, field):
    response = api(owner).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert field in body["fields"]
    assert queued_tasks == []


def test_a_missing_project_is_404(owner, queued_tasks):
    response = api(owner).post(URL, {"kind": "skill_match", "project": "nope"}, format="json")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def test_only_maintainers_start_runs(project, queued_tasks):
    member = MembershipFactory(project=project).user
    maintainer = MembershipFactory(project=project, role=Membership.Role.MAINTAINER).user
    stranger = UserFactory()
    payload = {"kind": "skill_match", "project": "compiler"}
    assert api(member).post(URL, payload, format="json").status_code == 403
    assert api(stranger).post(URL, payload, format="json").status_code == 403
    assert api(maintainer).post(URL, payload, format="json").status_code == 202
    assert api().post(URL, payload, format="json").status_code == 401


def test_a_hidden_project_is_404_for_outsiders(project, queued_tasks):
    project.visibility = Project.Visibility.PRIVATE
    project.save()
    response = api(UserFactory()).post(URL, {"kind": "skill_match", "project": "compiler"}, format="json")
    assert response.status_code == 404
    run = AgentRunFactory(project=project)
    assert api(UserFactory()).get(f"{URL}{run.pk}/").status_code == 404
    assert api(UserFactory()).post(f"{URL}{run.pk}/cancel").status_code == 404
    assert api(UserFactory()).post(f"{URL}{run.pk}/apply").status_code == 404


def test_members_of_a_visible_project_are_told_403(project):
    member = MembershipFactory(project=project).user
    run = AgentRunFactory(project=project)
    assert api(member).get(f"{URL}{run.pk}/").status_code == 403
    assert api(member).post(f"{URL}{run.pk}/cancel").status_code == 403
    assert api(member).post(f"{URL}{run.pk}/apply").status_code == 403
    run.refresh_from_db()
    assert run.status == "queued"


def test_too_many_active_runs_are_refused(owner, project, queued_tasks, settings):
    settings.AGENT_RUN_MAX_ACTIVE_PER_USER = 2
    AgentRunFactory.create_batch(2, project=project)
    response = api(owner).post(URL, {"kind": "skill_match", "project": "compiler"}, format="json")
    assert response.status_code == 409
    assert response.json()["type"] == "too_many_runs"


def test_the_list_has_my_runs_only_filtered_and_without_n_plus_one(owner, project):
    other_project = ProjectFactory(owner=owner, slug="kernel")
    AgentRunFactory(project=project, kind="skill_match", status="succeeded")
    AgentRunFactory(project=project, kind="project_plan")
    AgentRunFactory(project=other_project, kind="project_plan")
    maintainer = MembershipFactory(project=project, role=Membership.Role.MAINTAINER).user
    AgentRunFactory(project=project, owner=maintainer)

    rows = api(owner).get(URL).json()
    assert rows["count"] == 3
    assert "result" not in rows["results"][0]
    assert api(owner).get(URL, {"project": "kernel"}).json()["count"] == 1
    assert api(owner).get(URL, {"kind": "project_plan"}).json()["count"] == 2
    assert api(owner).get(URL, {"status": "succeeded"}).json()["count"] == 1
    assert api(owner).get(URL, {"status": "bogus"}).status_code == 400
    assert api(maintainer).get(URL).json()["count"] == 1

    client = api(owner)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    AgentRunFactory.create_batch(5, project=other_project)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_a_maintainer_sees_and_cancels_a_run_another_maintainer_started(owner, project):
    maintainer = MembershipFactory(project=project, role=Membership.Role.MAINTAINER).user
    run = AgentRunFactory(project=project, owner=maintainer)
    assert api(owner).get(f"{URL}{run.pk}/").json()["owner"] == maintainer.username
    response = api(owner).post(f"{URL}{run.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["finished_at"] is not None


def test_cancelling_a_running_run_asks_it_to_stop(owner, project):
    run = AgentRunFactory(project=project, status="running", progress=40)
    response = api(owner).post(f"{URL}{run.pk}/cancel/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "running" and body["cancel_requested"] is True
    assert body["step"].startswith("Stopping")


def test_a_finished_run_cannot_be_cancelled(owner, project):
    run = AgentRunFactory(project=project, status="succeeded", progress=100)
    response = api(owner).post(f"{URL}{run.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["type"] == "run_finished"


def test_an_unknown_run_is_404(owner):
    assert api(owner).get(f"{URL}999999/").status_code == 404
    assert api(owner).get(f"{URL}abc/").status_code == 404


def test_only_a_succeeded_run_with_a_team_or_plan_applies(owner, project):
    queued = AgentRunFactory(project=project)
    assert api(owner).post(f"{URL}{queued.pk}/apply").json()["type"] == "run_not_succeeded"
    matched = AgentRunFactory(project=project, status="succeeded", result={"candidates": []})
    response = api(owner).post(f"{URL}{matched.pk}/apply")
    assert response.status_code == 409 and response.json()["type"] == "nothing_to_apply"


PLAN = {
    "milestones": [
        {"title": "Foundations", "goal": "Repository, CI", "week_start": 1, "week_end": 2},
        {"title": "Launch", "goal": "Ship it", "week_start": 3, "week_end": 4},
    ],
    "tasks": [
        {
            "title": "Set up CI",
            "description": "Pipelines",
            "milestone": "Foundations",
            "estimate_hours": 6,
            "skill": "Python",
            "assignee": "olga",
        },
        {
            "title": "Write the parser",
            "description": "",
            "milestone": "Launch",
            "estimate_hours": 12.5,
            "skill": "Rust",
            "assignee": "ben",
        },
    ],
}


def test_applying_a_team_and_plan_invites_people_with_reasons_and_creates_the_board_once(owner, project):
    ben, cleo = UserFactory(username="ben"), UserFactory(username="cleo")
    member = MembershipFactory(project=project).user
    InvitationFactory(project=project, user=UserFactory(username="dora"))
    teams = [
        {
            "members": ["ben", "cleo", "dora", member.username],
            "score": 0.9,
            "coverage": {"Rust": ["ben"], "Python": ["cleo"]},
            "uncovered": [],
            "overlap_hours_min": 4,
            "why": "",
            "explanation": "Covers every must-have.",
        },
    ]
    candidates = [{"username": "ben", "explanation": "Ben knows Rust well."}]
    run = AgentRunFactory(
        project=project,
        kind="assemble",
        status="succeeded",
        result={"candidates": candidates, "teams": teams, "plan": PLAN},
    )
    client = api(owner)
    response = client.post(f"{URL}{run.pk}/apply", {"team": 0}, format="json")
    assert response.status_code == 200, response.json()
    applied = response.json()["applied"]
    assert [i["username"] for i in applied["invitations"]] == ["ben", "cleo"]
    assert applied["skipped"] == [
        {"username": "dora", "reason": "This person already has a pending invitation."}
    ]  # and the member, part of the team already, is neither invited nor "skipped"
    invitation = Invitation.objects.get(project=project, user=ben)
    assert "Rust" in invitation.message and "Ben knows Rust well." in invitation.message
    assert "Covers every must-have." in invitation.message
    assert Invitation.objects.get(project=project, user=cleo).status == "pending"
    assert list(Milestone.objects.filter(project=project).values_list("title", flat=True)) == [
        "Foundations",
        "Launch",
    ]
    ci = Task.objects.get(project=project, title="Set up CI")
    assert ci.assignee == owner and ci.milestone.title == "Foundations" and ci.required_skill.name == "Python"
    parser = Task.objects.get(project=project, title="Write the parser")
    assert parser.assignee is None and "@ben" in parser.description and str(parser.estimate_hours) == "12.5"

    again = client.post(f"{URL}{run.pk}/apply", {"team": 0}, format="json")
    assert again.status_code == 200
    assert again.json()["applied"] == applied
    assert Invitation.objects.filter(project=project).count() == 3
    assert Task.objects.filter(project=project).count() == 2
    assert Milestone.objects.filter(project=project).count() == 2


def test_a_team_index_out_of_range_is_a_400(owner, project):
    run = AgentRunFactory(
        project=project,
        kind="team_formation",
        status="succeeded",
        result={"teams": [{"members": [], "coverage": {}}]},
    )
    response = api(owner).post(f"{URL}{run.pk}/apply", {"team": 2}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"team": ["No such team."]}
    assert api(owner).post(f"{URL}{run.pk}/apply", {"team": 7}, format="json").status_code == 400
