"""allauth's pages speak the site's language and use its layout and buttons."""

import re

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ENTRANCE = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MANAGE = ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("path", ENTRANCE)
def test_entrance_pages_say_log_in_never_sign_in(client, path):
    html = client.get(path).content.decode()
    text = text_of(html)
    assert not re.search(r"sign[ -]?in|signed in", text, re.I), path
    assert 'class="site-header"' in html and html.count("<h1") == 1


def test_log_in_page_wording_and_its_primary_button(client):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r"<h1>\s*Log in\s*</h1>", html)
    assert '<label for="id_login">Username or email</label>' in html
    assert "Keep me logged in" in html and "New to DevCrew?" in html
    primary = re.findall(r"<button\s+type=\"submit\"\s*>\s*([^<]+?)\s*</button>", html)  # no secondary class
    assert primary == ["Log in"]


def test_sign_up_shows_the_password_rules_tied_to_the_password_field(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'aria-describedby="id_password1_helptext"' in html
    rules = re.search(r'<div class="helptext" id="id_password1_helptext">(.*?)</div>', html, re.S)
    assert rules and "at least 12 characters" in rules.group(1)
    assert "Confirm password" in html and "Already have an account?" in html


def test_logging_in_says_logged_in(client):
    user = UserFactory(username="ada", profile_complete=True)
    response = client.post("/accounts/login/", {"login": "ada", "password": DEFAULT_PASSWORD}, follow=True)
    assert response.context["user"] == user
    assert "Logged in as ada." in response.content.decode()


@pytest.mark.parametrize("path", MANAGE)
def test_account_settings_pages_have_tabs_and_site_wording(client, path):
    client.force_login(UserFactory(profile_complete=True))
    html = client.get(path).content.decode()
    assert 'nav class="account-nav" aria-label="Account settings"' in html
    assert html.count('aria-current="page"') == 1
    assert not re.search(r"Sign Out|Sign In|Change Password|Email Addresses", html)


def test_password_change_shows_rules_and_distinct_destructive_buttons(client):
    client.force_login(UserFactory(profile_complete=True))
    html = client.get("/accounts/password/change/").content.decode()
    assert 'id="id_password1_helptext"' in html and "at least 12 characters" in html
    email = client.get("/accounts/email/").content.decode()
    assert re.search(r'<button\s+class="danger"[^>]*name="action_remove"', email)
    assert re.search(r'<button\s+class="secondary outline"[^>]*name="action_send"', email)
