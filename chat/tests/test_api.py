"""The chat REST API: conversations, messages (JSON and Server-Sent Events), branches, limits."""

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from chat.models import Conversation, Message
from chat.tests.factories import ConversationFactory, MessageFactory, ensure_builtin_agents
from chat.tests.helpers import eventually

API = "/api/v1/conversations"


@pytest.fixture
def api():
    return APIClient()


def login(api, user):
    api.force_authenticate(user)
    return api


def parse_events(body: bytes) -> list[tuple[str, dict]]:
    events = []
    for block in body.decode().split("\n\n"):
        if not block.strip():
            continue
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


async def read_stream(response) -> bytes:
    return b"".join([chunk async for chunk in response.streaming_content])


# -- conversations ------------------------------------------------------------------------
@pytest.mark.django_db
def test_list_is_pinned_first_then_most_recent_and_hides_archived(api):
    user = UserFactory()
    now = timezone.now()
    old = ConversationFactory(owner=user, title="old", last_message_at=now - timedelta(days=2))
    recent = ConversationFactory(owner=user, title="recent", last_message_at=now)
    pinned = ConversationFactory(
        owner=user, title="pinned", pinned=True, last_message_at=now - timedelta(days=9)
    )
    archived = ConversationFactory(owner=user, title="archived", archived=True)
    ConversationFactory(title="someone else's")

    body = login(api, user).get(f"{API}/").json()
    assert [c["title"] for c in body["results"]] == ["pinned", "recent", "old"]
    assert body["count"] == 3
    assert [c["id"] for c in api.get(f"{API}/?archived=true").json()["results"]] == [archived.pk]
    assert len(api.get(f"{API}/?archived=all").json()["results"]) == 4
    assert {old.pk, recent.pk, pinned.pk} <= {
        c["id"] for c in api.get(f"{API}/?archived=all").json()["results"]
    }


@pytest.mark.django_db
def test_search_matches_titles_and_message_text(api):
    user = UserFactory()
    by_title = ConversationFactory(owner=user, title="Kubernetes upgrade")
    by_text = ConversationFactory(owner=user, title="Misc")
    MessageFactory(conversation=by_text, content="How do I drain a kubernetes node?")
    ConversationFactory(owner=user, title="Other")
    MessageFactory(conversation=ConversationFactory(title="x"), content="kubernetes")  # a stranger's

    found = login(api, user).get(f"{API}/?q=kubernetes").json()["results"]
    assert {c["id"] for c in found} == {by_title.pk, by_text.pk}


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_page(api, django_assert_num_queries):
    user = UserFactory()
    ConversationFactory.create_batch(3, owner=user)
    login(api, user)
    with django_assert_num_queries(2):  # count + page (agent and project joined)
        api.get(f"{API}/")
    ConversationFactory.create_batch(10, owner=user)
    with django_assert_num_queries(2):
        assert len(api.get(f"{API}/").json()["results"]) == 13


