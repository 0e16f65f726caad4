"""With Redis stopped, the site degrades instead of failing: throttles and rate limits let
requests through, sockets are refused cleanly, chat answers are still written and saved,
and only the readiness probe says Redis is gone."""

import pytest
from channels.layers import channel_layers
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from chat.tests.factories import ConversationFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_stopped(redis_server, settings):
    """Cache and channel layer on a Redis of the test's own, which is then stopped."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": redis_server.url, "socket_connect_timeout": 1}]},
        }
    }
    channel_layers.backends.clear()
    redis_server.stop()
    yield redis_server
    channel_layers.backends.clear()


def test_throttled_api_calls_answer_as_usual(redis_stopped, settings):
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)

    response = api.get("/api/v1/conversations/")
    assert response.status_code == 200
    assert response.json()["count"] == 0

    # Anonymous, per-IP throttled: a wrong password is still a clean 4xx, not a 500.
    anonymous = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": "not-the-password-1"}, format="json"
    )
    assert anonymous.status_code in (400, 401)
    assert anonymous.json()["type"]


def test_a_chat_message_is_answered_and_saved_without_redis(redis_stopped):
    conversation = ConversationFactory()
    api = APIClient()
    api.force_authenticate(conversation.owner)

    response = api.post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"content": "Hello"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["assistant_message"]["status"] == "complete"


def test_readiness_names_the_cache(redis_stopped, client):
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["components"]["cache"].startswith("unavailable")
    assert body["components"]["database"] == "ok"


def test_the_cache_works_again_once_redis_is_back(redis_stopped, monkeypatch):
    from django.core.cache import cache

    from config import cache as fail_open

    assert cache.get("k") is None  # Redis down: a miss, and a pause before trying again
    monkeypatch.setattr(fail_open, "_paused_until", {})
    redis_stopped.start()
    cache.set("k", "v")
    assert cache.get("k") == "v"
