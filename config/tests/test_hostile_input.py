"""No 500, ever, from input (issue 9): each defect a fuzzer found, through the API door.

The sweep over every route is ``test_api_sweep.py``; these pin the individual defects
and their siblings, each with the status and body a client sees.
"""

import io
import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.tests.factories import UserFactory
from chat.tests.factories import ConversationFactory
from config.api.exceptions import RequestTooLarge
from config.api.parsers import JSONParser
from projects.models import Notification
from projects.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
DEEP = "[" * 50_000 + "]" * 50_000
NOT_IDS = ["abc", "-1", "1.0", "\u0661", 10**20, 2**63, 1.5, True, None, [1], {"id": 1}]


@pytest.fixture
def anon():
    client = APIClient()
    client.raise_request_exception = False
    return client


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def api(user):
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(user)
    return client


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) <= {"type", "detail", "fields"} and body["type"] and body["detail"]
    return body


# -- request bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["auth/token", "auth/register"])
def test_deeply_nested_json_is_a_400_for_anyone(anon, path):
    response = anon.post(f"{API}/{path}", DEEP, content_type="application/json")
    assert error_of(response, 400)["type"] == "parse_error"
    inside = anon.post(f"{API}/{path}", '{"email": ' + DEEP + "}", content_type="application/json")
    assert error_of(inside, 400)["type"] == "parse_error"


def test_moderately_nested_json_is_refused_before_any_code_recurses_over_it(anon):
    body = {"login": "ada", "password": "x" * 12, "extra": json.loads("[" * 40 + "]" * 40)}
    response = anon.post(f"{API}/auth/token", body, format="json")
    assert "nested" in error_of(response, 400)["detail"]


def test_nul_characters_in_any_json_field_are_a_field_error(api):
    response = api.post(f"{API}/profiles/me", {"interests": ["rust\x00"], "headline": "ok"}, format="json")
    assert error_of(response, 400)["fields"] == {"interests": ["Null characters are not allowed."]}


def test_form_bodies_never_reach_a_field(anon):
    """The API reads JSON only (a NUL in a form field cannot reach the database either)."""
    response = anon.post(f"{API}/auth/token", {"login": "ada\x00", "password": "x"}, format="multipart")
    assert error_of(response, 415)["type"] == "unsupported_media_type"


def test_lone_surrogates_are_a_field_error(api):
    raw = '{"interests": ["\\ud800"]}'
    response = api.post(f"{API}/profiles/me", raw, content_type="application/json")
    assert "interests" in error_of(response, 400)["fields"]


def test_a_body_over_the_upload_limit_is_a_413(anon):
    body = json.dumps({"login": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "password": "x"})
    response = anon.post(f"{API}/auth/token", body, content_type="application/json")
    assert error_of(response, 413)["type"] == "request_too_large"


def test_a_body_without_content_length_stops_being_read_past_the_limit():
    """Chunked bodies announce no size: the parser itself reads at most the limit."""
    body = b'{"login": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'
    with pytest.raises(RequestTooLarge):
        JSONParser().parse(io.BytesIO(body), "application/json", {})
    assert JSONParser().parse(io.BytesIO(b'{"login": "ada"}'), "application/json", {}) == {"login": "ada"}


