"""The Content-Security-Policy in a real browser: Chromium crawls the main pages of each
kind (site, allauth, admin, Swagger UI, browsable API), uses them (log in, move a task on
the board, chat with a streamed answer), and the policy blocks nothing they need."""

import os
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from agents.tests.factories import AgentRunFactory
from chat.tests.factories import ConversationFactory
from projects.models import Task
from projects.tests.factories import ProjectFactory, TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

# Runs in every page before its own scripts (Playwright's init scripts are not subject
# to the page's CSP) and reports each violation the browser raises.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
POLICY_MESSAGE = re.compile(r"Content.Security.Policy|Permissions.Policy|Refused to", re.IGNORECASE)


class Crawl:
    """A browser context that records CSP violations and policy errors on the console."""

    def __init__(self, browser, viewport_name: str):
        self.viewport_name = viewport_name
        self.problems: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORTS[viewport_name])
        self.context.set_default_timeout(15_000)
        self.context.expose_function("reportViolation", lambda violation: self.problems.append(violation))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _response(self, response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"HTTP {response.status} {response.url}")

    def _console(self, message) -> None:
        if message.text.startswith("Failed to load resource"):
            return  # reported with its URL by _response
        if message.type == "error" or POLICY_MESSAGE.search(message.text):
            self.problems.append(f"console {message.type}: {message.text}")

    def visit(self, url: str, name: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.look(name)

    def look(self, name: str) -> None:
        """The page fits the viewport; a screenshot for a human when asked for."""
        folder = os.environ.get("DEVCREW_SCREENSHOTS")
        if folder:
            self.page.screenshot(path=f"{folder}/{name}-{self.viewport_name}.png", full_page=True)

    def sign_in(self, server, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": server.host, "path": "/"}]
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture(params=list(VIEWPORTS))
def crawl(request, browser):
    crawl = Crawl(browser, request.param)
    yield crawl
    crawl.close()


def test_visitor_pages_and_login_form_work_under_the_policy(crawl, asgi_live_server):
    base = asgi_live_server.url
    user = UserFactory(username="grace", first_name="Grace")
    user.profile_complete = True
    user.save(update_fields=["profile_complete"])

    crawl.visit(base + "/", "landing")
    crawl.visit(base + "/accounts/signup/", "signup")
    crawl.visit(base + "/api/docs/", "api-docs")
    expect(crawl.page.locator(".swagger-ui .info .title")).to_contain_text("DevCrew API")
    crawl.page.locator(".opblock").first.wait_for()  # the operations, rendered by the inline script
    # "Try it out" calls the API from the page (connect-src).
    operation = crawl.page.locator(".opblock-get", has=crawl.page.locator('[data-path="/api/v1/projects/"]'))
    operation.locator(".opblock-summary").first.click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")

    crawl.visit(base + "/accounts/login/", "login")
    crawl.page.fill("input[name=login]", "grace")
    crawl.page.fill("input[name=password]", DEFAULT_PASSWORD)
    crawl.page.click("main form button[type=submit]")
    expect(crawl.page.get_by_text("Welcome, Grace")).to_be_visible()
    crawl.look("dashboard")
    assert not crawl.problems, "\n".join(crawl.problems)


def test_member_pages_board_and_chat_work_under_the_policy(crawl, asgi_live_server):
    base = asgi_live_server.url
    owner = UserFactory(username="ada", first_name="Ada")
    owner.profile_complete = True
    owner.save(update_fields=["profile_complete"])
    project = ProjectFactory(owner=owner, name="Open Atlas", description="A **bold** plan")
    task = TaskFactory(project=project, title="Import the city data", status="todo")
    conversation = ConversationFactory(owner=owner, title="Planning")
    crawl.sign_in(asgi_live_server, owner)

    crawl.visit(base + "/", "member-dashboard")
    crawl.visit(base + "/projects/", "projects")
    crawl.visit(base + project.get_absolute_url(), "project")
    # The board's quick move (htmx swaps the board in place).
    crawl.page.get_by_role("button", name="Move “Import the city data” to Doing").click()
    crawl.page.locator(".board-column[data-status=doing] [data-task='Import the city data']").wait_for()
    task.refresh_from_db()
    assert task.status == "doing"
    assert crawl.page.evaluate("htmx.config.allowEval") is False

    crawl.visit(base + f"/projects/{project.slug}/members/", "project-members")
    crawl.visit(base + "/people/", "people")
    crawl.visit(base + "/agents/", "agents")
    # A run's page follows its socket (/ws/agent-runs/<id>/) while it is not finished.
    run = AgentRunFactory(project=project)
    crawl.visit(base + "/agents/runs/", "agent-runs")
    crawl.visit(base + f"/agents/runs/{run.pk}/", "agent-run")
    crawl.visit(base + "/profile/setup/", "profile-wizard")
    # allauth's account pages: its own scripts, and the TOTP QR code as a data: image.
    crawl.visit(base + "/accounts/email/", "account-email")
    crawl.visit(base + "/accounts/2fa/totp/activate/", "reauthenticate")
    crawl.page.fill("input[name=password]", DEFAULT_PASSWORD)  # allauth asks again first
    crawl.page.click("main form button[type=submit]")
    expect(crawl.page.locator("main img").first).to_be_visible()
    crawl.look("totp-activate")

    # The chat streams its answer over the site's own WebSocket (connect-src).
    crawl.visit(base + f"/chat/{conversation.pk}/", "chat")
    expect(crawl.page.locator("#chat-root")).to_have_attribute("data-socket", "open")
    crawl.page.get_by_label("Message", exact=True).fill("Which projects am I in?")
    crawl.page.get_by_role("button", name="Send").click()
    expect(crawl.page.locator(".chat-assistant.chat-status-complete").last).to_contain_text("Open Atlas")
    crawl.look("chat-answered")
    assert not crawl.problems, "\n".join(crawl.problems)


def test_admin_and_browsable_api_work_under_the_policy(crawl, asgi_live_server):
    base = asgi_live_server.url
    staff = UserFactory(username="root", is_staff=True, is_superuser=True)
    project = ProjectFactory(owner=staff, name="Admin Atlas")
    crawl.sign_in(asgi_live_server, staff)

    crawl.visit(base + "/admin/", "admin")
    crawl.visit(base + "/admin/projects/project/", "admin-changelist")
    crawl.page.locator("#changelist").wait_for()
    # The admin's own scripts run: the action bar counts the selected rows.
    crawl.page.locator("#changelist input.action-select").first.check()
    expect(crawl.page.locator(".action-counter")).to_contain_text("1 of")
    crawl.visit(base + f"/admin/projects/project/{project.pk}/change/", "admin-change")

    crawl.visit(base + "/api/v1/projects/", "browsable-api")
    expect(crawl.page.locator(".response-info")).to_contain_text("Admin Atlas")
    assert crawl.page.evaluate("typeof window.jQuery") == "function"  # its scripts loaded
    assert not crawl.problems, "\n".join(crawl.problems)


def test_a_blocked_inline_script_is_reported(crawl, asgi_live_server):
    """The crawl's detector works: an inline script without the nonce is refused and seen."""
    crawl.visit(asgi_live_server.url + "/", "landing")
    crawl.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
        " document.body.append(s); }"
    )
    crawl.page.wait_for_timeout(200)
    assert crawl.page.evaluate("window.pwned") is None
    assert any("script-src" in problem for problem in crawl.problems)
    assert Task.objects.count() == 0
