"""Account emails as their reader sees them: the site's name, and links to the address
the site was reached at (config.site), not to a fixed host."""

import json
import urllib.request

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

PASSWORD = "a-long-and-unusual-passphrase-77"


@pytest.mark.django_db
def test_api_verification_email_greets_with_the_site_name_and_links_to_the_host_asked(api, mailoutbox):
    response = api.post(
        "/api/v1/auth/register/",
        {"email": "ada@example.com", "username": "ada", "password": PASSWORD},
        HTTP_HOST="devcrew.example:8123",
    )
    assert response.status_code == 201
    (mail,) = mailoutbox
    assert mail.subject.startswith("[DevCrew] Your verification code: ")
    assert mail.body.startswith("Hello ada,\n\nWelcome to DevCrew! Your verification code is:")
    assert "http://devcrew.example:8123/" in mail.body
    assert "&" not in mail.body and "&#" not in mail.body  # plain text, nothing HTML-escaped


@pytest.mark.django_db
def test_outside_a_request_links_use_the_site_url_setting(settings, mailoutbox):
    from accounts.services import password_forgot

    settings.SITE_URL = "https://crew.example.org"
    UserFactory(email="grace@example.com", username="grace")
    password_forgot(email="grace@example.com")
    (mail,) = mailoutbox
    assert mail.body.startswith("Hello grace,\n\nYour DevCrew password reset code is:")
    assert "https://crew.example.org/" in mail.body


@pytest.mark.django_db
def test_browser_signup_email_says_hello_from_devcrew_not_a_host_name(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "lin@example.com", "username": "lin", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1:8765",
    )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.subject.startswith("[DevCrew] ")
    assert mail.body.startswith("Hello from DevCrew!")
    assert "Thank you for using DevCrew!\nhttp://127.0.0.1:8765" in mail.body


@pytest.mark.django_db(transaction=True)
def test_a_server_on_another_port_mails_links_to_that_port(asgi_live_server, live_mailbox):
    """``make run PORT=…``: the server's own address is in the mail, whatever port it got."""
    request = urllib.request.Request(  # noqa: S310 (the test's own http:// server)
        f"{asgi_live_server.url}/api/v1/auth/register/",
        data=json.dumps({"email": "kay@example.com", "username": "kay", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201
    (message,) = live_mailbox.messages()
    assert "Welcome to DevCrew!" in message
    assert f"{asgi_live_server.url}/" in message
    assert "127.0.0.1:8000" not in message
