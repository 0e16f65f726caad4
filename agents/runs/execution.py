"""What the Celery task runs: one run, step by step, with its progress on the row.

``run_execute(run_id, attempt=n)`` is safe to call any number of times for the same run
(redelivery after a lost worker, ``acks_late``):

* a run already succeeded, failed or cancelled is left alone;
* a queued or running run is claimed under a row lock, then its steps run; each step
  first checks whether the run was asked to stop (cancel) or was ended meanwhile (the
  reaper), then writes its progress and step text and broadcasts them after commit;
* the engines are pure computations and the result is written once, at the end, only
  while the run is still running, so a second delivery repeats work but never writes
  twice or over a cancelled run.

Transient LLM failures (``LLMError.retryable``) raise ``RunRetry(countdown)`` while
retries remain, for the task to reschedule with exponential backoff; then the run fails
with the readable error. Any other failure fails the run at once with a readable error.
``runs_reap()`` (a beat task) fails runs still queued or running past their deadline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agents.llm.errors import LLMError, LLMRateLimited
from agents.models import AgentRun
from agents.runs.events import broadcast_state_on_commit
from config.errors import DomainError

logger = logging.getLogger(__name__)


class RunRetry(Exception):
    """Reschedule the run in ``countdown`` seconds (a transient AI-service failure)."""

    def __init__(self, countdown: float):
        self.countdown = countdown
        super().__init__(f"retry in {countdown:g}s")


class RunStopped(Exception):
    """The run was cancelled or ended by someone else while it worked."""


class RunContext:
    """Handed to a kind's steps: the run, its parameters, and ``step()`` to report."""

    def __init__(self, run: AgentRun):
        self.run = run
        self.project = run.project
        self.params: dict[str, Any] = dict(run.input or {})
        self._span = (0, 100)

    def span(self, start: int, end: int) -> None:
        """Map the next steps' 0..1 fractions onto ``start..end`` percent (``assemble``)."""
        self._span = (start, end)

    def step(self, text: str, fraction: float) -> None:
        """Record that the run is now doing ``text``, ``fraction`` (0..1) into its span.

        Raises ``RunStopped`` when the run was cancelled or ended meanwhile.
        """
        start, end = self._span
        progress = max(0, min(99, round(start + (end - start) * fraction)))
        with transaction.atomic():
            run = AgentRun.objects.select_for_update().get(pk=self.run.pk)
            if run.status != AgentRun.Status.RUNNING or run.cancel_requested:
                raise RunStopped()
            run.progress = max(run.progress, progress)
            run.step = text[:200]
            run.save(update_fields=["progress", "step", "updated_at"])
            broadcast_state_on_commit(run)
        delay = settings.AGENT_RUN_STEP_DELAY
        if delay:
            time.sleep(delay)


def _claim(run_id: int) -> AgentRun | None:
    with transaction.atomic():
        run = (
            AgentRun.objects.select_for_update().select_related("project", "owner").filter(pk=run_id).first()
        )
        if run is None:
            logger.warning("Agent run %s does not exist (deleted?); nothing to do", run_id)
            return None
        if run.is_finished:
            logger.info("Agent run %s already %s; redelivery ignored", run_id, run.status)
            return None
        now = timezone.now()
        if run.cancel_requested:
            _end(run, AgentRun.Status.CANCELLED, step="Cancelled")
            return None
        run.status = AgentRun.Status.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or now
        run.deadline = now + settings.AGENT_RUN_TIMEOUT
        run.step = "Starting" if run.attempts == 1 else f"Starting again (attempt {run.attempts})"
        run.save(update_fields=["status", "attempts", "started_at", "deadline", "step", "updated_at"])
        broadcast_state_on_commit(run)
        return run


def _end(run: AgentRun, status: str, **fields: Any) -> None:
    """Write the final state of a locked run and broadcast ``run.completed``."""
    run.status = status
    run.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", "finished_at", *fields, "updated_at"])
    broadcast_state_on_commit(run)


