import pytest

from accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_landing_page_explains_devcrew_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "DevCrew" in html
    assert "Sign up" in html and "Log in" in html
    assert 'name="viewport"' in html


@pytest.mark.django_db
def test_signed_in_users_get_their_dashboard(client):
    user = UserFactory(first_name="Grace", profile_complete=True)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome, Grace" in html
    assert "Log out" in html


@pytest.mark.django_db
def test_static_assets_are_served(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
