"""Full-page screenshots of the main pages at desktop (1366x900) and phone (390x844) size,
written to var/screenshots/ so a reviewer can look at them without running a browser
(`make screenshots`). Each page is also checked with axe-core at both sizes."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from config.pytest_plugin import axe_violations, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.screenshots, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _demo_pages() -> dict[str, str]:
    """The demo data (``seed_demo``), a chat with Markdown and code, and a finished agent run."""
    from accounts.models import User
    from agents.models import AgentRun
    from agents.runs import execution
    from agents.runs.services import agent_run_start
    from chat.models import Conversation, Message
    from projects.models import Project

    call_command("seed_demo", verbosity=0)
    demo = User.objects.get(username="demo")
    project = Project.objects.filter(owner=demo).order_by("pk")[0]
    conversation = Conversation.objects.create(owner=demo, title="Plan the API for Orbit")
    question = Message.objects.create(
        conversation=conversation, role="user", content="How should we paginate the task list?"
    )
    answer = Message.objects.create(
        conversation=conversation,
        parent=question,
        role="assistant",
        provider="offline",
        model="offline",
        prompt_tokens=120,
        completion_tokens=96,
        content=(
            "Use a **cursor** on `(created_at, id)`:\n"
            "- stable while tasks are added\n- cheap on large tables\n"
            "## Example\n```python\ndef page(tasks, after=None):\n"
            "    query = tasks.order_by('created_at', 'id')\n"
            "    return query.filter(pk__gt=after)[:50] if after else query[:50]\n```\n"
            "| Option | Cost |\n|---|---|\n| offset | grows with the page |\n| cursor | constant |"
        ),
    )
    conversation.active_leaf = answer
    conversation.save()
    run = agent_run_start(owner=demo, project=project, kind=AgentRun.Kind.SKILL_MATCH)
    run.refresh_from_db()
    if run.status not in (AgentRun.Status.SUCCEEDED, AgentRun.Status.FAILED):
        execution.run_execute(run.pk, attempt=0)
    return {
        "dashboard": "/",
        "people": "/people/",
        "profile": f"/u/{demo.username}/",
        "project-board": project.get_absolute_url(),
        "chat": conversation.get_absolute_url(),
        "agent-run": f"/agents/runs/{run.pk}/",
    }


def _demo_pages_in_thread() -> dict[str, str]:
    from django.db import connection

    try:
        return _demo_pages()
    finally:
        connection.close()


def test_screenshots_of_the_main_pages(page, asgi_live_server):
    out = Path(settings.BASE_DIR) / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    base = asgi_live_server.url
    # Its services broadcast through async_to_sync, which Playwright's loop in this thread forbids.
    with ThreadPoolExecutor(1) as pool:
        pages = pool.submit(_demo_pages_in_thread).result()
    problems: list[str] = []

    def shoot(name: str, size: str) -> None:
        page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=name != "chat")
        problems.extend(f"{name} ({size}): {v['id']} {v['help']} {v['nodes']}" for v in axe_violations(page))

    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.context.clear_cookies()
        page.goto(f"{base}/")
        shoot("landing", size)
        from accounts.models import User

        log_in_page(page, base, User.objects.get(username="demo"))
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            shoot(name, size)
        if size == "phone":
            page.goto(f"{base}/")
            page.locator(".site-header .nav-toggle").click()
            page.wait_for_timeout(300)
            shoot("phone-menu-open", size)

    written = sorted(p.name for p in out.glob("*.png"))
    assert len(written) >= 2 * (len(pages) + 1) + 1, written
    assert not problems, "\n".join(problems)
