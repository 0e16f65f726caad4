"""The skill matcher at 1k / 10k / 100k profiles (`make bench`): time per run and queries.

Meant for PostgreSQL (DATABASE_URL set); on SQLite it stops at 10k. The project asks for
common skills (Python, React, PostgreSQL) plus related ones, the hard case for the SQL
prefilter: a large share of all profiles holds at least one relevant skill.
"""

import statistics
import time
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents.benchmarks.population import common_skills_project, populate
from agents.matching import match_candidates, project_needs
from agents.matching.people import eligible
from profiles.models import ProfileSkill

pytestmark = pytest.mark.django_db
ROUNDS = 5
ON = date(2026, 12, 3)


def test_matcher_scales_linearly():
    sizes = [1_000, 10_000, 100_000] if connection.vendor == "postgresql" else [1_000, 10_000]
    project = common_skills_project()
    done = 0
    print(f"\nmatcher on {connection.vendor}, {ROUNDS} runs per size")
    print("| profiles | candidates scored | p50 | max | queries |")
    print("|---|---|---|---|---|")
    for size in sizes:
        populate(size - done, start=done)
        done = size
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        match_candidates(project, on=ON)  # warm caches (zoneinfo, query plans)
        timings = []
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = match_candidates(project, limit=20, on=ON)
                timings.append(time.perf_counter() - started)
        needs = project_needs(project, on=ON)
        scored = (
            ProfileSkill.objects.filter(
                eligible(project, prefix="profile__"), skill_id__in=needs.relevant_skill_ids
            )
            .values("profile_id")
            .distinct()
        )
        print(
            f"| {size:,} | {scored.count():,} | {statistics.median(timings) * 1000:.0f} ms "
            f"| {max(timings) * 1000:.0f} ms | {len(queries)} |"
        )
        assert len(result) == 20
