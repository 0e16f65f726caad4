"""A private teammate, seen in the browser: username and role only, at desktop and phone widths."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.factories import UserFactory
from profiles.tests.factories import ProfileFactory
from projects.models import Membership
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}


def _context(browser, server, user, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": server.host, "path": "/"}]
        )
    return context


def test_private_teammate_shows_without_time_zone_or_name(browser, asgi_live_server):
    owner = UserFactory(username="ada", first_name="Ada", last_name="Lovelace", profile_complete=True)
    ProfileFactory(user=owner, timezone="Europe/London")
    project = ProjectFactory(owner=owner, name="Analytical Engine", slug="engine")
    hermit = UserFactory(username="hermit", first_name="Hidden", last_name="Hermit")
    ProfileFactory(user=hermit, timezone="Pacific/Chatham", visibility="private")
    MembershipFactory(project=project, user=hermit, role=Membership.Role.MEMBER)
    shots = os.environ.get("SCREENSHOTS_DIR")

    for label, size in VIEWPORTS.items():
        for who, user, path in (
            ("anonymous", None, "/projects/engine/"),
            ("owner", owner, "/projects/engine/members/"),
        ):
            context = _context(browser, asgi_live_server, user, size)
            page = context.new_page()
            page.goto(asgi_live_server.url + path)
            team = page.locator("#team-heading").locator("xpath=..")
            text = team.inner_text()
            assert "hermit" in text
            assert "Pacific/Chatham" not in text and "Hidden" not in text
            assert "Europe/London" in text
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/team-{who}-{label}.png", full_page=True)
            context.close()
