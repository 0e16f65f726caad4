"""The dashboard's "Suggested for you": projects that need what you know, through the page."""

import pytest

from agents.tests.test_matching import person, project_needing
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_dashboard_suggests_projects_that_need_your_skills(client):
    me = person("me", ("Python", 6), level="senior", looking=True)
    project_needing("Python", "React", name="Repair Café", slug="repair-cafe")
    project_needing("Django", name="Near Miss", slug="near-miss")
    project_needing("Python", name="Secret", slug="secret", visibility=Project.Visibility.PRIVATE)
    project_needing("Haskell", name="Far Away", slug="far-away")
    client.force_login(me.user)

    html = client.get("/").content.decode()

    panel = html[html.index('id="suggestions-panel"') :]
    panel = panel[: panel.index("</article>")]
    assert "Suggested for you" in panel
    assert panel.index("Repair Café") < panel.index("Near Miss")
    assert 'href="/projects/repair-cafe/"' in panel
    assert "Needs your Python." in panel and "Also needs React." in panel
    assert "Partly: Django (you know Python)." in panel
    assert "Secret" not in panel and "Far Away" not in panel


def test_without_skills_the_panel_says_how_to_get_suggestions(client):
    me = person("me")
    me.profile_skills.all().delete()
    me.user.profile_complete = True  # not sent to the profile wizard
    me.user.save(update_fields=["profile_complete"])
    client.force_login(me.user)

    html = client.get("/").content.decode()

    assert "No suggestions yet: add skills to" in html
