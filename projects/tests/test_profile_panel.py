import pytest

from profiles.tests.factories import ProfileFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_public_profile_lists_the_users_public_projects_only(client):
    profile = ProfileFactory()
    ProjectFactory(owner=profile.user, name="Open Garden", visibility=Project.Visibility.PUBLIC)
    ProjectFactory(owner=profile.user, name="Hidden Vault", visibility=Project.Visibility.PRIVATE)
    html = client.get(f"/u/{profile.user.username}/").content.decode()
    assert "Open Garden" in html
    assert "Hidden Vault" not in html
