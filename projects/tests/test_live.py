"""The board's live events (projects.live): which frames the services send, to which
group, and only once the change is committed."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from projects.models import Project, Task
from projects.services import board, membership
from projects.tests.conftest import team_make
from projects.tests.factories import TaskFactory
from projects.tests.listeners import Listener, fresh_channel_layer  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def _team(visibility: str = Project.Visibility.PUBLIC):
    return team_make(visibility)


async def test_task_created_moved_edited_and_deleted_reach_the_group():
    team = await _team()
    async with Listener(team.project.pk) as listener:
        task = await database_sync_to_async(board.task_create)(
            actor=team.maintainer, project=team.project, title="Write the importer", assignee=team.member
        )
        created = await listener.frame()
        assert created["type"] == "task.created"
        assert created["task"]["id"] == task.pk
        assert created["task"]["title"] == "Write the importer"
        assert created["task"]["assignee"] == team.member.username
        assert created["task"]["status"] == "todo"

        await database_sync_to_async(board.task_status_set)(actor=team.member, task=task, status="doing")
        moved = await listener.frame()
        assert (moved["type"], moved["task"]["id"], moved["task"]["status"]) == (
            "task.updated",
            task.pk,
            "doing",
        )

        task_id = task.pk
        await database_sync_to_async(board.task_delete)(actor=team.owner, task=task)
        assert await listener.frame() == {"type": "task.deleted", "task_id": task_id}


async def test_milestone_frames_carry_its_task_counts():
    team = await _team()
    async with Listener(team.project.pk) as listener:
        milestone = await database_sync_to_async(board.milestone_create)(
            actor=team.owner, project=team.project, title="Beta"
        )
        created = await listener.frame()
        assert (created["type"], created["milestone"]["title"]) == ("milestone.created", "Beta")

        await database_sync_to_async(TaskFactory)(project=team.project, milestone=milestone, status="done")
        await database_sync_to_async(board.milestone_update)(
            actor=team.owner, milestone=milestone, goal="Ship"
        )
        updated = await listener.frame()
        assert updated["type"] == "milestone.updated"
        assert (updated["milestone"]["goal"], updated["milestone"]["done_count"]) == ("Ship", 1)

        milestone_id = milestone.pk
        await database_sync_to_async(board.milestone_delete)(actor=team.owner, milestone=milestone)
        assert await listener.frame() == {"type": "milestone.deleted", "milestone_id": milestone_id}


async def test_a_rolled_back_change_is_never_announced():
    team = await _team()

    def create_then_fail():
        with transaction.atomic():
            board.task_create(actor=team.owner, project=team.project, title="Never")
            raise RuntimeError("the request failed after the task was written")

    async with Listener(team.project.pk) as listener:
        with pytest.raises(RuntimeError):
            await database_sync_to_async(create_then_fail)()
        await listener.nothing()
    assert not await database_sync_to_async(Task.objects.filter(title="Never").exists)()


async def test_frames_go_to_that_project_only():
    team, other = await _team(), await _team(Project.Visibility.PRIVATE)
    async with Listener(other.project.pk) as listener:
        await database_sync_to_async(board.task_create)(actor=team.owner, project=team.project, title="Ours")
        await listener.nothing()


async def test_a_member_leaving_unassigns_their_tasks_live():
    team = await _team()
    task = await database_sync_to_async(TaskFactory)(project=team.project, assignee=team.member)
    async with Listener(team.project.pk) as listener:
        await database_sync_to_async(membership.member_leave)(user=team.member, project=team.project)
        frame = await listener.frame()
        assert (frame["type"], frame["task"]["id"], frame["task"]["assignee"]) == (
            "task.updated",
            task.pk,
            None,
        )