def _finish(run_id: int, status: str, **fields: Any) -> bool:
    """End a run that is still running; False when something else ended it first."""
    with transaction.atomic():
        run = AgentRun.objects.select_for_update().select_related("project", "owner").get(pk=run_id)
        if run.status != AgentRun.Status.RUNNING:
            return False
        if status == AgentRun.Status.SUCCEEDED and run.cancel_requested:
            status, fields = AgentRun.Status.CANCELLED, {"step": "Cancelled"}
        _end(run, status, **fields)
        return True


def _fail(run_id: int, *, error_type: str, detail: str) -> None:
    _finish(run_id, AgentRun.Status.FAILED, error_type=error_type[:60], error=detail, step="Failed")


def _backoff(attempt: int, error: LLMError) -> float:
    wait = settings.AGENT_RUN_RETRY_BACKOFF * (2**attempt)
    if isinstance(error, LLMRateLimited):
        wait = max(wait, error.retry_after)
    return float(min(wait, settings.AGENT_RUN_RETRY_MAX_WAIT))


def run_execute(run_id: int, *, attempt: int = 0) -> None:
    """Run ``run_id`` to its end (see the module docstring); may raise ``RunRetry``."""
    run = _claim(run_id)
    if run is None:
        return
    from agents.runs.kinds import STEPS

    context = RunContext(run)
    try:
        result = STEPS[run.kind](context)
    except RunStopped:
        _finish(run_id, AgentRun.Status.CANCELLED, step="Cancelled")
        return
    except LLMError as error:
        if error.retryable and attempt < settings.AGENT_RUN_MAX_RETRIES:
            countdown = _backoff(attempt, error)
            _note_retry(run_id, error, countdown)
            raise RunRetry(countdown) from error
        _fail(run_id, error_type=error.type, detail=str(error.detail))
        return
    except DomainError as error:
        _fail(run_id, error_type=error.type, detail=str(error.detail))
        return
    except Exception:
        logger.exception("Agent run %s failed", run_id)
        _fail(
            run_id, error_type="internal_error", detail="The run failed unexpectedly; the error was logged."
        )
        return
    _finish(run_id, AgentRun.Status.SUCCEEDED, result=result, progress=100, step="Done")


def _note_retry(run_id: int, error: LLMError, countdown: float) -> None:
    with transaction.atomic():
        run = AgentRun.objects.select_for_update().get(pk=run_id)
        if run.status != AgentRun.Status.RUNNING:
            return
        run.step = f"{error.detail} Trying again in {countdown:g} s."[:200]
        run.deadline = timezone.now() + settings.AGENT_RUN_TIMEOUT + timedelta(seconds=countdown)
        run.save(update_fields=["step", "deadline", "updated_at"])
        broadcast_state_on_commit(run)


def runs_reap(*, now=None) -> int:
    """Fail every run still queued or running past its deadline; returns how many."""
    now = now or timezone.now()
    unfinished = [AgentRun.Status.QUEUED, AgentRun.Status.RUNNING]
    reaped = 0
    for run_id in AgentRun.objects.filter(status__in=unfinished, deadline__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            run = AgentRun.objects.select_for_update().select_related("project", "owner").get(pk=run_id)
            if run.status not in unfinished or run.deadline is None or run.deadline >= now:
                continue
            never_started = run.status == AgentRun.Status.QUEUED
            _end(
                run,
                AgentRun.Status.FAILED,
                error_type="run_timed_out",
                error=(
                    "No worker picked the run up in time; start it again."
                    if never_started
                    else "The run stopped answering and was ended; start it again."
                ),
                step="Timed out",
            )
            reaped += 1
    if reaped:
        logger.warning("Reaped %s agent runs stuck past their deadline", reaped)
    return reaped


StepFunction = Callable[[RunContext], dict[str, Any]]
