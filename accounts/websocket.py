"""Authentication for WebSockets (chat and agent runs).

Three ways in, tried in this order:

1. ``Authorization: Bearer <access>`` on the handshake (native clients);
2. the browser's session cookie (only present when the Origin guard in
   ``config.websocket`` let the cookie through, i.e. the Origin is ours);
3. a first frame ``{"type": "auth", "token": "<access>"}`` within 5 seconds, for
   clients that cannot set headers. The socket is accepted to read that frame, but
   nothing is sent and the consumer does not run until the token is valid.

A socket that ends up unauthenticated is closed with 4401. Consumers see only
authenticated users in ``scope["user"]`` and close 4403 for objects the user may not see.
"""

import asyncio
import json

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from accounts.authentication import token_predates_password_change, token_user_id

AUTH_FRAME_TIMEOUT = 5.0
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def access_token_user(raw_token: str):
    """The active user an access token names, or None for any invalid token."""
    try:
        token = AccessToken(raw_token)  # type: ignore[arg-type]  # accepts the encoded string
    except TokenError:
        return None
    user_id = token_user_id(token)
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or token_predates_password_change(user, token):
        return None
    return user


user_for_access_token = database_sync_to_async(access_token_user)


def _bearer_token(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class _TokenOrFirstFrameAuth:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        bearer = _bearer_token(scope)
        if bearer is not None:
            user = await user_for_access_token(bearer)
            if user is None:
                return await _refuse(receive, send)
            return await self.app({**scope, "user": user, "auth_method": "bearer"}, receive, send)

        user = scope.get("user")
        if user is not None and user.is_authenticated:
            return await self.app({**scope, "auth_method": "session"}, receive, send)

        return await self._first_frame(scope, receive, send)

    async def _first_frame(self, scope, receive, send):
        event = await receive()
        if event["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        try:
            frame = await asyncio.wait_for(receive(), timeout=AUTH_FRAME_TIMEOUT)
        except TimeoutError:
            frame = None
        token = _auth_frame_token(frame)
        user = await user_for_access_token(token) if token else None
        if user is None:
            await send({"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED})
            return

        replayed = False

        async def receive_after_auth():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "websocket.connect"}
            return await receive()

        async def send_after_auth(message):
            if message["type"] == "websocket.accept":
                return  # already accepted to read the auth frame
            await send(message)

        scope = {**scope, "user": user, "auth_method": "first_frame"}
        return await self.app(scope, receive_after_auth, send_after_auth)


def _auth_frame_token(frame) -> str | None:
    if not frame or frame.get("type") != "websocket.receive" or not frame.get("text"):
        return None
    try:
        data = json.loads(frame["text"])
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("type") == "auth" and isinstance(data.get("token"), str):
        return data["token"]
    return None


async def _refuse(receive, send):
    event = await receive()
    if event["type"] == "websocket.connect":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED})


def WebsocketAuthMiddleware(app):  # noqa: N802 - reads like the class stacks it wraps
    """Session auth (channels' stack) around bearer/first-frame token auth."""
    return AuthMiddlewareStack(_TokenOrFirstFrameAuth(app))
