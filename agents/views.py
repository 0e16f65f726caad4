"""Agent pages: list, create, edit, delete. Plain forms; no JavaScript needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agents import selectors, services
from agents.forms import AgentForm
from agents.models import Agent
from config.errors import DomainError, Forbidden, NotFound, domain_error_to_form
from projects.selectors import projects_joined

SERVICE_FIELDS = AgentForm.Meta.fields


def _visible_or_404(request, pk: int) -> Agent:
    try:
        return selectors.agent_visible_to(user=request.user, agent_id=pk)
    except NotFound:
        raise Http404("Agent not found.") from None


def _owned(request, pk: int) -> Agent:
    agent = _visible_or_404(request, pk)
    try:
        services.agent_ensure_owner(user=request.user, agent=agent)
    except Forbidden as error:
        raise PermissionDenied(error.detail) from error
    return agent


@login_required
def agent_list(request):
    agents = list(selectors.agents_available_to(request.user))
    builtins = [a for a in agents if a.is_builtin]
    mine = [a for a in agents if a.owner_id == request.user.pk]
    shared = [a for a in agents if not a.is_builtin and a.owner_id != request.user.pk]
    # The project assistant is started from one of the user's projects.
    my_projects = list(projects_joined(request.user))
    return render(
        request,
        "agents/list.html",
        {"builtins": builtins, "mine": mine, "shared": shared, "my_projects": my_projects},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agent_create(request):
    form = AgentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agent = services.agent_create(
                owner=request.user, **{field: form.cleaned_data[field] for field in SERVICE_FIELDS}
            )
        except DomainError as error:
            domain_error_to_form(error, form)
        else:
            messages.success(request, f"Agent “{agent.name}” created.")
            return redirect("agents:list")
    return render(request, "agents/form.html", {"form": form, "agent": None})


@login_required
@require_http_methods(["GET", "POST"])
def agent_edit(request, pk: int):
    agent = _owned(request, pk)
    form = AgentForm(request.POST or None, instance=agent, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.agent_update(
                user=request.user,
                agent=agent,
                data={field: form.cleaned_data[field] for field in SERVICE_FIELDS},
            )
        except DomainError as error:
            domain_error_to_form(error, form)
        else:
            messages.success(request, f"Agent “{agent.name}” saved.")
            return redirect("agents:list")
    return render(request, "agents/form.html", {"form": form, "agent": agent})


@login_required
@require_http_methods(["GET", "POST"])
def agent_delete(request, pk: int):
    agent = _owned(request, pk)
    if request.method == "POST":
        services.agent_delete(user=request.user, agent=agent)
        messages.success(request, f"Agent “{agent.name}” deleted.")
        return redirect("agents:list")
    return render(request, "agents/confirm_delete.html", {"agent": agent})
