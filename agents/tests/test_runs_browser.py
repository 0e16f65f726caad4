"""The journey of issue 11 in a browser: "Do all three" on a project, watch the progress
bar move, apply the result, see the invitations and the tasks."""

import pytest
from playwright.sync_api import expect

from agents.tests.test_matching import person, project_needing
from config.pytest_plugin import log_in_page as log_in
from projects.models import Invitation, Task

pytestmark = pytest.mark.django_db(transaction=True)

STEP_DELAY = 0.4  # seconds after each step of a run: slow enough to watch the bar move


_KEEP: list = []


def _worker_beside_the_server():
    """In the server process: a real Celery worker thread consuming the server's broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    worker = start_worker(app, pool="solo", perform_ping_check=False)
    worker.__enter__()
    _KEEP.append(worker)  # a dropped context manager would stop the worker when collected


@pytest.fixture
def runs_live_server(django_db_blocker, _live_mail_dir):
    from config.pytest_plugin import live_server_running

    with live_server_running(
        django_db_blocker, in_server=_worker_beside_the_server, AGENT_RUN_STEP_DELAY=STEP_DELAY
    ) as server:
        yield server


def test_do_all_three_watch_progress_apply_and_see_invitations_and_tasks(page, runs_live_server):
    project = project_needing(
        ("Python", "must"), ("React", "must"), description="## Goal\n\n- Volunteers list repairs", team_size=3
    )
    owner = person("olga", ("Python", 6), level="senior")
    project.owner = owner.user
    project.save(update_fields=["owner"])
    project.memberships.update(user=owner.user)
    person("rita", ("React", 5), level="senior", looking=True)
    person("pete", ("React", 2), "Python")
    base = runs_live_server.url
    log_in(page, base, owner.user)

    page.goto(f"{base}{project.get_absolute_url()}")
    page.get_by_role("button", name="Do all three").click()
    expect(page.get_by_role("heading", name="Do all three")).to_be_visible()

    bar = page.locator("[data-run-progress]")
    seen = set()
    for _ in range(200):
        value = int(float(bar.get_attribute("value") or 0))
        if page.get_by_role("heading", name="Apply the result").count():
            break
        seen.add(value)
        page.wait_for_timeout(50)
    assert len({v for v in seen if 0 < v < 100}) >= 2, seen  # the bar moved, live, before the end
    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    expect(page.locator("table.heatmap").first).to_contain_text("✓")
    expect(page.locator(".timeline")).to_contain_text("Set-up")

    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Invitations sent to")).to_be_visible()
    invited = list(Invitation.objects.filter(project=project).values_list("user__username", flat=True))
    assert invited and "DevCrew's team-formation agent chose you" in Invitation.objects.first().message

    page.get_by_role("link", name="the board").click()
    first_task = Task.objects.filter(project=project).order_by("pk").first()
    expect(page.locator("#board")).to_contain_text(first_task.title)
