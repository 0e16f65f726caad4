"""The room page without JavaScript: history, posting, deleting, older pages; members only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from chat.models import RoomMessage
from chat.rooms import services
from chat.tests.factories import room_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return room_with_members("olga", "mia", "max", maintainers=("max",))


def test_the_history_renders_and_the_form_posts_a_message(client, room):
    project, users = room
    services.room_message_send(user=users["olga"], project=project, content="Welcome **all**, @mia")
    client.force_login(users["mia"])
    page = client.get(reverse("chat:room", args=[project.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welcome <strong>all</strong>" in html
    assert 'href="/u/mia/">@mia</a>' in html
    assert html.count('<li data-username="') == 3  # the people list

    response = client.post(reverse("chat:room-send", args=[project.slug]), {"content": "Hi from a form"})
    assert response.status_code == 302 and response["Location"].endswith("/room/#room-end")
    assert RoomMessage.objects.filter(author=users["mia"], content="Hi from a form").exists()
    assert "Hi from a form" in client.get(reverse("chat:room", args=[project.slug])).content.decode()


def test_an_empty_form_post_says_why(client, room):
    project, users = room
    client.force_login(users["mia"])
    response = client.post(reverse("chat:room-send", args=[project.slug]), {"content": " "}, follow=True)
    assert "Write a message first." in response.content.decode()


def test_strangers_get_404_and_anonymous_visitors_the_login(client, room):
    project, _ = room
    url = reverse("chat:room", args=[project.slug])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(reverse("chat:room-send", args=[project.slug]), {"content": "x"}).status_code == 404


def test_older_messages_without_javascript(client, room):
    project, users = room
    ids = [
        services.room_message_send(user=users["olga"], project=project, content=f"note {i}").pk
        for i in range(55)
    ]
    client.force_login(users["mia"])
    html = client.get(reverse("chat:room", args=[project.slug])).content.decode()
    assert f"?before={ids[5]}" in html and "note 4<" not in html
    older = client.get(reverse("chat:room", args=[project.slug]) + f"?before={ids[5]}").content.decode()
    assert "note 4<" in older and "Newest messages" in older
    assert client.get(reverse("chat:room", args=[project.slug]) + "?before=x").status_code == 404


def test_a_maintainer_deletes_with_the_form_a_member_cannot(client, room):
    project, users = room
    message = services.room_message_send(user=users["olga"], project=project, content="remove me")
    url = reverse("chat:room-message-delete", args=[project.slug, message.pk])
    client.force_login(users["mia"])
    client.post(url)
    assert not RoomMessage.objects.get(pk=message.pk).is_deleted
    client.force_login(users["max"])
    client.post(url)
    assert RoomMessage.objects.get(pk=message.pk).is_deleted


def test_the_project_page_links_members_to_the_room(client, room):
    project, users = room
    client.force_login(users["mia"])
    assert (
        reverse("chat:room", args=[project.slug]) in client.get(project.get_absolute_url()).content.decode()
    )
    client.force_login(UserFactory())
    assert (
        reverse("chat:room", args=[project.slug])
        not in client.get(project.get_absolute_url()).content.decode()
    )
