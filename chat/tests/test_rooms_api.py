"""``/api/v1/projects/<slug>/room/messages/``: members only, cursors, edit and delete rules."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from chat.rooms import services
from chat.tests.factories import room_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return room_with_members("olga", "mia", "max", maintainers=("max",))


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(project, message_id=None) -> str:
    if message_id is None:
        return reverse("api-room-messages", args=[project.slug])
    return reverse("api-room-message", args=[project.slug, message_id])


def test_a_member_posts_and_everyone_in_the_team_reads_it(room):
    project, users = room
    response = as_user(users["mia"]).post(
        url(project), {"content": "Hi @olga", "client_id": "c-9"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["author"] == {"username": "mia"}
    assert body["mentions"] == ["olga"]
    assert '<a class="mention" href="/u/olga/">@olga</a>' in body["content_html"]

    history = as_user(users["olga"]).get(url(project)).json()
    assert [m["content"] for m in history["results"]] == ["Hi @olga"]
    assert history["since"] == body["id"] and history["has_more"] is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_strangers_get_404_and_anonymous_callers_401(room, method):
    project, _ = room
    response = getattr(as_user(UserFactory()), method)(url(project), {"content": "hi"}, format="json")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"
    assert getattr(APIClient(), method)(url(project)).status_code == 401
    assert as_user(UserFactory()).get(reverse("api-room-messages", args=["no-such-room"])).status_code == 404


@pytest.mark.parametrize(
    "query, field",
    [
        ("?before=abc", "before"),
        ("?since=-1", "since"),
        ("?limit=0", "limit"),
        ("?before=3&since=2", "since"),
    ],
)
def test_bad_cursors_are_a_400_naming_the_field(room, query, field):
    project, users = room
    response = as_user(users["mia"]).get(url(project) + query)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_empty_message_is_a_400(room):
    project, users = room
    response = as_user(users["mia"]).post(url(project), {"content": "   "}, format="json")
    assert response.status_code == 400 and "content" in response.json()["fields"]


def test_reconnecting_with_since_reads_exactly_what_was_missed(room):
    project, users = room
    seen = services.room_message_send(user=users["mia"], project=project, content="seen")
    missed = [
        services.room_message_send(user=users["max"], project=project, content=f"missed {i}")
        for i in range(3)
    ]
    page = as_user(users["mia"]).get(url(project) + f"?since={seen.pk}").json()
    assert [m["id"] for m in page["results"]] == [m.pk for m in missed]
    assert page["since"] == missed[-1].pk
    nothing_new = as_user(users["mia"]).get(url(project) + f"?since={missed[-1].pk}").json()
    assert nothing_new["results"] == [] and nothing_new["since"] == missed[-1].pk


def test_scrolling_up_with_before(room):
    project, users = room
    ids = [
        services.room_message_send(user=users["mia"], project=project, content=f"m{i}").pk for i in range(5)
    ]
    page = as_user(users["olga"]).get(url(project) + "?limit=2").json()
    assert [m["id"] for m in page["results"]] == ids[3:] and page["has_more"]
    page = as_user(users["olga"]).get(url(project) + f"?limit=2&before={page['before']}").json()
    assert [m["id"] for m in page["results"]] == ids[1:3] and page["has_more"]


def test_history_queries_do_not_grow_with_the_page(room, django_assert_max_num_queries):
    project, users = room
    for i in range(30):
        services.room_message_send(user=users["mia"], project=project, content=f"@olga @max {i}")
    client = as_user(users["olga"])
    with django_assert_max_num_queries(6):
        assert len(client.get(url(project)).json()["results"]) == 30


def test_edit_is_for_the_author_delete_also_for_maintainers(room):
    project, users = room
    message = services.room_message_send(user=users["mia"], project=project, content="typo")
    assert (
        as_user(users["olga"]).patch(url(project, message.pk), {"content": "x"}, format="json").status_code
        == 403
    )
    edited = as_user(users["mia"]).patch(url(project, message.pk), {"content": "fixed"}, format="json")
    assert edited.status_code == 200 and edited.json()["edited_at"]

    other = services.room_message_send(user=users["olga"], project=project, content="owner's")
    assert as_user(users["mia"]).delete(url(project, other.pk)).status_code == 403
    deleted = as_user(users["max"]).delete(url(project, other.pk))
    assert deleted.status_code == 200
    assert deleted.json()["deleted"] is True and deleted.json()["content"] == ""
    assert as_user(UserFactory()).delete(url(project, message.pk)).status_code == 404
