"""Cookie-authenticated sockets must come from one of our origins (scheme, host and port),
in development too: through the real ASGI application and the chat consumer.

A socket whose Origin is foreign, malformed or missing loses its cookies; with no token it
is then closed 4401, with a token it works as any native client."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from accounts import websocket as ws_auth
from chat.tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "devcrew.test:8000"


def application():
    from config.asgi import application

    return application


def with_scheme(app, scheme: str):
    """The socket's scheme as daphne reports it (``ws`` or ``wss``)."""

    async def app_with_scheme(scope, receive, send):
        return await app({**scope, "scheme": scheme}, receive, send)

    return app_with_scheme


@pytest.fixture
def conversation(db):
    return ConversationFactory()


@pytest.fixture(autouse=True)
def quick_auth_frame_timeout(monkeypatch):
    monkeypatch.setattr(ws_auth, "AUTH_FRAME_TIMEOUT", 0.3)


@database_sync_to_async
def cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def open_socket(conversation, headers, scheme="ws"):
    """(communicator, outcome): ``"open"`` for a working socket, else the close code."""
    cookie = await cookie_for(conversation.owner)
    communicator = WebsocketCommunicator(
        with_scheme(application(), scheme),
        f"/ws/chat/{conversation.pk}/",
        headers=[(b"cookie", cookie), *headers],
    )
    connected, code = await communicator.connect(timeout=3)
    if not connected:
        return communicator, code
    if await communicator.receive_nothing(timeout=0.6):  # longer than the auth-frame wait
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=3) == {"type": "pong"}
        return communicator, "open"
    output = await communicator.receive_output(timeout=1)
    assert output["type"] == "websocket.close"
    return communicator, output["code"]


# (scheme of the socket, Host, Origin, outcome with the session cookie alone)
MATRIX = [
    ("ws", HOST, "http://devcrew.test:8000", "open"),  # the page's own origin
    ("wss", "devcrew.test", "https://devcrew.test", "open"),
    ("wss", "devcrew.test", "https://devcrew.test:443", "open"),  # default port spelled out
    ("ws", HOST, "HTTP://DevCrew.test:8000", "open"),  # origins are case-insensitive
    ("ws", HOST, "https://devcrew.test:8000", 4401),  # another scheme
    ("ws", HOST, "http://devcrew.test:9000", 4401),  # another port
    ("ws", HOST, "http://devcrew.test", 4401),  # another (default) port
    ("wss", "devcrew.test", "http://devcrew.test", 4401),  # plain page, secure socket
    ("ws", HOST, "http://evil.example:8000", 4401),  # another host
    ("ws", HOST, "http://devcrew.test.evil.example:8000", 4401),
    ("ws", HOST, "http://evil.example", 4401),
    ("ws", HOST, "null", 4401),  # sandboxed frames and file:// pages
    ("ws", HOST, "http://[", 4401),  # malformed: no 500
    ("ws", HOST, "http://devcrew.test:port", 4401),
    ("ws", HOST, "http://user@devcrew.test:8000", 4401),
    ("ws", HOST, "http://devcrew.test:8000/path", 4401),
    ("ws", HOST, "ftp://devcrew.test:8000", 4401),
    ("ws", HOST, "", 4401),
    ("ws", HOST, "http://\xff\xfe", 4401),  # not UTF-8 on the wire
    ("ws", HOST, None, 4401),  # no Origin at all: a native client, cookies ignored
    ("ws", None, "http://devcrew.test:8000", 4401),  # no Host to compare with
    ("ws", "[", "http://[", 4401),
]


@pytest.mark.parametrize("allowed_hosts", [["*"], ["devcrew.test"]], ids=["any-host", "listed-host"])
async def test_cookie_auth_only_from_our_full_origin(conversation, settings, allowed_hosts):
    """Every row of MATRIX, in one test (each socket needs the transactional database).
    ``ALLOWED_HOSTS = ["*"]`` (development) does not relax the check."""
    settings.ALLOWED_HOSTS = allowed_hosts
    wrong = []
    for scheme, host, origin, outcome in MATRIX:
        headers = []
        if host is not None:
            headers.append((b"host", host.encode("latin1")))
        if origin is not None:
            headers.append((b"origin", origin.encode("latin1")))
        communicator, result = await open_socket(conversation, headers, scheme=scheme)
        await communicator.disconnect()
        if result != outcome:
            wrong.append(f"{scheme} Host={host!r} Origin={origin!r}: {result}, expected {outcome}")
    assert not wrong, "\n".join(wrong)


async def test_a_host_outside_allowed_hosts_is_not_our_origin(conversation, settings):
    settings.ALLOWED_HOSTS = ["devcrew.test"]
    communicator, result = await open_socket(
        conversation, [(b"host", b"evil.example"), (b"origin", b"http://evil.example")]
    )
    assert result == 4401
    await communicator.disconnect()


async def test_behind_a_tls_proxy_the_forwarded_scheme_counts(conversation, settings):
    """Production: the load balancer speaks plain ws to daphne and says https."""
    settings.ALLOWED_HOSTS = ["devcrew.test"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = [(b"host", b"devcrew.test"), (b"x-forwarded-proto", b"https")]
    communicator, result = await open_socket(conversation, [*forwarded, (b"origin", b"https://devcrew.test")])
    assert result == "open"
    await communicator.disconnect()
    communicator, result = await open_socket(conversation, [*forwarded, (b"origin", b"http://devcrew.test")])
    assert result == 4401
    await communicator.disconnect()


async def test_csrf_trusted_origins_are_allowed_exactly(conversation, settings):
    settings.ALLOWED_HOSTS = ["devcrew.test"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.devcrew.test", "https://*.partner.example"]
    host = [(b"host", b"devcrew.test")]
    for origin, outcome in [
        (b"https://app.devcrew.test", "open"),
        (b"http://app.devcrew.test", 4401),
        (b"https://app.devcrew.test:8443", 4401),
        (b"https://eu.partner.example", "open"),
        (b"https://partner.example.evil.example", 4401),
    ]:
        communicator, result = await open_socket(conversation, [*host, (b"origin", origin)])
        assert result == outcome, origin
        await communicator.disconnect()


async def test_a_token_still_works_from_a_foreign_origin(conversation, settings):
    """The token is the credential, not the ambient cookie: a native or third-party client
    holding one may connect; the cookie it also sent is ignored."""
    settings.ALLOWED_HOSTS = ["*"]
    token = await database_sync_to_async(lambda: str(AccessToken.for_user(conversation.owner)))()
    communicator, result = await open_socket(
        conversation,
        [
            (b"host", HOST.encode()),
            (b"origin", b"http://evil.example"),
            (b"authorization", f"Bearer {token}".encode()),
        ],
    )
    assert result == "open"
    await communicator.disconnect()