def test_a_site_page_over_the_upload_limit_is_a_plain_413_page(client):
    response = client.post(
        "/accounts/login/",
        "login=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"Too large" in response.content


# -- ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [10**20, 2**63, 0, -1, "x", 1.5])
def test_ids_that_are_no_64_bit_id_are_a_field_error(api, user, value):
    response = api.post(f"{API}/notifications/read/", {"ids": [value]}, format="json")
    assert "ids" in error_of(response, 400)["fields"]


def test_the_largest_id_is_accepted_and_marks_nothing(api, user):
    Notification.objects.create(recipient=user, kind="task_assigned", text="hi", url="/")
    response = api.post(f"{API}/notifications/read/", {"ids": [2**63 - 1]}, format="json")
    assert response.status_code == 200
    assert response.json()["marked"] == 0


def test_an_unbounded_id_list_is_a_field_error(api):
    response = api.post(f"{API}/notifications/read/", {"ids": list(range(1, 5002))}, format="json")
    assert "ids" in error_of(response, 400)["fields"]


@pytest.mark.parametrize("huge", [str(10**20), str(2**63)])
def test_a_path_id_beyond_64_bits_is_a_404(api, user, huge):
    project = ProjectFactory(owner=user)
    TaskFactory(project=project)
    for path in [
        f"projects/{project.slug}/tasks/{huge}",
        f"projects/{project.slug}/milestones/{huge}/",
        f"projects/{project.slug}/invitations/{huge}/accept",
        f"conversations/{huge}/messages",
        f"agents/{huge}/",
    ]:
        assert error_of(api.get(f"{API}/{path}"), 404)["type"] == "not_found", path
    assert error_of(api.post(f"{API}/projects/{project.slug}/invitations/{huge}/accept"), 404)


def test_a_chat_with_an_agent_id_beyond_64_bits_is_a_field_error(api):
    response = api.post(f"{API}/conversations/", {"agent": 10**20}, format="json")
    assert "agent" in error_of(response, 400)["fields"]


# -- URLs in profile fields ----------------------------------------------------------------


@pytest.mark.parametrize("github", ["[", "http://[", "https://github.com:99999999/ada", "github.com:x/ada"])
def test_github_values_urlparse_cannot_parse_are_a_field_error(api, github):
    response = api.post(f"{API}/profiles/me", {"github": github}, format="json")
    assert "github" in error_of(response, 400)["fields"]


@pytest.mark.parametrize("url", ["[", "http://[", "https://example.com:99999999/"])
def test_links_that_urlparse_cannot_parse_are_a_field_error(api, url):
    response = api.post(f"{API}/profiles/me", {"links": [url, {"url": url}]}, format="json")
    assert "links" in error_of(response, 400)["fields"]


# -- tokens --------------------------------------------------------------------------------


@pytest.mark.parametrize("user_id", NOT_IDS)
def test_a_signed_access_token_whose_user_id_is_not_an_id_is_a_401(anon, user, user_id):
    token = AccessToken.for_user(user)
    token["user_id"] = user_id
    response = anon.get(f"{API}/users/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert error_of(response, 401)["type"] == "token_not_valid"


@pytest.mark.parametrize("user_id", [*NOT_IDS, 2**63 - 1])
def test_a_signed_refresh_token_whose_user_id_is_not_a_user_is_a_401(anon, user, user_id):
    token = RefreshToken.for_user(user)
    token["user_id"] = user_id
    response = anon.post(f"{API}/auth/token/refresh", {"refresh": str(token)}, format="json")
    assert error_of(response, 401)["type"] == "token_not_valid"


def test_a_refresh_token_of_a_deleted_user_is_a_401(anon):
    gone = UserFactory()
    token = str(RefreshToken.for_user(gone))
    gone.delete()
    response = anon.post(f"{API}/auth/token/refresh", {"refresh": token}, format="json")
    assert error_of(response, 401)["type"] == "token_not_valid"


def test_a_good_refresh_token_still_rotates(anon, user):
    response = anon.post(
        f"{API}/auth/token/refresh", {"refresh": str(RefreshToken.for_user(user))}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


# -- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", ["0", "-1", "abc", "1.5", "", str(10**30), "101", "\u0663"])
def test_page_size_that_is_not_a_usable_positive_integer_is_a_400(anon, page_size):
    response = anon.get(f"{API}/skills/", {"page_size": page_size})
    assert list(error_of(response, 400)["fields"]) == ["page_size"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", ""])
def test_page_that_is_not_a_positive_integer_is_a_400(anon, page):
    response = anon.get(f"{API}/skills/", {"page": page})
    assert list(error_of(response, 400)["fields"]) == ["page"]


def test_page_past_the_end_is_a_404_and_the_limits_work(anon):
    assert anon.get(f"{API}/skills/", {"page_size": "100", "page": "1"}).status_code == 200
    assert len(anon.get(f"{API}/skills/", {"page_size": "3"}).json()["results"]) == 3
    assert error_of(anon.get(f"{API}/skills/", {"page": str(10**30)}), 404)["type"] == "not_found"
    assert anon.get(f"{API}/skills/", {"page": "last"}).status_code == 200


def test_cursor_page_size_is_checked_too(api, user):
    conversation = ConversationFactory(owner=user)
    url = f"{API}/conversations/{conversation.pk}/messages"
    assert api.get(url, {"page_size": "2"}).status_code == 200
    assert list(error_of(api.get(url, {"page_size": "0"}), 400)["fields"]) == ["page_size"]
    assert list(error_of(api.get(url, {"page_size": "201"}), 400)["fields"]) == ["page_size"]


# -- query strings and paths ---------------------------------------------------------------


def test_nul_in_a_query_parameter_is_a_field_error(anon):
    response = anon.get(f"{API}/skills/", {"q": "re\x00act"})
    assert error_of(response, 400)["fields"] == {"q": ["Null characters are not allowed."]}


def test_nul_in_the_path_is_a_400(anon, client):
    assert error_of(anon.get(f"{API}/profiles/ada%00lovelace"), 400)["type"] == "bad_request"
    page = client.get("/u/ada%00lovelace/")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


# -- the JSON error body even with DEBUG on ------------------------------------------------


def test_unknown_api_urls_are_json_404s_with_debug_on(anon, settings):
    settings.DEBUG = True
    for path in ["/api/v1/nope/", "/api/v1/nope", "/api/nope", "/api/v2/projects/"]:
        assert error_of(anon.get(path), 404) == {"type": "not_found", "detail": "Not found."}


def test_site_pages_keep_html_404s(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_405_is_json_with_debug_on(api, settings):
    settings.DEBUG = True
    response = api.put(f"{API}/skills/", {}, format="json")
    assert error_of(response, 405)["type"] == "method_not_allowed"


@pytest.mark.urls("config.tests.urls_errors")
def test_an_unhandled_error_is_the_json_500_with_debug_on(settings, caplog):
    """The client gets the JSON body; the operator's log has the traceback."""
    settings.DEBUG = True
    client = APIClient()
    client.raise_request_exception = False
    response = client.get("/api/v1/broken/")
    assert error_of(response, 500)["type"] == "server_error"
    assert b"hunter2" not in response.content
    assert any("hunter2" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


@pytest.mark.parametrize("debug", [True, False])
def test_api_post_without_its_trailing_slash_reaches_the_view(api, settings, debug):
    settings.DEBUG = debug
    created = api.post(f"{API}/agents", {"name": "Reviewer", "system_prompt": "Review code."}, format="json")
    assert created.status_code in (201, 400), created.content[:300]
    assert created.status_code != 301
    listed = api.get(f"{API}/agents")
    assert listed.status_code == 200
    assert api.get(f"{API}/users/me/").status_code == 200


# -- headers and content types -------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Bearer " + "a" * 10_000,
        "Basic eA==",
        "Bearer \x00",
        "Bearer é",
        "bearer x.y.z",
    ],
)
def test_garbage_authorization_headers_are_a_401(anon, header):
    response = anon.get(f"{API}/users/me", HTTP_AUTHORIZATION=header)
    assert error_of(response, 401)["type"] in (
        "not_authenticated",
        "bad_authorization_header",
        "token_not_valid",
    )


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/json; charset=utf-16", b'{"login": "ada"}', 400),
        ("application/json", b"\xff\xfe\x00garbage", 400),
        ("application/json", b'{"login": NaN, "password": Infinity}', 400),
        ("multipart/form-data", b"--x\r\n", 415),  # the API reads JSON only
        ("application/x-www-form-urlencoded", b"headline=%00&bio=%ZZ", 415),
        ("text/plain", b"headline=ada", 415),
        ("application/xml", b"<headline>ada</headline>", 415),
    ],
)
def test_bodies_no_parser_can_read_are_a_4xx(api, content_type, body, status):
    response = api.generic("PATCH", f"{API}/users/me", body, content_type=content_type)
    assert error_of(response, status)
    response = api.generic("POST", f"{API}/profiles/me", body, content_type=content_type)
    assert error_of(response, status)
