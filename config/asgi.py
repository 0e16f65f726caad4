"""ASGI entry point: HTTP goes to Django, WebSockets to the apps' consumers.

Served by daphne (`daphne config.asgi:application`). Static files are served by
whitenoise's middleware inside the Django app, so they work under daphne too.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Django must be set up before anything imports models (consumers do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from config.websocket import websocket_application  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_application(),
    }
)