@pytest.mark.django_db
def test_create_rename_pin_archive_delete(api):
    ensure_builtin_agents()
    user = UserFactory()
    login(api, user)
    created = api.post(f"{API}/", {}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["agent"]["kind"] == "assistant"
    assert body["project"] is None

    pk = body["id"]
    patched = api.patch(f"{API}/{pk}/", {"title": "Renamed", "pinned": True, "archived": True}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["title"], patched.json()["pinned"], patched.json()["archived"]) == (
        "Renamed",
        True,
        True,
    )
    assert api.delete(f"{API}/{pk}/").status_code == 204
    assert not Conversation.objects.filter(pk=pk).exists()


@pytest.mark.django_db
def test_create_with_a_project_needs_membership(api):
    from projects.tests.factories import ProjectFactory

    ensure_builtin_agents()
    user = UserFactory()
    mine = ProjectFactory(owner=user)
    theirs = ProjectFactory()
    login(api, user)

    ok = api.post(f"{API}/", {"project": mine.slug}, format="json")
    assert ok.status_code == 201
    assert ok.json()["project"] == {"slug": mine.slug, "name": mine.name}
    assert ok.json()["agent"]["kind"] == "project_assistant"
    refused = api.post(f"{API}/", {"project": theirs.slug}, format="json")
    assert refused.status_code == 404
    assert refused.json()["type"] == "not_found"


@pytest.mark.django_db
def test_a_stranger_gets_404_everywhere(api):
    conversation = ConversationFactory()
    message = MessageFactory(conversation=conversation)
    login(api, UserFactory())
    pk = conversation.pk
    for method, url, data in [
        ("get", f"{API}/{pk}/", None),
        ("patch", f"{API}/{pk}/", {"title": "mine now"}),
        ("delete", f"{API}/{pk}/", None),
        ("post", f"{API}/{pk}/stop", None),
        ("get", f"{API}/{pk}/messages/", None),
        ("post", f"{API}/{pk}/messages/", {"content": "hi"}),
        ("post", f"{API}/{pk}/messages/{message.pk}/regenerate", None),
        ("post", f"{API}/{pk}/messages/{message.pk}/edit", {"content": "x"}),
    ]:
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["type"] == "not_found"
    conversation.refresh_from_db()
    assert conversation.title != "mine now"
    assert Message.objects.filter(conversation=conversation).count() == 1


# -- messages -----------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
async def test_post_returns_201_with_both_messages_once_the_answer_is_complete(
    async_client, fake_openai_settings
):
    fake_openai_settings.reply(tokens=["Fine", ", ", "thanks"])
    conversation = await sync_to_async(ConversationFactory)(title="")
    await async_client.aforce_login(conversation.owner)

    response = await async_client.post(
        f"{API}/{conversation.pk}/messages/", {"content": "How are you?"}, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user_message"]["content"] == "How are you?"
    answer = body["assistant_message"]
    assert (answer["status"], answer["content"], answer["label"]) == (
        "complete",
        "Fine, thanks",
        "openai · fake-model",
    )
    assert answer["completion_tokens"] == 3
    await sync_to_async(conversation.refresh_from_db)()
    assert conversation.title == "How are you?"  # from the first exchange


@pytest.mark.django_db(transaction=True)
async def test_post_with_a_model_error_returns_its_status_and_saves_the_failure(
    async_client, fake_openai_settings
):
    fake_openai_settings.rate_limit(retry_after=30)
    conversation = await sync_to_async(ConversationFactory)()
    await async_client.aforce_login(conversation.owner)

    response = await async_client.post(
        f"{API}/{conversation.pk}/messages/", {"content": "Hi"}, content_type="application/json"
    )

    assert response.status_code == 429
    assert response.json()["type"] == "llm_rate_limited"
    assert response["Retry-After"] == "30"
    answer = await sync_to_async(Message.objects.get)(conversation=conversation, role="assistant")
    assert answer.status == Message.Status.FAILED
    assert answer.error_detail == response.json()["detail"]


@pytest.mark.django_db(transaction=True)
async def test_post_streams_server_sent_events_as_tokens_arrive(async_client, fake_openai_settings):
    fake_openai_settings.reply(tokens=["Str", "eam", "ing", "!"], token_delay=0.05)
    conversation = await sync_to_async(ConversationFactory)()
    await async_client.aforce_login(conversation.owner)

    response = await async_client.post(
        f"{API}/{conversation.pk}/messages/",
        {"content": "Stream please"},
        content_type="application/json",
        headers={"accept": "text/event-stream"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    events = parse_events(await read_stream(response))

    names = [name for name, _ in events]
    assert names == ["message.created", "message.created", *["assistant.delta"] * 4, "assistant.completed"]
    assert [data["delta"] for name, data in events if name == "assistant.delta"] == ["Str", "eam", "ing", "!"]
    assert events[-1][1]["message"]["content"] == "Streaming!"
    assert events[-1][1]["message"]["content_html"] == "<p>Streaming!</p>"


@pytest.mark.django_db(transaction=True)
async def test_sse_error_event_keeps_the_partial_text(async_client, fake_openai_settings):
    fake_openai_settings.reply(tokens=["Half ", "an ", "answer"], cut_after=2)
    conversation = await sync_to_async(ConversationFactory)()
    await async_client.aforce_login(conversation.owner)

    response = await async_client.post(
        f"{API}/{conversation.pk}/messages/",
        {"content": "Go"},
        content_type="application/json",
        headers={"accept": "text/event-stream"},
    )
    events = parse_events(await read_stream(response))
    name, error = events[-1]
    assert name == "error"
    assert error["code"] == "llm_stream_interrupted"
    assert error["message"]["content"] == "Half an "
    assert error["message"]["status"] == "failed"


@pytest.mark.django_db(transaction=True)
async def test_rest_stop_cuts_a_streaming_answer(async_client, fake_openai_settings):
    fake_openai_settings.reply(tokens=[f"w{i} " for i in range(50)], token_delay=0.1)
    conversation = await sync_to_async(ConversationFactory)()
    await async_client.aforce_login(conversation.owner)

    response = await async_client.post(
        f"{API}/{conversation.pk}/messages/",
        {"content": "Long"},
        content_type="application/json",
        headers={"accept": "text/event-stream"},
    )
    chunks = []

    async def read():
        async for chunk in response.streaming_content:
            chunks.append(chunk)

    reader = asyncio.create_task(read())
    assert await eventually(lambda: sum(b"assistant.delta" in c for c in chunks) >= 2)
    stop = await async_client.post(f"{API}/{conversation.pk}/stop")
    assert stop.status_code == 202
    await asyncio.wait_for(reader, timeout=5)

    name, data = parse_events(b"".join(chunks))[-1]
    assert name == "assistant.completed"
    assert data["message"]["status"] == "stopped"
    assert data["message"]["content"].startswith("w0 w1 ")
    assert await eventually(lambda: fake_openai_settings.exchanges[-1].client_closed)


@pytest.mark.django_db(transaction=True)
def test_daily_token_quota_answers_429_before_any_model_call(api, fake_openai_settings, settings):
    settings.CHAT_DAILY_TOKEN_QUOTA = 1000
    conversation = ConversationFactory()
    MessageFactory(conversation=conversation, role="assistant", prompt_tokens=900, completion_tokens=100)

    response = login(api, conversation.owner).post(
        f"{API}/{conversation.pk}/messages/", {"content": "One more?"}, format="json"
    )

    assert response.status_code == 429
    assert response.json()["type"] == "chat_quota_exceeded"
    assert "1,000 tokens" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert fake_openai_settings.requests == []
    assert not Message.objects.filter(content="One more?").exists()


@pytest.mark.django_db(transaction=True)
def test_yesterdays_tokens_do_not_count(api, fake_openai_settings, settings):
    settings.CHAT_DAILY_TOKEN_QUOTA = 1000
    conversation = ConversationFactory()
    old = MessageFactory(conversation=conversation, role="assistant", prompt_tokens=5000)
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, hours=1))

    response = login(api, conversation.owner).post(
        f"{API}/{conversation.pk}/messages/", {"content": "Hi"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_message_rate_limit_answers_429_before_any_model_call(api, fake_openai_settings, settings):
    settings.CHAT_MESSAGES_PER_MINUTE = 2
    conversation = ConversationFactory()
    login(api, conversation.owner)
    for text in ("one", "two"):
        assert (
            api.post(f"{API}/{conversation.pk}/messages/", {"content": text}, format="json").status_code
            == 201
        )

    response = api.post(f"{API}/{conversation.pk}/messages/", {"content": "three"}, format="json")

    assert response.status_code == 429
    assert response.json()["type"] == "chat_rate_limited"
    assert 0 < int(response["Retry-After"]) <= 61
    assert len(fake_openai_settings.chat_requests) == 2


@pytest.mark.django_db(transaction=True)
def test_the_message_rate_limit_cannot_be_doubled_across_a_minute_boundary(api, settings):
    """One message at hh:mm:59.5 and the next at hh:(mm+1):00.5 are two within a second."""
    import time_machine

    settings.CHAT_MESSAGES_PER_MINUTE = 1
    conversation = ConversationFactory()
    login(api, conversation.owner)
    url = f"{API}/{conversation.pk}/messages/"
    just_before_the_minute = timezone.now().replace(second=59, microsecond=500_000)  # read once
    with time_machine.travel(just_before_the_minute, tick=True):
        assert api.post(url, {"content": "one"}, format="json").status_code == 201
    with time_machine.travel(just_before_the_minute + timedelta(seconds=1), tick=True):
        response = api.post(url, {"content": "two"}, format="json")

    assert response.status_code == 429, response.content
    assert response.json()["type"] == "chat_rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.django_db(transaction=True)
def test_edit_and_regenerate_make_branches_and_the_list_shows_the_active_one(api, fake_openai_settings):
    for text in ("A1", "A2", "A1-edited", "A1-regenerated"):
        fake_openai_settings.reply(text)
    conversation = ConversationFactory()
    login(api, conversation.owner)
    url = f"{API}/{conversation.pk}/messages/"
    first = api.post(url, {"content": "Q1"}, format="json").json()
    api.post(url, {"content": "Q2"}, format="json")

    edited = api.post(f"{url}{first['user_message']['id']}/edit", {"content": "Q1 edited"}, format="json")
    assert edited.status_code == 201
    assert edited.json()["user_message"]["parent"] is None
    branch = [m["content"] for m in reversed(api.get(url).json()["results"])]
    assert branch == ["Q1 edited", "A1-edited"]

    answer_id = edited.json()["assistant_message"]["id"]
    regenerated = api.post(f"{url}{answer_id}/regenerate", format="json")
    assert regenerated.status_code == 201
    assert regenerated.json()["assistant_message"]["parent"] == edited.json()["user_message"]["id"]
    branch = [m["content"] for m in reversed(api.get(url).json()["results"])]
    assert branch == ["Q1 edited", "A1-regenerated"]
    # Nothing is lost: the first branch is still there, off the active one.
    assert Message.objects.filter(conversation=conversation).count() == 7
    # The model saw only the active branch: no trace of Q2 when answering the edit.
    assert [
        m["content"] for m in fake_openai_settings.chat_requests[2].messages if m["role"] != "system"
    ] == ["Q1 edited"]


@pytest.mark.django_db
def test_messages_are_cursor_paginated_newest_first(api):
    conversation = ConversationFactory()
    parent = None
    for i in range(5):
        parent = MessageFactory(conversation=conversation, parent=parent, content=f"m{i}")
    conversation.active_leaf = parent
    conversation.save()
    login(api, conversation.owner)

    page = api.get(f"{API}/{conversation.pk}/messages/?page_size=3").json()
    assert [m["content"] for m in page["results"]] == ["m4", "m3", "m2"]
    older = api.get(page["next"]).json()
    assert [m["content"] for m in older["results"]] == ["m1", "m0"]


@pytest.mark.django_db
def test_model_output_is_sanitized_html(api):
    conversation = ConversationFactory()
    message = MessageFactory(
        conversation=conversation,
        role="assistant",
        content='Look <script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))\n\n```python\nprint(1)\n```',
    )
    conversation.active_leaf = message
    conversation.save()

    html = (
        login(api, conversation.owner)
        .get(f"{API}/{conversation.pk}/messages/")
        .json()["results"][0]["content_html"]
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert '<div class="codehilite">' in html


@pytest.mark.django_db(transaction=True)
def test_a_conversation_about_a_project_left_is_read_only(api, fake_openai_settings):
    from projects.models import Membership
    from projects.tests.factories import MembershipFactory, ProjectFactory

    project = ProjectFactory()
    user = UserFactory()
    MembershipFactory(project=project, user=user)
    conversation = ConversationFactory(owner=user, project=project)
    Membership.objects.filter(project=project, user=user).delete()

    response = login(api, user).post(f"{API}/{conversation.pk}/messages/", {"content": "Hi"}, format="json")
    assert response.status_code == 403
    assert response.json()["type"] == "project_access_lost"
    assert fake_openai_settings.requests == []
