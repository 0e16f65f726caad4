"""The one avatar every page shows: ``{% avatar user size %}``."""

import pytest
from django.template import Context, Template

from accounts.tests.factories import UserFactory
from profiles.avatars import PALETTE, avatar_colour, initials
from profiles.tests.factories import ProfileFactory


def render(user, size=32) -> str:
    return Template("{% load avatars %}{% avatar user size %}|{{ user|display_name }}").render(
        Context({"user": user, "size": size})
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ada Lovelace", "AL"),
        ("Grace Brewster Hopper", "GH"),
        ("linus", "LI"),
        ("amara.okafor", "AO"),
        ("  ", "?"),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_a_person_keeps_one_colour_from_the_palette():
    assert avatar_colour("ada") == avatar_colour("ADA") and avatar_colour("ada") in PALETTE


@pytest.mark.django_db
def test_avatar_shows_the_display_name_initials_and_is_decorative():
    profile = ProfileFactory(display_name="Ada Lovelace")
    html = render(profile.user, 48)
    assert html.startswith('<svg class="avatar" width="48" height="48"')
    assert 'aria-hidden="true"' in html and ">AL</text>" in html
    assert html.endswith("|Ada Lovelace")
    assert render(profile, 20).startswith('<svg class="avatar" width="20"')  # a Profile works too


@pytest.mark.django_db
def test_a_user_without_profile_gets_the_full_name_or_username():
    assert render(UserFactory(first_name="Linus", last_name="T")).endswith("|Linus T")
    html = render(UserFactory(username="octo", first_name="", last_name=""))
    assert ">OC</text>" in html and html.endswith("|octo")


@pytest.mark.django_db
def test_names_are_escaped():
    profile = ProfileFactory(display_name="<b>x</b> y")
    html = render(profile.user)
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt; y" in html


@pytest.mark.django_db
def test_a_profile_hidden_from_the_viewer_gives_only_the_username():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    profile = ProfileFactory(display_name="Ada Lovelace", user__username="countess", visibility="private")

    def as_viewer(viewer) -> str:
        request = RequestFactory().get("/")
        request.user = viewer
        return Template("{% load avatars %}{% avatar user 32 %}").render(
            Context({"user": profile.user, "request": request})
        )

    assert ">AL</text>" in as_viewer(profile.user)
    assert ">CO</text>" in as_viewer(UserFactory())  # the username's initials only
    profile.visibility = "members"
    profile.save(update_fields=["visibility"])
    assert ">AL</text>" in as_viewer(UserFactory())
    assert ">CO</text>" in as_viewer(AnonymousUser())
