import pytest
from django.core.management import call_command


def test_schema_endpoint_serves_openapi_3(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "DevCrew API"


def test_schema_is_valid_and_has_no_warnings(db, tmp_path):
    """drf-spectacular validates the document against the OpenAPI 3 JSON schema."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


@pytest.mark.django_db
def test_swagger_ui_is_served_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_with_the_one_error_body(openapi):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in _operations(openapi):
        responses = operation["responses"]
        assert {"401", "429"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        if method != "get":
            assert "403" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == error_ref, (method, path, status)
    assert openapi["components"]["schemas"]["Error"]["required"] == ["type", "detail"]
    assert "Retry-After" in openapi["paths"]["/api/v1/projects/"]["get"]["responses"]["429"]["headers"]


def test_statuses_the_rules_cannot_infer_are_declared_where_they_happen(openapi):
    paths = openapi["paths"]
    assert "409" in paths["/api/v1/profiles/me/"]["post"]["responses"]  # a profile exists
    assert "404" in paths["/api/v1/profiles/me/"]["get"]["responses"]  # none yet
    assert "409" in paths["/api/v1/auth/mfa/totp/"]["post"]["responses"]
    assert "409" in paths["/api/v1/projects/{slug}/members/{username}/"]["delete"]["responses"]
    send = paths["/api/v1/conversations/{conversation_id}/messages/"]["post"]["responses"]
    assert {"409", "502", "504"} <= set(send)
    assert set(send["201"]["content"]) == {"application/json"}
    assert set(send["200"]["content"]) == {"text/event-stream"}
    assert set(send["404"]["content"]) == {"application/json", "text/event-stream"}
    # Only writes can conflict; a read of a list cannot.
    assert "409" not in paths["/api/v1/projects/"]["get"]["responses"]


def test_values_that_come_back_blank_or_null_are_documented_so(openapi):
    schemas = openapi["components"]["schemas"]
    # Built-in agents have no owner and no project.
    for name in ("owner", "project", "project_name"):
        assert schemas["Agent"]["properties"][name]["nullable"] is True
    # Unset addresses come back "", which is no uri/email.
    for component, name in (("Project", "repository_url"), ("Profile", "github"), ("Invitation", "email")):
        options = schemas[component]["properties"][name]["oneOf"]
        assert {"type": "string", "maxLength": 0} in options, (component, name)
    hours = schemas["Profile"]["properties"]["working_hours_start"]
    assert hours["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def test_the_token_request_documents_that_one_login_field_is_required(openapi):
    token = openapi["components"]["schemas"]["TokenObtainRequest"]
    assert token["anyOf"] == [{"required": ["email"]}, {"required": ["username"]}, {"required": ["login"]}]


# The picture uploads read multipart/form-data, and only that (issue 14).
MULTIPART_ONLY = {
    ("post", "/api/v1/profiles/me/avatar/"),
    ("post", "/api/v1/profiles/me/case-studies/{id}/images/"),
}


def test_request_bodies_are_json_only(openapi, client, db):
    for path, method, operation in _operations(openapi):
        if "requestBody" in operation:
            expected = {"multipart/form-data"} if (method, path) in MULTIPART_ONLY else {"application/json"}
            assert set(operation["requestBody"]["content"]) == expected, (method, path)
    response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"})  # form-encoded
    assert response.status_code == 415
    assert response.json()["type"] == "unsupported_media_type"


def test_swagger_groups_operations_by_app_in_a_fixed_order(openapi):
    assert [tag["name"] for tag in openapi["tags"]] == ["accounts", "profiles", "projects", "agents", "chat"]
    tags_of = {
        path: {tag for operation in item.values() if isinstance(operation, dict) for tag in operation["tags"]}
        for path, item in openapi["paths"].items()
    }
    assert all(
        len(tags) == 1 and tags <= {"accounts", "profiles", "projects", "agents", "chat"}
        for tags in tags_of.values()
    )
    by_prefix = {
        "/api/v1/users/": "accounts",
        "/api/v1/skills/": "profiles",
        "/api/v1/projects/": "projects",
        "/api/v1/agent-runs/": "agents",
        "/api/v1/conversations/": "chat",
    }
    # A project's room is a conversation: chat owns it (DESIGN.md), under the project's path.
    owner_of = {path: ("chat" if "/room/" in path else None) for path in tags_of}
    for prefix, tag in by_prefix.items():
        matching = [tags for path, tags in tags_of.items() if path.startswith(prefix) and not owner_of[path]]
        assert matching and all(tags == {tag} for tags in matching), prefix
    rooms = [tags for path, tags in tags_of.items() if owner_of[path] == "chat"]
    assert rooms and all(tags == {"chat"} for tags in rooms)


@pytest.mark.django_db
def test_swagger_ui_shows_the_site_favicon(client):
    assert 'href="/static/img/favicon.svg"' in client.get("/api/docs/").content.decode()


@pytest.mark.django_db
def test_the_api_root_lists_the_endpoints_by_group(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert list(body)[:5] == ["accounts", "profiles", "projects", "agents", "chat"]
    assert body["accounts"]["auth/token"] == "http://testserver/api/v1/auth/token/"
    assert body["profiles"]["skills"] == "http://testserver/api/v1/skills/"
    assert body["projects"]["projects"] == "http://testserver/api/v1/projects/"
    assert body["agents"]["agent-runs"] == "http://testserver/api/v1/agent-runs/"
    assert body["chat"]["conversations"] == "http://testserver/api/v1/conversations/"
    assert body["docs"] == "http://testserver/api/docs/" and body["schema"] == "http://testserver/api/schema/"
    assert not any("<" in key for routes in body.values() if isinstance(routes, dict) for key in routes)


@pytest.mark.django_db
def test_the_browsable_api_root_carries_the_site_name_and_favicon(client):
    html = client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    assert "DevCrew API" in html and "/static/img/favicon.svg" in html
    assert "/api/v1/projects/" in html
