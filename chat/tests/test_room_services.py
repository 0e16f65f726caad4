"""Project rooms' writes and reads: membership, mentions, edit/delete rules, cursors."""

import pytest
from django.db import IntegrityError

from accounts.tests.factories import UserFactory
from chat.models import RoomMessage
from chat.rooms import selectors, services
from chat.tests.factories import room_with_members
from config.errors import Conflict, DomainError, Forbidden, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return room_with_members("olga", "mia", "max", maintainers=("max",))


def test_a_member_posts_markdown_rendered_once_with_member_mentions_linked(
    room, django_capture_on_commit_callbacks
):
    project, users = room
    with django_capture_on_commit_callbacks() as callbacks:
        message = services.room_message_send(
            user=users["mia"], project=project, content="**Hi** @olga and @nobody, see `@max`", client_id="c1"
        )
    assert len(callbacks) == 1  # the broadcast, after commit
    assert message.author == users["mia"]
    assert "<strong>Hi</strong>" in message.content_html
    assert '<a class="mention" href="/u/olga/">@olga</a>' in message.content_html
    assert "@nobody" in message.content_html and "/u/nobody/" not in message.content_html
    assert "<code>@max</code>" in message.content_html  # no mention links inside code
    assert {u.username for u in message.mentions.all()} == {"olga", "max"}


def test_script_in_a_message_is_stored_sanitized():
    project, users = room_with_members("olga")
    message = services.room_message_send(
        user=users["olga"], project=project, content="<script>alert(1)</script>[x](javascript:alert(1))"
    )
    assert "<script" not in message.content_html and "javascript:" not in message.content_html


def test_strangers_and_guests_cannot_post_or_read():
    project, _ = room_with_members("olga")
    stranger = UserFactory()
    with pytest.raises(NotFound):
        services.room_message_send(user=stranger, project=project, content="hello")
    with pytest.raises(NotFound):
        selectors.room_for(user=stranger, slug=project.slug)
    assert not RoomMessage.objects.exists()


@pytest.mark.parametrize("content", ["", "   ", "x" * 20_001, None, 3])
def test_empty_or_too_long_content_is_refused(room, content):
    project, users = room
    with pytest.raises(DomainError):
        services.room_message_send(user=users["mia"], project=project, content=content)


def test_only_the_author_edits(room):
    project, users = room
    message = services.room_message_send(user=users["mia"], project=project, content="Helo @max")
    for name in ("olga", "max"):  # not even the owner or a maintainer
        with pytest.raises(Forbidden):
            services.room_message_edit(user=users[name], project=project, message_id=message.pk, content="x")
    edited = services.room_message_edit(
        user=users["mia"], project=project, message_id=message.pk, content="Hello"
    )
    assert edited.content == "Hello" and edited.edited_at is not None
    assert list(edited.mentions.all()) == []


def test_author_maintainers_and_owner_delete_plain_members_do_not():
    project, users = room_with_members("olga", "mia", "max", "ivy", maintainers=("max",))
    sent = [services.room_message_send(user=users["ivy"], project=project, content=f"m{i}") for i in range(3)]
    with pytest.raises(Forbidden):
        services.room_message_delete(user=users["mia"], project=project, message_id=sent[0].pk)
    for user, message in zip((users["ivy"], users["max"], users["olga"]), sent, strict=True):
        deleted = services.room_message_delete(user=user, project=project, message_id=message.pk)
        assert deleted.is_deleted and deleted.content == "" and deleted.content_html == ""
    with pytest.raises(Conflict):
        services.room_message_edit(user=users["ivy"], project=project, message_id=sent[0].pk, content="back")


def test_a_message_of_another_room_is_not_found(room):
    project, users = room
    other, other_users = room_with_members("zed")
    message = services.room_message_send(user=other_users["zed"], project=other, content="elsewhere")
    with pytest.raises(NotFound):
        services.room_message_delete(user=users["olga"], project=project, message_id=message.pk)


def test_history_pages_backwards_with_before_and_forwards_with_since(room):
    project, users = room
    ids = [
        services.room_message_send(user=users["mia"], project=project, content=f"m{i}").pk for i in range(7)
    ]
    latest, more = selectors.room_messages(project=project, limit=3)
    assert [m.pk for m in latest] == ids[-3:] and more
    older, more = selectors.room_messages(project=project, before=ids[-3], limit=3)
    assert [m.pk for m in older] == ids[1:4] and more
    oldest, more = selectors.room_messages(project=project, before=ids[1], limit=3)
    assert [m.pk for m in oldest] == ids[:1] and not more
    missed, more = selectors.room_messages(project=project, since=ids[2], limit=3)
    assert [m.pk for m in missed] == ids[3:6] and more
    with pytest.raises(DomainError):
        selectors.room_messages(project=project, since="abc")


def test_history_reads_a_constant_number_of_queries(room, django_assert_num_queries):
    project, users = room
    for i in range(5):
        services.room_message_send(user=users["mia"], project=project, content=f"@olga {i}")
    with django_assert_num_queries(2):  # messages with authors, their mentions
        page, _ = selectors.room_messages(project=project, limit=50)
    assert len(page) == 5


def test_agents_are_the_only_authors_whose_messages_stream(room):
    project, users = room
    with pytest.raises(IntegrityError):
        RoomMessage.objects.create(project=project, author=users["mia"], status=RoomMessage.Status.STREAMING)
