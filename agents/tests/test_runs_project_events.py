"""A run started on a project is announced to its members' open project pages."""

import pytest
from channels.db import database_sync_to_async

from agents.models import AgentRun
from agents.runs.services import agent_run_cancel, agent_run_retry, agent_run_start
from projects.tests.conftest import team_make
from projects.tests.listeners import Listener, fresh_channel_layer  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_run_started_reaches_the_project_group_as_a_summary():
    team = await database_sync_to_async(team_make)()
    async with Listener(team.project.pk) as listener:
        run = await database_sync_to_async(agent_run_start)(
            owner=team.maintainer, project=team.project, kind="project_plan"
        )
        frame = await listener.frame()
    assert frame["type"] == "run.started"
    assert frame["run"]["id"] == run.pk
    assert frame["run"]["owner"] == team.maintainer.username
    assert (frame["run"]["kind"], frame["run"]["kind_label"]) == ("project_plan", "Plan the work")
    # Every member gets it, but only the owner and maintainers may see a run's details.
    assert not {"params", "input", "result", "error", "step"} & set(frame["run"])


async def test_a_retried_run_is_announced_again():
    team = await database_sync_to_async(team_make)()
    run = await database_sync_to_async(agent_run_start)(
        owner=team.owner, project=team.project, kind="skill_match"
    )
    await database_sync_to_async(agent_run_cancel)(actor=team.owner, run=run)
    async with Listener(team.project.pk) as listener:
        await database_sync_to_async(agent_run_retry)(actor=team.owner, run=run)
        frame = await listener.frame()
    assert (frame["type"], frame["run"]["id"], frame["run"]["status"]) == (
        "run.started",
        run.pk,
        AgentRun.Status.QUEUED,
    )
