"""Content-Security-Policy: django-csp's middleware, plus this site's own WebSocket origin.

The policy itself is ``CONTENT_SECURITY_POLICY`` in settings. ``connect-src 'self'`` covers
``ws:``/``wss:`` to the page's own host only in browsers that follow CSP level 3, so every
response also names the socket origin of the host it was served from, with the scheme
the page can use (``wss`` on a secure page, ``ws`` otherwise).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()  # validated against ALLOWED_HOSTS, safe in a header
        except DisallowedHost:
            return parts
        socket_origin = f"{'wss' if request.is_secure() else 'ws'}://{host}"
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), socket_origin]
        parts.update = update
        return parts
