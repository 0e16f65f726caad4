"""Site-wide pages: the landing page / dashboard and the error handlers."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.static import serve

from agents import dashboard as agents_dashboard
from config.api.errors import SERVER_ERROR_DETAIL, TOO_LARGE_DETAIL, json_error_response
from profiles import dashboard as profiles_dashboard
from projects import dashboard as projects_dashboard

# The dashboard's sections, in page order: each ``panels(request) -> list[dict]`` (a
# ``template`` and its context).
DASHBOARD_PANELS = (profiles_dashboard.panels, projects_dashboard.panels, agents_dashboard.panels)


def home(request):
    """Landing page for visitors; the dashboard (``DASHBOARD_PANELS``) for signed-in users."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    panels = [panel for app_panels in DASHBOARD_PANELS for panel in app_panels(request)]
    return render(request, "dashboard.html", {"panels": panels})


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def page_not_found(request, exception=None):
    if wants_json(request):
        return json_error_response("not_found", "Not found.", 404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if wants_json(request):
        return json_error_response("permission_denied", "You do not have permission to do this.", 403)
    return render(request, "403.html", status=403)


@requires_csrf_token
def server_error(request):
    if wants_json(request):
        return json_error_response("server_error", SERVER_ERROR_DETAIL, 500)
    # Rendered without context processors: they may be what failed.
    html = loader.get_template("500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(html)


def request_too_large(request, exception=None):
    if wants_json(request):
        return json_error_response("request_too_large", TOO_LARGE_DETAIL, 413)
    return render(request, "413.html", status=413)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request, exception)
    if wants_json(request):
        return json_error_response("bad_request", "Bad request.", 400)
    return render(request, "400.html", status=400)


def media(request, path: str):
    """Uploaded files from MEDIA_ROOT (local storage only; with S3 the store serves them).
    Names are random and files never change, so browsers may keep them for a year."""
    if not settings.MEDIA_SERVED_BY_DJANGO:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
