"""Direct threads: one per pair, unread counts, edit/delete by the author, blocking."""

import pytest

from accounts.tests.factories import UserFactory
from chat.models import DirectThread
from chat.threads import selectors, services
from config.errors import DomainError, Forbidden, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return UserFactory(username="ana"), UserFactory(username="ben")


def test_one_thread_per_pair_whoever_opens_it(pair):
    ana, ben = pair
    thread = services.direct_thread_open(user=ana, other=ben)
    assert services.direct_thread_open(user=ben, other=ana) == thread
    assert DirectThread.objects.count() == 1
    with pytest.raises(DomainError):
        services.direct_thread_open(user=ana, other=ana)


def test_unread_counts_rise_for_the_other_person_and_reset_on_read(pair):
    ana, ben = pair
    thread = services.direct_thread_open(user=ana, other=ben)
    for text in ("Hi Ben", "Are you free?"):
        services.direct_message_send(user=ana, thread=thread, content=text)
    assert selectors.unread_direct_count(ben) == 2
    assert selectors.unread_direct_count(ana) == 0
    listed = selectors.threads_for(ben).get()
    assert (listed.unread_count, listed.other_username) == (2, "ana")
    services.direct_message_send(user=ben, thread=thread, content="Yes")
    assert selectors.unread_direct_count(ana) == 1
    services.direct_thread_mark_read(user=ben, thread=thread)
    assert selectors.unread_direct_count(ben) == 0


def test_strangers_see_no_thread(pair):
    ana, ben = pair
    thread = services.direct_thread_open(user=ana, other=ben)
    eve = UserFactory()
    with pytest.raises(NotFound):
        selectors.thread_for(user=eve, thread_id=thread.pk)
    with pytest.raises(NotFound):
        services.direct_message_send(user=eve, thread=thread, content="hi")


def test_only_the_author_edits_and_deletes(pair):
    ana, ben = pair
    thread = services.direct_thread_open(user=ana, other=ben)
    message = services.direct_message_send(user=ana, thread=thread, content="Helo")
    with pytest.raises(Forbidden):
        services.direct_message_edit(user=ben, thread=thread, message_id=message.pk, content="x")
    with pytest.raises(Forbidden):
        services.direct_message_delete(user=ben, thread=thread, message_id=message.pk)
    assert services.direct_message_edit(
        user=ana, thread=thread, message_id=message.pk, content="Hello"
    ).edited_at
    assert services.direct_message_delete(user=ana, thread=thread, message_id=message.pk).content == ""


def test_a_block_either_way_stops_new_messages_and_new_threads(pair):
    ana, ben = pair
    thread = services.direct_thread_open(user=ana, other=ben)
    services.user_block(blocker=ben, blocked=ana)
    for sender in (ana, ben):
        with pytest.raises(Forbidden):
            services.direct_message_send(user=sender, thread=thread, content="hello?")
    assert services.direct_thread_open(user=ana, other=ben) == thread  # the history stays readable
    carl = UserFactory()
    services.user_block(blocker=carl, blocked=ana)
    with pytest.raises(Forbidden):
        services.direct_thread_open(user=ana, other=carl)
    services.user_unblock(blocker=ben, blocked=ana)
    services.direct_message_send(user=ana, thread=thread, content="thanks")
    assert selectors.blocked_between(ana, carl) and not selectors.blocked_between(ana, ben)


def test_thread_history_cursors(pair):
    ana, ben = pair
    thread = services.direct_thread_open(user=ana, other=ben)
    ids = [services.direct_message_send(user=ana, thread=thread, content=f"m{i}").pk for i in range(4)]
    page, more = selectors.thread_messages(thread=thread, limit=2)
    assert [m.pk for m in page] == ids[2:] and more
    page, more = selectors.thread_messages(thread=thread, since=ids[0])
    assert [m.pk for m in page] == ids[1:] and not more
