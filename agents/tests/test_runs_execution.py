"""The run lifecycle the Celery task drives: claim, steps, cancel, retries, redelivery, reaper.

These use a stand-in for a kind's steps (``STEPS`` is the executor's table of kinds),
because the subject is the lifecycle; the engines run for real in test_runs_engines.py.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from agents.llm.errors import LLMRequestRejected, LLMUnavailable
from agents.models import AgentRun
from agents.runs import execution
from agents.runs.kinds import STEPS
from agents.runs.services import agent_run_cancel
from agents.tasks import agent_run_execute, reap_stuck_runs
from agents.tests.factories import AgentRunFactory

pytestmark = pytest.mark.django_db


def install_steps(monkeypatch, steps):
    monkeypatch.setitem(STEPS, AgentRun.Kind.SKILL_MATCH, steps)


def test_a_run_goes_through_its_steps_to_success(monkeypatch, django_capture_on_commit_callbacks):
    seen = []

    def steps(context):
        context.step("Looking", 0.2)
        seen.append(AgentRun.objects.get(pk=context.run.pk).progress)
        context.step("Explaining", 0.7)
        seen.append(AgentRun.objects.get(pk=context.run.pk).progress)
        return {"candidates": [{"username": "ada"}]}

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert seen == [20, 70]
    assert run.status == "succeeded" and run.progress == 100 and run.step == "Done"
    assert run.result == {"candidates": [{"username": "ada"}]}
    assert run.started_at and run.finished_at and run.attempts == 1


def test_a_redelivered_finished_run_does_nothing(monkeypatch):
    calls = []
    install_steps(monkeypatch, lambda context: calls.append(1) or {"candidates": []})
    run = AgentRunFactory(status="succeeded", progress=100, result={"candidates": ["kept"]})
    before = AgentRun.objects.get(pk=run.pk).updated_at
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert calls == []
    assert run.result == {"candidates": ["kept"]} and run.updated_at == before


def test_a_run_redelivered_after_its_worker_died_runs_again_once(monkeypatch):
    install_steps(monkeypatch, lambda context: {"candidates": []})
    run = AgentRunFactory(status="running", attempts=1, progress=30, started_at=timezone.now())
    agent_run_execute.apply(args=[run.pk])
    agent_run_execute.apply(args=[run.pk])  # and a duplicate delivery after it finished
    run.refresh_from_db()
    assert run.status == "succeeded" and run.attempts == 2


def test_a_deleted_run_is_ignored():
    agent_run_execute.apply(args=[123456])  # no exception, nothing to do


def test_cancel_stops_a_running_run_at_its_next_step(monkeypatch):
    later_steps = []

    def steps(context):
        context.step("First", 0.1)
        agent_run_cancel(actor=context.run.owner, run=context.run)  # someone presses Cancel
        context.step("Second", 0.5)
        later_steps.append("ran")
        return {"candidates": []}

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert later_steps == []
    assert run.status == "cancelled" and run.result is None and run.finished_at


def test_a_queued_run_cancelled_before_a_worker_took_it_never_runs(monkeypatch):
    calls = []
    install_steps(monkeypatch, lambda context: calls.append(1) or {})
    run = AgentRunFactory()
    agent_run_cancel(actor=run.owner, run=run)
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert calls == [] and run.status == "cancelled"


def test_transient_ai_failures_are_retried_with_backoff_then_succeed(monkeypatch, settings):
    settings.AGENT_RUN_MAX_RETRIES = 3
    settings.AGENT_RUN_RETRY_BACKOFF = 2
    failures = [LLMUnavailable(), LLMUnavailable()]
    countdowns = []
    original = execution._backoff
    monkeypatch.setattr(
        execution, "_backoff", lambda attempt, error: countdowns.append(original(attempt, error)) or 0
    )

    def steps(context):
        context.step("Asking the AI", 0.5)
        if failures:
            raise failures.pop(0)
        return {"plan": {"milestones": [], "tasks": []}}

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])  # eager: Celery runs each retry in turn
    run.refresh_from_db()
    assert countdowns == [2.0, 4.0]
    assert run.status == "succeeded" and run.attempts == 3


def test_a_run_fails_readably_when_the_ai_stays_down(monkeypatch, settings):
    settings.AGENT_RUN_MAX_RETRIES = 2
    monkeypatch.setattr(execution, "_backoff", lambda attempt, error: 0)

    def steps(context):
        raise LLMUnavailable()

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == "failed" and run.attempts == 3
    assert run.error_type == "llm_unavailable"
    assert run.error == "The AI service is unavailable right now; try again shortly."


def test_a_permanent_ai_failure_is_not_retried(monkeypatch):
    def steps(context):
        raise LLMRequestRejected("The prompt was too long.")

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == "failed" and run.attempts == 1 and run.error == "The prompt was too long."


def test_an_unexpected_error_fails_the_run_without_leaking_it(monkeypatch):
    def steps(context):
        raise KeyError("secret internals")

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == "failed" and run.error_type == "internal_error"
    assert "secret" not in run.error


def test_the_reaper_fails_runs_stuck_past_their_deadline():
    past = timezone.now() - timedelta(minutes=1)
    stuck = AgentRunFactory(status="running", deadline=past, started_at=past)
    never_picked = AgentRunFactory(status="queued", deadline=past)
    healthy = AgentRunFactory(status="running", deadline=timezone.now() + timedelta(minutes=5))
    done = AgentRunFactory(status="succeeded", deadline=past)
    assert reap_stuck_runs.apply().get() == 2
    for run in (stuck, never_picked, healthy, done):
        run.refresh_from_db()
    assert (
        stuck.status == "failed"
        and stuck.error_type == "run_timed_out"
        and "stopped answering" in stuck.error
    )
    assert never_picked.status == "failed" and "No worker" in never_picked.error
    assert healthy.status == "running" and done.status == "succeeded"


def test_a_reaped_run_is_not_overwritten_by_its_late_worker(monkeypatch):
    def steps(context):
        AgentRun.objects.filter(pk=context.run.pk).update(deadline=timezone.now() - timedelta(seconds=1))
        execution.runs_reap()
        return {"candidates": ["late"]}

    install_steps(monkeypatch, steps)
    run = AgentRunFactory()
    agent_run_execute.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == "failed" and run.result is None


def test_the_reaper_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["agents-reap-stuck-runs"]["task"] == "agents.tasks.reap_stuck_runs"


def test_the_task_is_acks_late_and_rejected_on_worker_loss():
    assert agent_run_execute.acks_late is True
    assert agent_run_execute.reject_on_worker_lost is True
