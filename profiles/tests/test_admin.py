import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.tests.factories import UserFactory
from profiles.models import Skill
from profiles.services import skill_resolve
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SKILLS = "/admin/profiles/skill/"


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_unreviewed_filter_lists_skills_users_typed(client, staff):
    skill_resolve("Vibe Coding")
    response = client.get(SKILLS, {"is_reviewed__exact": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vibe Coding" in html and "Kubernetes" not in html


def test_search_and_category_filter(client, staff):
    html = client.get(SKILLS, {"q": "k8s"}).content.decode()
    assert "Kubernetes" in html
    html = client.get(SKILLS, {"category__exact": "database"}).content.decode()
    assert '">PostgreSQL</a>' in html and '">Django</a>' not in html


def test_merge_action_asks_for_the_target_then_repoints_profiles(client, staff):
    typo = skill_resolve("Postgress DB")
    profile = ProfileFactory(primary_skills=["Postgress DB"])
    target = Skill.objects.get(name="PostgreSQL")

    response = client.post(SKILLS, {"action": "merge_into", ACTION_CHECKBOX_NAME: [typo.pk]})
    assert response.status_code == 200
    assert "Merge into" in response.content.decode()

    response = client.post(
        SKILLS, {"action": "merge_into", ACTION_CHECKBOX_NAME: [typo.pk], "apply": "1", "target": target.pk}
    )
    assert response.status_code == 302
    assert not Skill.objects.filter(pk=typo.pk).exists()
    assert list(profile.profile_skills.values_list("skill__name", flat=True)) == ["PostgreSQL"]
    assert skill_resolve("postgress db") == target


def test_mark_reviewed_action(client, staff):
    skill = skill_resolve("Bun Shell")
    client.post(SKILLS, {"action": "mark_reviewed", ACTION_CHECKBOX_NAME: [skill.pk]})
    skill.refresh_from_db()
    assert skill.is_reviewed


def test_profile_admin_search_by_skill_and_filters(client, staff):
    ProfileFactory(user__username="rustacean", primary_skills=["Rust"], experience_level="lead")
    ProfileFactory(user__username="pythonista", primary_skills=["Python"])
    html = client.get("/admin/profiles/profile/", {"q": "Rust"}).content.decode()
    assert "rustacean" in html and "pythonista" not in html
    html = client.get("/admin/profiles/profile/", {"experience_level__exact": "lead"}).content.decode()
    assert "rustacean" in html and "pythonista" not in html
    profile_id = ProfileFactory().pk
    assert client.get(f"/admin/profiles/profile/{profile_id}/change/").status_code == 200
    assert client.get(f"/admin/profiles/skill/{Skill.objects.get(name='Go').pk}/change/").status_code == 200


def test_admin_can_add_a_canonical_skill_with_an_alias(client, staff):
    response = client.post(
        "/admin/profiles/skill/add/",
        {
            "name": "Gleam",
            "slug": "gleam",
            "category": "language",
            "is_reviewed": "on",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-name": "gleam lang",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert skill_resolve("Gleam-Lang").name == "Gleam"
