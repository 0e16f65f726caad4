"""Every API failure answers with DESIGN.md's one error body."""

import pytest

pytestmark = [pytest.mark.urls("config.tests.urls_errors"), pytest.mark.django_db]


def test_validation_error_names_each_field(client):
    response = client.post(
        "/api/v1/items/", {"name": "far too long", "size": 0}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["detail"]
    assert set(body["fields"]) == {"name", "size"}
    assert all(isinstance(messages, list) and messages for messages in body["fields"].values())


def test_malformed_json_is_a_400_not_a_500(client):
    response = client.post("/api/v1/items/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["type"] == "parse_error"
    assert "fields" not in response.json()


def test_domain_error_from_a_service_keeps_its_type(client):
    response = client.post("/api/v1/items/", {"name": "taken", "size": 1}, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"type": "item_exists", "detail": "An item with this name already exists."}


def test_unauthenticated_is_401(client):
    response = client.get("/api/v1/private/")
    assert response.status_code == 401
    assert response.json()["type"] == "not_authenticated"
    assert response.has_header("WWW-Authenticate")


def test_bad_bearer_token_is_401(client):
    response = client.get("/api/v1/private/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response.json()["type"] == "token_not_valid"
    assert isinstance(response.json()["detail"], str)


def test_unknown_api_url_is_a_json_404(client):
    response = client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "detail": "Not found."}


def test_wrong_method_is_405(client):
    response = client.get("/api/v1/items/")
    assert response.status_code == 405
    assert response.json()["type"] == "method_not_allowed"


def test_throttled_is_429_with_retry_after(client):
    for _ in range(2):
        assert client.get("/api/v1/throttled/").status_code == 200
    response = client.get("/api/v1/throttled/")
    assert response.status_code == 429
    assert response.json()["type"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_unexpected_exception_is_a_500_without_traceback(client, caplog):
    client.raise_request_exception = False
    response = client.get("/api/v1/broken/")
    assert response.status_code == 500
    body = response.json()
    assert body["type"] == "server_error"
    assert "hunter2" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # ...but the operator's log has it.
    assert any("hunter2" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_html_404_page_for_browsers(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
