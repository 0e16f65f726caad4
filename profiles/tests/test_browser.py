"""The profile journey in a real browser against the real ASGI server."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick_skill(page, field, typed: str, option: str):
    """Type into the skill chips' field and click a suggestion."""
    box = page.locator(f"#id_{field}-add")
    box.press_sequentially(typed, delay=30)
    choice = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]", has_text=option).first
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
    expect(page.locator("#id_primary_skills")).to_have_value("React, JavaScript")
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
    # No bio, no other links: optional, so the profile is complete and nothing nags.
    expect(page.locator(".profile-panel")).to_contain_text("Your profile is complete.")


def test_skills_step_uses_chips_with_years_and_keyboard_removal(page, asgi_live_server):
    from profiles.models import Skill
    from profiles.tests.factories import ProfileFactory

    profile = ProfileFactory(user__username="chips", primary_skills=[("Django", 3)], secondary_skills=[])
    base = asgi_live_server.url
    page.goto(base + "/accounts/login/")
    page.fill("[name=login]", "chips")
    page.fill("[name=password]", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(base + "/")
    page.goto(base + "/profile/setup/skills/")

    primary = page.get_by_role("list", name="Chosen primary skills")
    django = primary.get_by_role("listitem").filter(has_text="Django")
    expect(django.get_by_label("Years of Django")).to_have_value("3")
    expect(page.locator("#id_primary_skills")).to_be_hidden()  # the chips stand in for the text

    # "pyt" offers Python before pytest; the typed years go with the chosen skill.
    box = page.get_by_role("combobox", name="Primary skills")
    box.press_sequentially("pyt", delay=30)
    options = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]")
    expect(options.first).to_have_text("Python")
    expect(options.nth(1)).to_have_text("pytest")
    box.fill("")
    box.press_sequentially("Python: 5", delay=20)
    box.press("Enter")
    expect(
        primary.get_by_role("listitem").filter(has_text="Python").get_by_label("Years of Python")
    ).to_have_value("5")

    # A skill the taxonomy does not know is kept, marked for review.
    box.press_sequentially("Quantum basketweaving", delay=10)
    box.press("Enter")
    unknown = primary.get_by_role("listitem").filter(has_text="Quantum basketweaving")
    expect(unknown).to_contain_text("new, will be reviewed")
    # Backspace in the empty field removes the last chip; the ✕ removes any.
    expect(box).to_have_value("")
    box.press("Backspace")
    expect(unknown).to_have_count(0)
    django.get_by_role("button", name="Remove Django").click()
    expect(django).to_have_count(0)
    expect(box).to_be_focused()
    expect(page.locator("#id_primary_skills")).to_have_value("Python: 5")

    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/profile/setup/experience/$"))
    rows = list(profile.profile_skills.select_related("skill").filter(kind="primary"))
    assert [(row.skill.name, row.years) for row in rows] == [("Python", 5)]
    assert not Skill.objects.filter(name__contains=":").exists()
