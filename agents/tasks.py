"""Celery tasks of agents: they take ids and call ``agents.runs.execution``.

``agent_run_execute`` is ``acks_late`` + ``reject_on_worker_lost``: a worker that dies
mid-run leaves the message to be redelivered, and the executor makes a redelivery of a
finished run a no-op. Transient AI-service failures come back as ``RunRetry`` and are
rescheduled here with the executor's backoff.
"""

from celery import shared_task

from agents.runs import execution


@shared_task(
    bind=True,
    name="agents.tasks.agent_run_execute",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the executor counts attempts (AGENT_RUN_MAX_RETRIES) and fails the run itself
)
def agent_run_execute(self, run_id: int) -> None:
    try:
        execution.run_execute(run_id, attempt=self.request.retries)
    except execution.RunRetry as retry:
        raise self.retry(countdown=retry.countdown) from retry


@shared_task(name="agents.tasks.reap_stuck_runs")
def reap_stuck_runs() -> int:
    """Beat: fail runs still queued or running past their deadline."""
    return execution.runs_reap()
