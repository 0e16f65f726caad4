"""Content-Security-Policy and Permissions-Policy on every kind of page: the site, allauth,
the Django admin, the DRF browsable API, Swagger UI, error pages and JSON."""

import re

import pytest

from accounts.tests.factories import UserFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
DATA_BLOCK_TYPES = ("application/json", "application/ld+json")


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_hardened(response) -> None:
    policy = directives(response)
    script_src = policy["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert all(value == "'self'" or value.startswith("'nonce-") for value in script_src)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "https:" not in policy["img-src"] and "*" not in policy["img-src"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions

    # Every executable inline script carries the response's nonce; nothing else could run.
    if response.get("Content-Type", "").startswith("text/html"):
        nonces = {value[len("'nonce-") : -1] for value in script_src if value.startswith("'nonce-")}
        for attributes in INLINE_SCRIPT.findall(response.content.decode()):
            if any(kind in attributes for kind in DATA_BLOCK_TYPES):
                continue  # a JSON data block, never executed
            nonce = re.search(r'nonce="([^"]+)"', attributes)
            assert nonce and nonce.group(1) in nonces, f"inline <script{attributes}> has no valid nonce"


@pytest.fixture
def member(client):
    user = UserFactory()
    user.profile_complete = True
    user.save(update_fields=["profile_complete"])
    client.force_login(user)
    return user


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/admin/login/",
        "/api/docs/",
    ],
)
def test_anonymous_pages_carry_both_policies(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_hardened(response)


def test_signed_in_site_pages_carry_both_policies(client, member):
    project = ProjectFactory(owner=member)
    for url in ("/", "/projects/", project.get_absolute_url(), "/chat/", "/people/", "/profile/setup/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_hardened(response)


def test_admin_and_browsable_api_carry_both_policies(client, staff):
    for url in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{staff.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
    browsable = client.get("/api/v1/projects/", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200
    assert "/static/rest_framework/" in browsable.content.decode()  # DRF's page, in the site's colours
    assert_hardened(browsable)


def test_errors_and_json_carry_the_policy_too(client):
    assert_hardened(client.get("/no-such-page/"))
    assert_hardened(client.get("/api/v1/no-such-endpoint/"))
    assert_hardened(client.get("/api/schema/"))


def test_swagger_ui_inline_script_runs_only_with_this_responses_nonce(client):
    first, second = client.get("/api/docs/"), client.get("/api/docs/")
    nonce = re.search(r"<script nonce=\"([^\"]+)\">", first.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(first)["script-src"]
    assert f"'nonce-{nonce}'" not in directives(second)["script-src"]  # fresh per response


def test_pages_without_inline_scripts_get_no_nonce(client):
    """A nonce is only issued when a page needs one, so the policy stays strict elsewhere."""
    assert directives(client.get("/"))["script-src"] == ["'self'"]


def test_connect_src_names_the_sites_own_socket_origin(client, settings):
    settings.ALLOWED_HOSTS = ["devcrew.test"]
    plain = client.get("/", HTTP_HOST="devcrew.test:8000")
    assert directives(plain)["connect-src"] == ["'self'", "ws://devcrew.test:8000"]
    secure = client.get("/", HTTP_HOST="devcrew.test", secure=True)
    assert directives(secure)["connect-src"] == ["'self'", "wss://devcrew.test"]
