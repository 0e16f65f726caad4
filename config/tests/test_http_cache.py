"""Answers that are the same for everyone are cacheable: the skill autocomplete, and public
pages as anonymous visitors see them; a repeated request with the ETag gets a 304."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from profiles.tests.factories import ProfileFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_skill_autocomplete_is_public_with_an_etag_and_answers_304():
    api = APIClient()
    first = api.get("/api/v1/skills/", {"q": "py"})
    assert first.status_code == 200 and first.json()["results"]
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    again = api.get("/api/v1/skills/", {"q": "py"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = api.get("/api/v1/skills/", {"q": "go"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200 and other["ETag"] != first["ETag"]


def test_a_public_project_page_is_cacheable_for_anonymous_visitors_only(client):
    project = ProjectFactory(slug="open-maps")
    first = client.get("/projects/open-maps/")
    assert first.status_code == 200 and project.name.encode() in first.content
    assert "public" in first["Cache-Control"] and first.has_header("ETag")
    assert client.get("/projects/open-maps/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    client.force_login(project.owner)
    signed_in = client.get("/projects/open-maps/")
    assert signed_in.status_code == 200
    assert "public" not in signed_in.get("Cache-Control", "") and not signed_in.has_header("ETag")


def test_a_public_profile_is_cacheable_for_anonymous_visitors(client):
    """(It shows the person's local time, so its ETag changes as the clock turns.)"""
    profile = ProfileFactory(user=UserFactory(username="grace"))
    first = client.get("/u/grace/")
    assert first.status_code == 200 and profile.display_name.encode() in first.content
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
