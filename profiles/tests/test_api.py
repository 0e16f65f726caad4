import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from profiles.models import Profile, Skill
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/profiles/me/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def user_api(api):
    user = UserFactory()
    api.force_authenticate(user)
    api.user = user
    return api


def test_post_creates_profile_with_canonical_skills(user_api):
    response = user_api.post(
        ME,
        {
            "display_name": "Ada",
            "primary_skills": [{"name": "js", "years": 3}, "django"],
            "secondary_skills": ["k8s", "postgres"],
            "experience_level": "senior",
            "timezone": "Europe/Berlin",
            "working_hours_start": "09:00",
            "working_hours_end": "17:00",
            "availability_hours": 20,
            "github": "github.com/ada",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["username"] == user_api.user.username
    assert body["primary_skills"] == [{"name": "JavaScript", "years": 3}, {"name": "Django", "years": None}]
    assert [s["name"] for s in body["secondary_skills"]] == ["Kubernetes", "PostgreSQL"]
    assert body["github"] == "https://github.com/ada"
    assert body["working_hours_start"] == "09:00"
    assert body["profile_complete"] is True
    assert 0 < body["completeness"] <= 100
    user_api.user.refresh_from_db()
    assert user_api.user.profile_complete is True


def test_post_twice_is_a_conflict(user_api):
    assert user_api.post(ME, {"display_name": "Ada"}).status_code == 201
    response = user_api.post(ME, {"display_name": "Ada"})
    assert response.status_code == 409
    assert response.json()["type"] == "profile_exists"


def test_patch_changes_only_what_is_sent(user_api):
    ProfileFactory(user=user_api.user, headline="Old", primary_skills=["Python"])
    response = user_api.patch(ME, {"headline": "New"})
    assert response.status_code == 200
    assert response.json()["headline"] == "New"
    assert response.json()["primary_skills"] == [{"name": "Python", "years": None}]


def test_get_me_without_profile_is_404(user_api):
    assert user_api.get(ME).status_code == 404


def test_me_requires_authentication(api):
    assert api.get(ME).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"github": "https://gitlab.com/ada"}, "github"),
        ({"github": "https://github.com/ada/some-repo"}, "github"),
        ({"primary_skills": [f"skill {i}" for i in range(11)]}, "primary_skills"),
        ({"secondary_skills": [f"skill {i}" for i in range(21)]}, "secondary_skills"),
        ({"experience_level": "wizard"}, "experience_level"),
        ({"primary_skills": [{"name": "Python", "years": -1}]}, "primary_skills"),
        ({"primary_skills": ["!!!"]}, "primary_skills"),
        ({"working_hours_start": "09:00"}, "working_hours_end"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"availability_hours": 200}, "availability_hours"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_invalid_input_is_a_field_error(user_api, payload, field):
    response = user_api.post(ME, payload)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert field in body["fields"]
    assert not Profile.objects.filter(user=user_api.user).exists()


def test_too_many_skills_is_not_saved_on_patch(user_api):
    ProfileFactory(user=user_api.user, primary_skills=["Python"])
    response = user_api.patch(ME, {"primary_skills": [f"s{i}" for i in range(11)]})
    assert response.status_code == 400
    assert "primary_skills" in response.json()["fields"]


def test_unknown_skill_is_kept_unreviewed(user_api):
    response = user_api.post(ME, {"primary_skills": ["Quantum Basket Weaving"]})
    assert response.status_code == 201
    assert response.json()["primary_skills"][0]["name"] == "Quantum Basket Weaving"
    assert Skill.objects.get(name="Quantum Basket Weaving").is_reviewed is False


def test_skill_autocomplete_prefix_and_alias(api):
    response = api.get("/api/v1/skills/", {"q": "re"})
    assert response.status_code == 200
    names = [item["name"] for item in response.json()["results"]]
    assert "React" in names and "Redis" in names
    response = api.get("/api/v1/skills/", {"q": "k8"})
    first = response.json()["results"][0]
    assert first["name"] == "Kubernetes"
    assert first["matched_alias"] == "k8s"


def test_skill_autocomplete_lists_canonical_before_unreviewed(api):
    Skill.objects.create(name="Reactorium", key="reactorium", slug="reactorium", is_reviewed=False)
    names = [
        item["name"]
        for item in api.get("/api/v1/skills/", {"q": "react", "page_size": 100}).json()["results"]
    ]
    assert names[0] == "React"
    assert names[-1] == "Reactorium"


def test_skill_autocomplete_ranks_name_matches_before_alias_matches(api):
    names = [
        item["name"] for item in api.get("/api/v1/skills/", {"q": "re", "page_size": 100}).json()["results"]
    ]
    assert names.index("React") < names.index("Amazon Redshift")  # matched through its alias "redshift"


def test_skill_autocomplete_offers_the_general_skill_before_its_specific_ones(api):
    """pytest names Python as its more general skill: "pyt" offers Python first."""
    names = [item["name"] for item in api.get("/api/v1/skills/", {"q": "pyt"}).json()["results"]]
    assert names.index("Python") < names.index("pytest")


def test_skill_autocomplete_exact_alias_comes_first(api):
    assert api.get("/api/v1/skills/", {"q": "js"}).json()["results"][0]["name"] == "JavaScript"


def test_skill_list_filters_by_category(api):
    results = api.get("/api/v1/skills/", {"category": "database", "page_size": 100}).json()["results"]
    assert results and {item["category"] for item in results} == {"database"}


def test_patch_checks_working_hours_against_the_saved_ones(user_api):
    ProfileFactory(user=user_api.user, working_hours_start="09:00", working_hours_end="17:00")
    response = user_api.patch(ME, {"working_hours_end": "09:00"})
    assert response.status_code == 400
    assert "working_hours_end" in response.json()["fields"]
    assert user_api.patch(ME, {"working_hours_end": "02:00"}).json()["working_hours_end"] == "02:00"


def test_bio_is_rendered_safely(user_api):
    body = user_api.post(ME, {"bio": "**hi** <img src=x onerror=alert(1)> [x](javascript:alert(1))"}).json()
    assert "<strong>hi</strong>" in body["bio_html"]
    assert "onerror" not in body["bio_html"] and "javascript:" not in body["bio_html"]


def test_unknown_username_is_404(api):
    response = api.get("/api/v1/profiles/nobody-here/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0900", "09:00Z", "9:00", "09:00:00.5", "T09:00", "24:00"])
def test_working_hours_accept_only_the_documented_clock_format(client, value):
    """The document says HH:MM (or HH:MM:SS); anything else Python's parser would take is refused."""
    user = UserFactory()
    ProfileFactory(user=user)
    client.force_login(user)
    response = client.patch(
        "/api/v1/profiles/me/", {"working_hours_start": value}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["working_hours_start"] == ["Enter a time as HH:MM, e.g. 09:30."]


@pytest.mark.django_db
def test_working_hours_come_back_as_hh_mm(client):
    user = UserFactory()
    ProfileFactory(user=user)
    client.force_login(user)
    response = client.patch(
        "/api/v1/profiles/me/", {"working_hours_start": "08:15:30"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["working_hours_start"] == "08:15"
