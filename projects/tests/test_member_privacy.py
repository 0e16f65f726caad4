"""A member's profile details (time zone, level, names, skills) show in a team listing only
to viewers who may see that profile: private ones to their owner alone, members-only ones
to signed-in users. The username (and the role) always shows: it is the membership."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from agents.fact_selectors import project_detail_for
from profiles.tests.factories import ProfileFactory
from projects.models import Membership
from projects.tests.factories import MembershipFactory, ProjectFactory, ShareLinkFactory, TaskFactory

pytestmark = pytest.mark.django_db

SECRET_TZ = "Pacific/Chatham"
SECRET_SKILL = "Haskell"


@pytest.fixture
def team():
    owner = UserFactory(username="owner")
    ProfileFactory(user=owner, timezone="Europe/Berlin", experience_level="mid")
    project = ProjectFactory(owner=owner, slug="open-project")
    hermit = UserFactory(username="hermit", first_name="Hidden", last_name="Hermit")
    ProfileFactory(
        user=hermit,
        display_name="Hidden Hermit",
        timezone=SECRET_TZ,
        experience_level="principal",
        visibility="private",
        primary_skills=(SECRET_SKILL,),
    )
    MembershipFactory(project=project, user=hermit)
    insider = UserFactory(username="insider")
    ProfileFactory(user=insider, timezone="Asia/Kolkata", experience_level="senior", visibility="members")
    MembershipFactory(project=project, user=insider, role=Membership.Role.MAINTAINER)
    return SimpleNamespace(project=project, owner=owner, hermit=hermit, insider=insider)


def _members(client, slug="open-project"):
    response = client.get(f"/api/v1/projects/{slug}/members/")
    assert response.status_code == 200, response.content
    return {row["username"]: row for row in response.json()["results"]}


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_api_hides_a_private_profile_from_everyone_but_its_owner(team):
    for viewer in (None, UserFactory(), team.owner, team.insider):
        row = _members(_client(viewer))["hermit"]
        assert row["timezone"] == "" and row["experience_level"] == "", viewer
        assert row["name"] == "hermit"
        assert row["role"] == "member"
    own = _members(_client(team.hermit))["hermit"]
    assert own["timezone"] == SECRET_TZ and own["experience_level"] == "principal"
    assert own["name"] == "Hidden Hermit"


def test_api_shows_members_only_profiles_to_signed_in_viewers_only(team):
    anonymous = _members(_client())
    assert anonymous["insider"]["timezone"] == "" and anonymous["insider"]["experience_level"] == ""
    assert anonymous["owner"]["timezone"] == "Europe/Berlin"  # public profiles show to anyone
    signed_in = _members(_client(UserFactory()))
    assert signed_in["insider"]["timezone"] == "Asia/Kolkata"
    assert signed_in["insider"]["experience_level"] == "senior"


def test_shared_link_team_hides_non_public_profiles(team):
    link = ShareLinkFactory(project=team.project)
    response = APIClient().get(f"/api/v1/projects/shared/{link.token}/")
    assert response.status_code == 200
    rows = {row["username"]: row for row in response.json()["members"]}
    assert rows["hermit"]["timezone"] == "" and rows["insider"]["timezone"] == ""
    assert SECRET_TZ.encode() not in response.content and b"Hidden" not in response.content


def test_project_page_hides_a_private_profiles_details(client, team):
    for viewer in (None, team.insider):
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(team.project.get_absolute_url())
        assert page.status_code == 200
        assert b"hermit" in page.content
        assert SECRET_TZ.encode() not in page.content and b"Hidden Hermit" not in page.content
    client.force_login(team.hermit)
    assert SECRET_TZ.encode() in client.get(team.project.get_absolute_url()).content


def test_members_page_hides_a_private_profiles_time_zone_from_the_owner(client, team):
    client.force_login(team.owner)
    page = client.get(f"/projects/{team.project.slug}/members/")
    assert page.status_code == 200
    assert b"hermit" in page.content and SECRET_TZ.encode() not in page.content
    assert b"Asia/Kolkata" in page.content


def test_assistant_grounding_leaves_out_a_private_teammates_skills_and_name(team):
    """What the chat assistant is told about the team, for a fellow member."""
    TaskFactory(project=team.project, title="Write the parser", assignee=team.hermit)
    detail = project_detail_for(user=team.insider, project=team.project)
    assert [task.assignee for task in detail.tasks] == ["hermit"]
    facts = {fact.name: fact for fact in detail.team}
    assert "Hidden Hermit" not in facts and "hermit" in facts
    assert facts["hermit"].skills == []
    assert all(SECRET_SKILL not in fact.skills for fact in detail.team)
    own = project_detail_for(user=team.hermit, project=team.project)
    assert [task.assignee for task in own.tasks] == ["Hidden Hermit"]
    assert SECRET_SKILL in {skill for fact in own.team for skill in fact.skills}
