"""The projects journey in a real browser against the real ASGI server."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.demo import demo_user_ensure
from accounts.tests.factories import UserFactory
from projects.models import Membership, Project, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser, server, user):
    """A browser context carrying ``user``'s session (logged in through a test client of
    its own: logging another user into the same client would end this session)."""
    user.profile_complete = True  # straight to the dashboard, not the profile wizard
    user.save(update_fields=["profile_complete"])
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": server.host,
                "path": "/",
            }
        ]
    )
    return context


def test_owner_creates_invites_and_both_move_a_task(browser, asgi_live_server):
    base = asgi_live_server.url
    owner = UserFactory(username="ada", first_name="Ada")
    invitee, _ = demo_user_ensure(
        username="demo", email="demo@devcrew.local", first_name="Dee", last_name="Mo"
    )

    owner_page = signed_in_context(browser, asgi_live_server, owner).new_page()
    # The owner creates a private project with required skills.
    owner_page.goto(base + "/projects/new/")
    owner_page.fill("input[name=name]", "Open Atlas")
    owner_page.fill("input[name=summary]", "Maps of accessible places")
    owner_page.select_option("select[name=status]", "recruiting")
    owner_page.select_option("select[name=visibility]", "private")
    owner_page.fill("input[name=timezone]", "Europe/Berlin")
    owner_page.fill("input[name=skills-0-skill]", "postgres")
    owner_page.select_option("select[name=skills-0-min_level]", "mid")
    owner_page.fill("input[name=skills-1-skill]", "React")
    owner_page.select_option("select[name=skills-1-importance]", "nice")
    owner_page.click("text=Create project")
    owner_page.wait_for_url(re.compile(r".*/projects/open-atlas/$"))
    owner_page.get_by_role("heading", name="Open Atlas").wait_for()
    assert owner_page.locator(".required-skills-list").inner_text().startswith("PostgreSQL")

    # ...adds a task to the board...
    owner_page.click("summary:has-text('Add a task')")
    owner_page.fill("input[name=task-title]", "Import the city data")
    owner_page.click("button:has-text('Add task')")
    owner_page.locator(".board-column[data-status=todo] [data-task='Import the city data']").wait_for()

    # ...and invites the demo user.
    owner_page.click("text=Members & invitations")
    owner_page.fill("input[name=invitee]", "demo")
    owner_page.fill("textarea[name=message]", "Come map with us!")
    owner_page.click("button:has-text('Send invitation')")
    owner_page.get_by_text("Invitation sent to demo").wait_for()

    # The demo user accepts from the dashboard.
    demo_page = signed_in_context(browser, asgi_live_server, invitee).new_page()
    demo_page.goto(base + "/")
    invitation = demo_page.locator("#invitations-panel li.invitation[data-project=open-atlas]")
    assert "Come map with us!" in invitation.inner_text()
    assert "1 unread" in demo_page.locator("#notifications-panel").inner_text()
    invitation.get_by_role("button", name="Accept").click()
    demo_page.wait_for_url(re.compile(r".*/projects/open-atlas/$"))
    assert Membership.objects.filter(project__slug="open-atlas", user=invitee, role="member").exists()

    # Both see the board; the new member moves the task to Doing (htmx swaps the board).
    demo_page.get_by_role("button", name="Move “Import the city data” to Doing").click()
    demo_page.locator(".board-column[data-status=doing] [data-task='Import the city data']").wait_for()
    assert Task.objects.get(title="Import the city data").status == "doing"

    owner_page.goto(base + "/projects/open-atlas/")
    owner_page.locator(".board-column[data-status=doing] [data-task='Import the city data']").wait_for()
    assert (
        "demo" in owner_page.locator(".team-list").inner_text().lower()
        or "Dee" in owner_page.locator(".team-list").inner_text()
    )
    owner_page.get_by_role("button", name="Move “Import the city data” to Done").click()
    owner_page.locator(".board-column[data-status=done] [data-task='Import the city data']").wait_for()
    assert Task.objects.get(title="Import the city data").status == "done"
    assert Project.objects.get(slug="open-atlas").required_skills.count() == 2


def test_project_page_is_usable_at_phone_width(browser, asgi_live_server):
    owner = UserFactory()
    project = Project.objects.create(owner=owner, name="Phone", slug="phone", status="active")
    Membership.objects.create(project=project, user=owner, role="owner")
    Task.objects.create(project=project, title="A task with a rather long title to wrap", status="todo")
    context = signed_in_context(browser, asgi_live_server, owner)
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(asgi_live_server.url + "/projects/phone/")
    page.locator("#board").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_task_is_dragged_with_the_mouse_and_moved_with_the_keyboard(browser, asgi_live_server):
    owner = UserFactory(username="kim")
    project = Project.objects.create(owner=owner, name="Board", slug="board", status="active")
    Membership.objects.create(project=project, user=owner, role="owner")
    task = Task.objects.create(project=project, title="Ship it", status="todo", created_by=owner)
    Task.objects.create(project=project, title="Stay put", status="todo", created_by=owner)
    page = signed_in_context(browser, asgi_live_server, owner).new_page()
    page.goto(asgi_live_server.url + "/projects/board/")

    card = page.locator(".task-card[data-task='Ship it']")
    card.drag_to(page.locator(".board-column[data-status=doing]"))
    page.locator(".board-column[data-status=doing] [data-task='Ship it']").wait_for()
    expect(page.locator("#board-status")).to_contain_text("to Doing")
    assert Task.objects.get(pk=task.pk).status == "doing"

    # The keyboard alternative: focus the card, → moves it one column; focus stays on it.
    card = page.locator(".task-card[data-task='Ship it']")
    card.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#board-status")).to_contain_text("to Done")
    page.locator(".board-column[data-status=done] [data-task='Ship it']").wait_for()
    assert Task.objects.get(pk=task.pk).status == "done"
    assert page.evaluate("document.activeElement.dataset.task") == "Ship it"
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#board-status")).to_contain_text("to Doing")
    assert Task.objects.get(pk=task.pk).status == "doing"
    assert page.evaluate("document.activeElement.dataset.task") == "Ship it"

    # "+ Add task" in a column, and ✕ asks before deleting.
    page.locator(".board-column[data-status=todo] .quick-add summary").click()
    page.fill("#quick-title-todo", "Quick one")
    page.keyboard.press("Enter")
    page.locator(".board-column[data-status=todo] [data-task='Quick one']").wait_for()
    page.get_by_role("button", name="Delete “Quick one”").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Cancel").click()
    assert Task.objects.filter(title="Quick one").exists()
    page.get_by_role("button", name="Delete “Quick one”").click()
    dialog.get_by_role("button", name="Delete task").click()
    page.locator("[data-task='Quick one']").wait_for(state="detached")
    assert not Task.objects.filter(title="Quick one").exists()
    assert Task.objects.get(title="Stay put").status == "todo"
