"""A real browser against the real ASGI server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_opens_the_landing_page_and_follows_the_api_docs_link(page, asgi_live_server):
    page.goto(asgi_live_server.url + "/")
    assert "DevCrew" in page.title()
    page.get_by_role("heading", name="Find your crew. Plan the work. Ship together.").wait_for()

    page.click("#api-docs-link")
    page.wait_for_url("**/api/docs/")
    # Swagger UI is rendered by JavaScript served from our own static files.
    page.locator(".swagger-ui .info .title").wait_for()
    assert "DevCrew API" in page.locator(".swagger-ui .info .title").inner_text()


def test_landing_page_is_usable_at_phone_width(page, asgi_live_server):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(asgi_live_server.url + "/")
    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll
    log_in = page.get_by_role("link", name="Log in")
    menu = page.get_by_role("button", name="Menu")
    assert not log_in.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    # Reached and opened with the keyboard, announced as expanded; Escape closes it again.
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # logo
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "nav-links"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert log_in.is_visible()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not log_in.is_visible()
