"""A person signs up in a real browser, verifies by code, turns on TOTP and logs in with it."""

import re

import pyotp
import pytest

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-77"


def test_signup_verify_enable_totp_and_log_in_with_a_code(page, asgi_live_server, live_mailbox):
    base = asgi_live_server.url
    page.goto(base + "/accounts/signup/")
    page.fill("input[name=email]", "lin@example.com")
    page.fill("input[name=username]", "lin")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main form button[type=submit]")

    page.wait_for_url(re.compile(r".*/accounts/confirm-email/.*"))
    page.fill("input[name=code]", live_mailbox.last_code())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert User.objects.get(username="lin").emailaddress_set.get().verified

    page.goto(base + "/accounts/2fa/totp/activate/")
    # Turning on two-factor asks for the password again (allauth's reauthentication).
    page.wait_for_url(re.compile(r".*/accounts/reauthenticate/.*"))
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/"))
    secret = page.locator("input#authenticator_secret").input_value()
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("recovery codes", re.I)).first.is_visible()

    page.click("text=Log out")
    page.wait_for_load_state()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "lin@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/.*"))
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    # Signed in; a new user is sent on to set up a profile.
    page.wait_for_url(re.compile(r".*/profile/setup/.*"))
    assert page.get_by_role("button", name="Log out").is_visible()
