"""ASGI entry point: HTTP goes to Django, WebSockets to the apps' consumers.

Served by daphne (`daphne config.asgi:application`). Static files are served by
whitenoise's middleware inside the Django app, so they work under daphne too.

Every socket route is listed below, one app's ``<app>/routing.py`` per line. They sit
behind ``config.websocket``'s stack: a path with no route is closed 4404, a cookie counts
only from our own origin, then ``accounts.websocket`` authenticates (session, bearer
header or a first ``auth`` frame).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Django must be set up before anything imports models (consumers do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from agents import routing as agents_routing  # noqa: E402
from chat import routing as chat_routing  # noqa: E402
from config.websocket import websocket_application  # noqa: E402
from projects import routing as projects_routing  # noqa: E402

websocket_urlpatterns = [
    *agents_routing.websocket_urlpatterns,  # ws/agent-runs/<run_id>/
    *chat_routing.websocket_urlpatterns,  # ws/chat/<conversation_id>/, ws/projects/<slug>/room/
    *projects_routing.websocket_urlpatterns,  # ws/notifications/
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_application(websocket_urlpatterns),
    }
)
