"""The admin of agent runs: filters, search by owner, readable JSON, cancel and retry."""

import pytest

from accounts.tests.factories import UserFactory
from agents.models import AgentRun
from agents.tests.factories import AgentRunFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/admin/agents/agentrun/"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_changelist_filters_and_searches_by_owner(staff_client):
    mine = AgentRunFactory(project=ProjectFactory(owner=UserFactory(username="grace")), kind="project_plan")
    AgentRunFactory(project=ProjectFactory(owner=UserFactory(username="linus")), kind="skill_match")
    page = staff_client.get(URL, {"kind__exact": "project_plan", "status__exact": "queued"}).content.decode()
    assert "grace" in page and "linus" not in page
    page = staff_client.get(URL, {"q": "linus"}).content.decode()
    assert "linus" in page and "grace" not in page
    page = staff_client.get(URL, {"project__id__exact": mine.project_id}).content.decode()
    assert "grace" in page and "linus" not in page


def test_the_result_is_shown_as_indented_json(staff_client):
    run = AgentRunFactory(status="succeeded", result={"candidates": [{"username": "ada", "score": 0.9}]})
    page = staff_client.get(f"{URL}{run.pk}/change/").content.decode()
    assert "<pre" in page and "&quot;username&quot;: &quot;ada&quot;" in page


def test_cancel_and_retry_actions(staff_client):
    queued = AgentRunFactory()
    failed = AgentRunFactory(status="failed", error="boom", error_type="internal_error")
    done = AgentRunFactory(status="succeeded")
    response = staff_client.post(
        URL, {"action": "cancel_runs", "_selected_action": [queued.pk, done.pk]}, follow=True
    )
    assert "1 run(s) cancelled" in response.content.decode()
    assert "already succeeded" in response.content.decode()
    staff_client.post(URL, {"action": "retry_runs", "_selected_action": [failed.pk]})
    queued.refresh_from_db()
    failed.refresh_from_db()
    assert queued.status == AgentRun.Status.CANCELLED
    assert failed.status == AgentRun.Status.QUEUED and failed.error == "" and failed.progress == 0
