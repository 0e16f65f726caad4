"""The profile journey in a real browser against the real ASGI server."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick_skill(page, field, typed: str, option: str):
    textarea = page.locator(f"#id_{field}")
    textarea.press_sequentially(typed, delay=30)
    choice = page.locator(f"#{textarea.get_attribute('aria-controls')} [role=option]", has_text=option).first
    choice.wait_for()
    choice.click()


def test_new_user_completes_the_wizard_with_autocomplete_and_sees_the_public_profile(page, asgi_live_server):
    user = UserFactory(username="newbie", first_name="Nia")
    base = asgi_live_server.url

    page.goto(base + "/accounts/login/")
    page.fill("[name=login]", user.username)
    page.fill("[name=password]", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").last.click()

    # First login: the dashboard sends the new user into the wizard.
    page.wait_for_url(re.compile(r"/profile/setup/basics/$"))
    expect(page.get_by_text("Step 1 of 5: Basics")).to_be_visible()
    page.fill("#id_display_name", "Nia Newbie")
    page.fill("#id_headline", "Frontend developer")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(re.compile(r"/profile/setup/skills/$"))
    pick_skill(page, "primary_skills", "reac", "React")
    pick_skill(page, "primary_skills", "js", "JavaScript")  # an alias suggests the canonical name
    expect(page.locator("#id_primary_skills")).to_have_value("React, JavaScript, ")
    pick_skill(page, "secondary_skills", "k8", "Kubernetes")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(re.compile(r"/profile/setup/experience/$"))
    page.get_by_label("Senior").check()
    page.fill("#id_interests", "design systems, climate")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(re.compile(r"/profile/setup/availability/$"))
    page.fill("#id_timezone", "Europe/Lisbon")
    page.fill("#id_working_hours_start", "09:00")
    page.fill("#id_working_hours_end", "17:00")
    page.fill("#id_availability_hours", "12")
    page.fill("#id_github", "https://github.com/nia-newbie")
    page.get_by_label("I am looking for a team").check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(re.compile(r"/profile/setup/review/$"))
    page.get_by_label("Public: anyone").check()
    page.get_by_role("button", name="Publish profile").click()

    page.wait_for_url(re.compile(r"/u/newbie/$"))
    expect(page.get_by_role("heading", name="Nia Newbie")).to_be_visible()
    skills = page.locator(".skill-primary")
    expect(skills.filter(has_text="React")).to_have_count(1)
    expect(skills.filter(has_text="JavaScript")).to_have_count(1)
    expect(page.locator(".skill-secondary", has_text="Kubernetes")).to_be_visible()
    expect(page.locator(".local-time")).to_be_visible()
    expect(page.locator("a.github-link")).to_have_attribute("href", "https://github.com/nia-newbie")

    # The dashboard no longer redirects, and shows the finished profile.
    page.goto(base + "/")
    expect(page.locator(".profile-panel")).to_contain_text(
        "Your profile: 90% complete"
    )  # no bio, no other links
