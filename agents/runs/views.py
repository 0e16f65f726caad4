"""Agent run pages: start (from the project page), a run's live page, my runs.

Plain forms and server-rendered results; without JavaScript a run's page refreshes
itself while the run is unfinished (``<meta http-equiv="refresh">`` inside
``<noscript>``), with JavaScript it follows the run's socket (static/js/agent_run.js).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agents.models import AgentRun
from agents.runs import presentation, selectors
from agents.runs.apply import agent_run_apply
from agents.runs.services import agent_run_cancel, agent_run_start
from config.errors import DomainError, Forbidden, NotFound
from projects.selectors import project_by_slug

RUNS_PER_PAGE = 50


def _run_or_error(request, pk: int) -> AgentRun:
    try:
        return selectors.run_for(user=request.user, run_id=pk)
    except NotFound as error:
        raise Http404(error.detail) from error
    except Forbidden as error:
        raise PermissionDenied(error.detail) from error


@login_required
@require_POST
def run_start(request):
    project = project_by_slug(request.POST.get("project", ""))
    if project is None:
        raise Http404("Project not found.")
    try:
        run = agent_run_start(owner=request.user, project=project, kind=request.POST.get("kind", ""))
    except NotFound as error:
        raise Http404(error.detail) from error
    except Forbidden as error:
        raise PermissionDenied(error.detail) from error
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect(project.get_absolute_url())
    return redirect(run.get_absolute_url())


@login_required
def run_detail(request, pk: int):
    run = _run_or_error(request, pk)
    return render(request, "agents/runs/detail.html", presentation.run_page_context(run, user=request.user))


@login_required
@require_POST
def run_cancel(request, pk: int):
    run = _run_or_error(request, pk)
    try:
        agent_run_cancel(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect(run.get_absolute_url())


@login_required
@require_POST
def run_apply(request, pk: int):
    run = _run_or_error(request, pk)
    try:
        team = int(request.POST.get("team", 0))
    except ValueError:
        team = -1
    try:
        if team < 0:
            raise DomainError("Choose one of the proposed teams.")
        run = agent_run_apply(actor=request.user, run=run, team_index=team)
    except Forbidden as error:
        raise PermissionDenied(error.detail) from error
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        applied = run.applied or {}
        counts = {key: len(applied.get(key, [])) for key in ("invitations", "milestones", "tasks")}
        messages.success(
            request,
            f"Applied: {counts['invitations']} invitation(s) sent, "
            f"{counts['milestones']} milestone(s) and {counts['tasks']} task(s) added.",
        )
    return redirect(run.get_absolute_url())


@login_required
def run_list(request):
    runs = list(selectors.runs_of_owner(request.user)[:RUNS_PER_PAGE])
    return render(request, "agents/runs/list.html", {"runs": runs})
