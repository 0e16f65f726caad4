"""Writes on agent runs: start, cancel, retry (the executor writes the rest).

Every function checks who is acting (pages, API and admin call the same ones): only the
project's maintainers start runs; the run's owner and the project's maintainers cancel
them. Work reaches the Celery worker only after the transaction commits.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agents.models import AgentRun
from agents.runs.events import announce_on_project, broadcast_state_on_commit
from agents.runs.params import params_validate
from agents.runs.selectors import run_can_manage
from config.errors import Conflict, Forbidden
from projects.models import Project
from projects.permissions import Action, ensure

logger = logging.getLogger(__name__)

QUEUED_STEP = "Waiting for a worker"


def _enqueue_on_commit(run_id: int) -> None:
    def enqueue() -> None:
        from agents.tasks import agent_run_execute

        try:
            agent_run_execute.delay(run_id)
        except Exception:  # the broker is down: say so on the run rather than leave it queued
            logger.exception("Could not queue agent run %s", run_id)
            _fail_unqueued(run_id)

    transaction.on_commit(enqueue)


def _fail_unqueued(run_id: int) -> None:
    with transaction.atomic():
        run = AgentRun.objects.select_for_update().filter(pk=run_id, status=AgentRun.Status.QUEUED).first()
        if run is None:
            return
        run.status = AgentRun.Status.FAILED
        run.error_type = "broker_unavailable"
        run.error = "The run could not be queued (the task broker is unavailable); try again shortly."
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error_type", "error", "finished_at", "updated_at"])
        broadcast_state_on_commit(run)


def _lock(run: AgentRun) -> AgentRun:
    return AgentRun.objects.select_for_update().select_related("project", "owner").get(pk=run.pk)


def _ensure_can_manage(actor, run: AgentRun) -> None:
    if not run_can_manage(actor, run):
        raise Forbidden("Only the run's owner and the project's maintainers can do this.")


@transaction.atomic
def agent_run_start(*, owner, project: Project, kind: str, params: dict | None = None) -> AgentRun:
    """Queue a run of ``kind`` on ``project`` for ``owner`` (a maintainer of it)."""
    ensure(owner, project, Action.EDIT)
    params = params_validate(kind, params)
    active = AgentRun.objects.filter(
        owner=owner, status__in=[AgentRun.Status.QUEUED, AgentRun.Status.RUNNING]
    )
    if active.count() >= settings.AGENT_RUN_MAX_ACTIVE_PER_USER:
        raise Conflict(
            "You have too many runs in progress; wait for one to finish or cancel one.", type="too_many_runs"
        )
    run = AgentRun.objects.create(
        owner=owner,
        project=project,
        kind=kind,
        input=params,
        step=QUEUED_STEP,
        deadline=timezone.now() + settings.AGENT_RUN_QUEUE_TIMEOUT,
    )
    _enqueue_on_commit(run.pk)
    announce_on_project(run)
    return run


@transaction.atomic
def agent_run_cancel(*, actor, run: AgentRun) -> AgentRun:
    """A queued run stops now; a running one is asked to stop at its next step."""
    run = _lock(run)
    _ensure_can_manage(actor, run)
    if run.is_finished:
        raise Conflict(f"This run has already {run.get_status_display().lower()}.", type="run_finished")
    if run.status == AgentRun.Status.QUEUED:
        run.status = AgentRun.Status.CANCELLED
        run.step = "Cancelled before it started"
        run.finished_at = timezone.now()
        run.cancel_requested = True
        run.save(update_fields=["status", "step", "finished_at", "cancel_requested", "updated_at"])
    else:
        run.cancel_requested = True
        run.step = "Stopping at the next step…"
        run.save(update_fields=["cancel_requested", "step", "updated_at"])
    broadcast_state_on_commit(run)
    return run


@transaction.atomic
def agent_run_retry(*, actor, run: AgentRun) -> AgentRun:
    """Queue a failed or cancelled run again, from the start (the admin's "retry")."""
    run = _lock(run)
    _ensure_can_manage(actor, run)
    if run.status not in (AgentRun.Status.FAILED, AgentRun.Status.CANCELLED):
        raise Conflict("Only failed or cancelled runs can be retried.", type="run_not_retryable")
    ensure(actor, run.project, Action.EDIT)
    run.status = AgentRun.Status.QUEUED
    run.progress = 0
    run.step = QUEUED_STEP
    run.result = None
    run.error = run.error_type = ""
    run.cancel_requested = False
    run.started_at = run.finished_at = None
    run.deadline = timezone.now() + settings.AGENT_RUN_QUEUE_TIMEOUT
    run.save()
    broadcast_state_on_commit(run)
    _enqueue_on_commit(run.pk)
    announce_on_project(run)
    return run
