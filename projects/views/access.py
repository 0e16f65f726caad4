"""How pages load a project for the viewer and turn domain errors into what a browser
expects: a hidden project is the site's 404 page; a refused action is a flash message."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from config.errors import DomainError, Forbidden, NotFound
from projects import selectors
from projects.models import Project
from projects.permissions import Access, Action, access_for


def project_for_page(request, slug: str, action: Action = Action.VIEW) -> tuple[Project, Access]:
    project = selectors.project_detail(slug)
    if project is None:
        raise Http404("Project not found.")
    access = access_for(request.user, project)
    try:
        access.ensure(action)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    return project, access


def back_to(request, fallback: str) -> str:
    """Where a POST form returns: its ``next`` field, else the referring page, when either
    is on this site; else ``fallback``."""
    for target in (request.POST.get("next"), request.GET.get("next"), request.META.get("HTTP_REFERER")):
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return target
    return fallback


def form_action(view):
    """For POST-only actions: a domain ``NotFound`` is a 404, any other refusal a flash
    error on the page the form came from."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except DomainError as exc:
            messages.error(request, exc.detail)
            return HttpResponseRedirect(back_to(request, reverse("projects:list")))

    return wrapper
