"""Talent search (API and page) and visibility of profiles (API and page)."""

from datetime import date, time

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from profiles.selectors import SearchCriteria, profiles_search, skills_lookup
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/profiles/"


@pytest.fixture
def api():
    return APIClient()


def names(response):
    assert response.status_code == 200, response.content
    return {item["username"] for item in response.json()["results"]}


def test_alias_query_finds_the_canonical_skill(api):
    ProfileFactory(user__username="jsdev", primary_skills=["JavaScript"])
    ProfileFactory(user__username="pydev", primary_skills=["Python"])
    assert names(api.get(SEARCH, {"skill": "js"})) == {"jsdev"}
    assert names(api.get(SEARCH, {"skill": "JavaScript"})) == {"jsdev"}


def test_skills_are_all_of(api):
    ProfileFactory(user__username="both", primary_skills=["Django"], secondary_skills=["React"])
    ProfileFactory(user__username="django_only", primary_skills=["Django"])
    response = api.get(SEARCH + "?skill=django&skill=reactjs")
    assert names(response) == {"both"}
    match = response.json()["results"][0]["match"]
    assert match["skills"] == ["Django", "React"]
    assert "Knows Django, React" in match["reasons"][0]


def test_unknown_search_skill_finds_nobody(api):
    ProfileFactory(primary_skills=["Python"])
    assert names(api.get(SEARCH, {"skill": "Quantum Basket Weaving"})) == set()


def test_level_team_and_availability_filters(api):
    ProfileFactory(
        user__username="senior_team", experience_level="senior", looking_for_team=True, availability_hours=30
    )
    ProfileFactory(user__username="senior_busy", experience_level="senior", looking_for_team=False)
    ProfileFactory(user__username="junior_team", experience_level="junior", looking_for_team=True)
    assert names(api.get(SEARCH, {"level": "senior", "looking_for_team": "true"})) == {"senior_team"}
    assert names(api.get(SEARCH, {"min_availability": 25})) == {"senior_team"}


def test_incomplete_profiles_are_not_listed(api):
    ProfileFactory(user__username="complete")
    ProfileFactory(user__username="incomplete", timezone="")
    assert names(api.get(SEARCH)) == {"complete"}


def test_invalid_search_parameters_are_field_errors(api):
    response = api.get(SEARCH, {"level": "guru", "overlap_with": "Mars/Base", "min_overlap_hours": "x"})
    assert response.status_code == 400
    assert {"level", "overlap_with", "min_overlap_hours"} <= set(response.json()["fields"])


def test_overlap_filter_uses_each_time_zones_dst_rules():
    viewer = UserFactory()
    ProfileFactory(user__username="nyc", timezone="America/New_York")
    ProfileFactory(user__username="tokyo", timezone="Asia/Tokyo")
    ProfileFactory(
        user__username="paris_late",
        timezone="Europe/Paris",
        working_hours_start=time(14),
        working_hours_end=time(22),
    )

    def found(on, hours):
        criteria = SearchCriteria(overlap_with="Europe/Berlin", min_overlap_hours=hours, on=on)
        result = profiles_search(viewer=viewer, criteria=criteria)
        return [profile.user.username for profile in result.profiles(result.ids, viewer)], result

    # In July New York is 6 h behind Berlin: 2 h overlap. Late Paris shares 3 h; Tokyo none.
    usernames, result = found(date(2025, 7, 1), 2)
    assert usernames == ["paris_late", "nyc"]  # more overlap first
    assert result.overlap == {result.ids[0]: 3.0, result.ids[1]: 2.0}
    # For a few weeks in March New York is only 5 h behind: 3 h overlap.
    assert found(date(2025, 3, 20), 3)[0] == ["paris_late", "nyc"]
    assert found(date(2025, 7, 1), 3)[0] == ["paris_late"]


def test_overlap_reason_is_shown_in_the_api(api):
    ProfileFactory(user__username="berliner", timezone="Europe/Berlin")
    response = api.get(SEARCH, {"overlap_with": "Europe/Paris", "min_overlap_hours": 3})
    result = response.json()["results"][0]
    assert result["match"]["overlap_hours"] == 8.0
    assert "8 h/day working-hours overlap with Europe/Paris" in result["match"]["reasons"]


