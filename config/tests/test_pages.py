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


@pytest.mark.django_db
def test_dashboard_greets_by_display_name_and_the_header_leads_to_your_public_profile(client):
    from profiles.tests.factories import ProfileFactory

    profile = ProfileFactory(display_name="Grace Hopper", user__username="grace", user__first_name="G")
    client.force_login(profile.user)
    html = client.get("/").content.decode()
    assert "Welcome, Grace Hopper" in html
    assert 'href="/u/grace/" class="nav-me"' in html
    assert '<svg class="avatar"' in html and ">GH</text>" in html  # initials avatar


@pytest.mark.django_db
def test_your_profile_link_before_you_have_a_profile_opens_the_wizard(client):
    user = UserFactory(username="newbie")
    client.force_login(user)
    response = client.get("/u/newbie/")
    assert response.status_code == 302 and response["Location"] == "/profile/setup/"
    assert client.get("/u/someone-else/").status_code == 404


@pytest.mark.django_db
def test_phone_menu_toggle_is_a_button_that_controls_the_links(client):
    html = client.get("/").content.decode()
    assert '<button type="button" class="nav-toggle' in html
    assert 'aria-expanded="false" aria-controls="nav-links"' in html and 'id="nav-links"' in html


@pytest.mark.django_db
def test_logo_and_favicon_are_served(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    for path in ("/static/img/favicon.svg", "/static/img/logo.svg"):
        response = client.get(path)
        assert response.status_code == 200 and b"<svg" in b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nowhere/", "/projects/no-such-project/", "/u/nobody-here/"])
def test_missing_site_pages_get_the_branded_404_even_with_debug_on(client, settings, path):
    """With DEBUG on Django would show its technical page (the URL patterns); the site's
    own page is shown instead, for unknown paths and for views raising Http404."""
    settings.DEBUG = True
    client.force_login(UserFactory(profile_complete=True))
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "Go to your dashboard" in html
    assert "URLconf" not in html


@pytest.mark.django_db
def test_the_api_keeps_json_404s_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "detail": "Not found."}
