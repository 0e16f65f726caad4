"""Two members in the project room, each in a browser context of their own, on the real
ASGI server: they see each other online, typing, and each other's messages live."""

import os

import pytest
from playwright.sync_api import expect

from chat.models import RoomMessage
from chat.tests.factories import room_with_members
from config.pytest_plugin import log_in_page as log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("ROOM_SCREENSHOTS")  # a folder: keep a screenshot of each size


def open_room(browser, base: str, user, slug: str, *, viewport=(1366, 900)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, base, user)
    page.goto(f"{base}/projects/{slug}/room/")
    expect(page.locator("#room-root")).to_have_attribute("data-live", "true")
    return context, page


def test_two_members_chat_see_typing_presence_and_mentions(browser, asgi_live_server):
    project, users = room_with_members("olga", "mia", "max")
    base = asgi_live_server.url
    olga_context, olga = open_room(browser, base, users["olga"], project.slug)
    mia_context, mia = open_room(browser, base, users["mia"], project.slug, viewport=(390, 844))
    try:
        # Presence: each sees both online; max is a member who is not there.
        for page in (olga, mia):
            expect(page.locator("#room-people li.online")).to_have_count(2)
            expect(page.locator('#room-people li[data-username="max"]')).not_to_have_class("online")

        # Typing reaches the other one.
        mia.locator("#room-input").press_sequentially("Hello @ol", delay=20)
        expect(olga.locator("#room-typing")).to_have_text("@mia is typing…")
        # Mention autocomplete offers members (not herself) and completes the name.
        expect(mia.locator("#room-mentions li")).to_have_text(["@olga"])
        mia.keyboard.press("Enter")
        expect(mia.locator("#room-input")).to_have_value("Hello @olga ")
        mia.locator("#room-input").press_sequentially("**welcome**")
        mia.keyboard.press("Enter")

        # The message arrives on both sides, rendered, with the mention linked.
        for page in (olga, mia):
            message = page.locator(".room-message", has_text="Hello").last
            expect(message.locator("strong")).to_have_text("welcome")
            expect(message.locator("a.mention")).to_have_text("@olga")
        expect(olga.locator("#room-typing")).to_have_text("")
        assert RoomMessage.objects.get(author=users["mia"]).content == "Hello @olga **welcome**"

        # Olga answers; mia sees it without reloading.
        olga.locator("#room-input").fill("Thanks, Mia!")
        olga.get_by_role("button", name="Send").click()
        expect(mia.locator(".room-message", has_text="Thanks, Mia!")).to_be_visible()
        if SCREENSHOTS:
            olga.screenshot(path=f"{SCREENSHOTS}/room-1366.png")
            mia.screenshot(path=f"{SCREENSHOTS}/room-390.png")

        # Leaving: olga sees mia go offline.
        mia_context.close()
        expect(olga.locator("#room-people li.online")).to_have_count(1)
    finally:
        olga_context.close()
        if mia_context.pages:
            mia_context.close()