def test_search_issues_a_constant_number_of_queries(api, django_assert_num_queries):
    for _ in range(3):
        ProfileFactory(primary_skills=["Python", "Django"], secondary_skills=["Docker", "Redis"])
    params = {"skill": "py", "overlap_with": "Europe/Berlin", "page_size": 50}
    # skills by key, skills by alias, candidates, page of profiles, their skills
    with django_assert_num_queries(5):
        assert len(api.get(SEARCH, params).json()["results"]) == 3
    for _ in range(12):
        ProfileFactory(primary_skills=["Python", "FastAPI", "pandas"], secondary_skills=["Go", "Rust", "SQL"])
    with django_assert_num_queries(5):
        assert len(api.get(SEARCH, params).json()["results"]) == 15


def test_search_is_paginated(api):
    for _ in range(3):
        ProfileFactory()
    body = api.get(SEARCH, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_skills_lookup_never_creates_skills():
    skills, unknown = skills_lookup(["js", "nonexistent-skill-xyz"])
    assert [skill.name for skill in skills] == ["JavaScript"]
    assert unknown == ["nonexistent-skill-xyz"]


# -- Visibility matrix ----------------------------------------------------------------------
VISIBILITY_MATRIX = [
    # visibility, viewer, visible
    ("public", "anonymous", True),
    ("public", "stranger", True),
    ("public", "owner", True),
    ("members", "anonymous", False),
    ("members", "stranger", True),
    ("members", "owner", True),
    ("private", "anonymous", False),
    ("private", "stranger", False),
    ("private", "owner", True),
]


def _login(client, profile, viewer):
    if viewer == "stranger":
        client.force_login(UserFactory())
    elif viewer == "owner":
        client.force_login(profile.user)


@pytest.mark.parametrize(("visibility", "viewer", "visible"), VISIBILITY_MATRIX)
def test_visibility_on_the_api(visibility, viewer, visible):
    profile = ProfileFactory(user__username="Ada", visibility=visibility)
    client = APIClient()
    _login(client, profile, viewer)
    response = client.get("/api/v1/profiles/ada/")  # usernames match case-insensitively
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert response.json()["username"] == "Ada"
    assert ("Ada" in names(client.get(SEARCH))) is visible


@pytest.mark.parametrize(("visibility", "viewer", "visible"), VISIBILITY_MATRIX)
def test_visibility_on_pages(client, visibility, viewer, visible):
    profile = ProfileFactory(user__username="Ada", display_name="Ada Lovelace", visibility=visibility)
    _login(client, profile, viewer)
    response = client.get("/u/ada/")
    assert response.status_code == (200 if visible else 404)
    people = client.get("/people/").content.decode()
    assert ("Ada Lovelace" in people) is visible


def test_public_profile_page_shows_skills_by_category_time_and_github(client):
    ProfileFactory(
        user__username="lin",
        display_name="Lin",
        primary_skills=[("Python", 6), "Django"],
        secondary_skills=["PostgreSQL"],
        timezone="Asia/Tokyo",
        github="https://github.com/lin",
        bio="Hi <script>alert(1)</script> [me](javascript:alert(1)) **bold**",
    )
    html = client.get("/u/lin/").content.decode()
    assert "Language" in html and "Framework / library" in html and "Database" in html
    assert "Python <small>6 yrs</small>" in html
    assert "Asia/Tokyo" in html and 'class="local-time"' in html and "UTC+0900" in html
    assert 'href="https://github.com/lin"' in html
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and "javascript:alert" not in html


def test_people_page_filters_and_explains_matches(client):
    ProfileFactory(
        user__username="k8sdev",
        display_name="Kube Dev",
        primary_skills=["Kubernetes"],
        experience_level="lead",
    )
    ProfileFactory(user__username="other", display_name="Other Dev", primary_skills=["Python"])
    response = client.get("/people/", {"skills": "k8s", "level": "lead"})
    html = response.content.decode()
    assert "Kube Dev" in html and "Other Dev" not in html
    assert "Why:" in html and "Knows Kubernetes" in html and "Lead level" in html


def test_people_page_shows_filter_errors(client):
    response = client.get("/people/", {"overlap_with": "Nowhere/Land"})
    assert response.status_code == 200
    assert "overlap_with" in response.context["form"].errors


def test_search_by_name_finds_people_to_invite(api):
    """The invite form's people picker: username or a word of the display name."""
    ProfileFactory(user__username="grace.h", display_name="Grace Hopper")
    ProfileFactory(user__username="ada", display_name="Ada Lovelace")
    for name, expected in (("gra", ["grace.h"]), ("hop", ["grace.h"]), ("@ad", ["ada"]), ("zz", [])):
        results = api.get(SEARCH, {"name": name}).json()["results"]
        assert [person["username"] for person in results] == expected, name
