"""Live updates in real browsers: two people, two browser contexts, one ASGI server.

Every change is made through the server (a page or the API), never by the test process
writing rows: with the embedded in-memory channel layer only the server's own process
can reach its sockets."""

import pytest

from accounts.tests.factories import UserFactory
from projects.models import Membership, Project
from projects.tests.test_browser import signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invitation_lights_the_invitees_bell_without_a_reload(browser, asgi_live_server):
    base = asgi_live_server.url
    owner, invitee = UserFactory(username="olive"), UserFactory(username="ivan")
    project = Project.objects.create(owner=owner, name="Harbour", slug="harbour", visibility="private")
    Membership.objects.create(project=project, user=owner, role="owner")

    ivan = signed_in_context(browser, asgi_live_server, invitee).new_page()
    ivan.goto(base + "/")
    bell = ivan.locator("#nav-bell")
    bell.and_(ivan.locator("[data-socket=open]")).wait_for()
    assert bell.get_attribute("aria-label") == "Notifications"
    assert not bell.locator("[data-unread-count]").is_visible()

    olive = signed_in_context(browser, asgi_live_server, owner).new_page()
    olive.goto(base + "/projects/harbour/members/")
    olive.fill("input[name=invitee]", "ivan")
    olive.click("button:has-text('Send invitation')")
    olive.get_by_text("Invitation sent to ivan").wait_for()

    # Ivan's page, untouched since it loaded: the bell counts it and a toast says it.
    bell.locator("[data-unread-count]:visible").wait_for()
    assert bell.locator("[data-unread-count]").inner_text() == "1"
    assert bell.get_attribute("aria-label") == "Notifications, 1 unread"
    toast = ivan.locator("#toasts .toast")
    assert "olive" in toast.inner_text() and "Harbour" in toast.inner_text()
    assert ivan.locator("#notifications-panel .unread-count").inner_text() == "1 unread"
