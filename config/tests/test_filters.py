"""Query filters refuse what the schema does not promise (config/api/filters.py)."""

import pytest

from accounts.tests.factories import UserFactory
from agents.tests.factories import AgentFactory


@pytest.fixture
def user_client(client, db):
    user = UserFactory()
    AgentFactory(owner=user)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/agents/?is_builtin=", "is_builtin"),  # a model BooleanField, filterset_fields
        ("/api/v1/projects/?mine=", "mine"),  # a declared boolean filter
    ],
)
@pytest.mark.parametrize("value", ["null", "maybe", "2"])
def test_a_boolean_filter_that_is_not_true_or_false_is_a_400(user_client, url, parameter, value):
    response = user_client.get(url + value)
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert parameter in response.json()["fields"]


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("1", True), ("True", True), ("false", False), ("0", False)]
)
def test_boolean_filters_read_true_and_false(user_client, value, expected):
    agents = user_client.get(f"/api/v1/agents/?is_builtin={value}").json()["results"]
    assert agents and {agent["is_builtin"] for agent in agents} == {expected}


def test_an_unknown_skill_category_is_a_400(client, db):
    assert client.get("/api/v1/skills/?category=language").status_code == 200
    response = client.get("/api/v1/skills/?category=AAA")
    assert response.status_code == 400
    assert "category" in response.json()["fields"]
