"""Agent runs end to end (`make bench`): one run of each kind through the executor (claim,
steps with progress written and broadcast, engines, result), and what a watching socket
costs per re-read of the row. Offline LLM provider, no step delay."""

import statistics
import time
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents.benchmarks.population import populate
from agents.consumers import _polled_state
from agents.models import AgentRun
from agents.runs.execution import run_execute
from projects.models import Project
from projects.services.projects import project_skills_set
from projects.tests.factories import ProjectFactory

ROUNDS = 5
PROFILES = 10_000
KINDS = {
    "skill_match": {"limit": 20},
    "team_formation": {"pool": "matches", "usernames": [], "size": None, "pool_size": 30},
    "project_plan": {"horizon_weeks": 8},
    "assemble": {"limit": 20, "size": None, "horizon_weeks": 8},
}


@pytest.mark.django_db
def test_one_run_of_each_kind(settings):
    settings.AGENT_RUN_STEP_DELAY = 0
    populate(PROFILES)
    project = cast(Project, ProjectFactory(timezone="Europe/Berlin", min_overlap_hours=3, team_size=5))
    project_skills_set(
        project=project,
        items=[
            {"skill": "Python", "importance": "must", "min_level": "senior"},
            {"skill": "React", "importance": "must"},
            {"skill": "PostgreSQL", "importance": "must", "min_level": "mid"},
            {"skill": "Docker", "importance": "nice"},
        ],
    )
    print(
        f"\nagent runs through the executor ({PROFILES:,} profiles, {connection.vendor}, offline provider):"
    )
    for kind, params in KINDS.items():
        timings, queries = [], 0
        for _ in range(ROUNDS):
            run = AgentRun.objects.create(owner=project.owner, project=project, kind=kind, input=params)
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                run_execute(run.pk)
            timings.append(time.perf_counter() - started)
            queries = len(captured)
            assert AgentRun.objects.get(pk=run.pk).status == AgentRun.Status.SUCCEEDED
        print(
            f"  {kind:<15} p50 {statistics.median(timings) * 1000:6.0f} ms, max {max(timings) * 1000:6.0f} ms, "
            f"{queries} queries"
        )
    run = AgentRun.objects.filter(project=project).first()
    with CaptureQueriesContext(connection) as captured:
        _polled_state(run.pk, None)
        unchanged = (run.status, run.progress, run.step)
    with CaptureQueriesContext(connection) as captured_unchanged:
        _polled_state(run.pk, unchanged)
    print(
        f"  socket re-read of the row: {len(captured_unchanged)} query when nothing changed, "
        f"{len(captured)} when the run has ended (the run.completed frame)"
    )
