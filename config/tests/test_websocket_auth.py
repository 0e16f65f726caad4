"""The WebSocket front door: origin guard + cookie / bearer / first-frame authentication."""

import pytest
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import override_settings
from django.urls import path
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts import websocket as ws_auth
from accounts.tests.factories import UserFactory
from config.websocket import CookieOriginGuard

pytestmark = pytest.mark.django_db(transaction=True)


class WhoAmIConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.accept()
        await self.send_json(
            {"type": "hello", "user": self.scope["user"].username, "via": self.scope["auth_method"]}
        )


application = CookieOriginGuard(
    ws_auth.WebsocketAuthMiddleware(URLRouter([path("ws/whoami/", WhoAmIConsumer.as_asgi())]))
)


@database_sync_to_async
def make_user(**kwargs):
    return UserFactory(**kwargs)


@database_sync_to_async
def session_cookie_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/whoami/", headers=headers)
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code


@override_settings(ALLOWED_HOSTS=["devcrew.test"])
async def test_session_cookie_from_our_origin_is_accepted():
    user = await make_user()
    cookie = await session_cookie_for(user)
    communicator, connected, _ = await connect(
        [(b"host", b"devcrew.test"), (b"origin", b"http://devcrew.test"), (b"cookie", cookie.encode())]
    )
    assert connected
    assert await communicator.receive_json_from() == {
        "type": "hello",
        "user": user.username,
        "via": "session",
    }
    await communicator.disconnect()


@override_settings(ALLOWED_HOSTS=["devcrew.test"])
async def test_session_cookie_from_a_foreign_origin_does_not_authenticate(monkeypatch):
    """(The full origin matrix is in test_websocket_origin.py.)"""
    monkeypatch.setattr(ws_auth, "AUTH_FRAME_TIMEOUT", 0.3)
    user = await make_user()
    cookie = await session_cookie_for(user)
    communicator, connected, _ = await connect(
        [(b"host", b"devcrew.test"), (b"origin", b"https://evil.example"), (b"cookie", cookie.encode())]
    )
    assert connected  # accepted only to wait for an auth frame...
    assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()


@override_settings(ALLOWED_HOSTS=["devcrew.test"])
async def test_without_origin_a_cookie_alone_does_not_authenticate(monkeypatch):
    monkeypatch.setattr(ws_auth, "AUTH_FRAME_TIMEOUT", 0.3)
    user = await make_user()
    cookie = await session_cookie_for(user)
    communicator, connected, _ = await connect([(b"cookie", cookie.encode())])
    assert connected  # accepted only to wait for an auth frame...
    output = await communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": 4401}  # ...which never came
    await communicator.disconnect()


async def test_bearer_header_without_origin_is_accepted():
    user = await make_user()
    token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
    communicator, connected, _ = await connect([(b"authorization", f"Bearer {token}".encode())])
    assert connected
    assert (await communicator.receive_json_from())["via"] == "bearer"
    await communicator.disconnect()


async def test_invalid_or_refresh_token_in_header_is_closed_4401():
    user = await make_user()
    refresh = await database_sync_to_async(lambda: str(RefreshToken.for_user(user)))()
    for token in ("garbage", refresh):
        communicator, _, _ = await connect([(b"authorization", f"Bearer {token}".encode())])
        assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
        await communicator.disconnect()


async def test_first_frame_token_authenticates_and_nothing_is_sent_before():
    user = await make_user()
    token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
    communicator, connected, _ = await connect([])
    assert connected
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.send_json_to({"type": "auth", "token": token})
    assert await communicator.receive_json_from() == {
        "type": "hello",
        "user": user.username,
        "via": "first_frame",
    }
    await communicator.disconnect()


async def test_wrong_first_frame_is_closed_4401():
    communicator, connected, _ = await connect([])
    assert connected
    await communicator.send_json_to({"type": "message.send", "content": "hi"})
    assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()


async def test_inactive_user_token_is_refused():
    user = await make_user(is_active=False)
    token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
    communicator, _, _ = await connect([(b"authorization", f"Bearer {token}".encode())])
    assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()
