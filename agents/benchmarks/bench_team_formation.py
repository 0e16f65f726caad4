"""Team formation (`make bench`): quality against brute force, and time at 200 candidates."""

import statistics
import time

import pytest

from agents.benchmarks.population import common_skills_project, populate
from agents.team_formation import brute_force, evaluate, form_team, optimise, teams_for
from agents.tests.team_problems import random_problem

INSTANCES = 300
ROUNDS = 7


def test_quality_against_brute_force():
    ratios = []
    optimal = 0
    must_equal = 0
    for seed in range(INSTANCES):
        problem = random_problem(10_000 + seed, pool_size=10 + seed % 4, needed=2 + seed % 4)
        found, _ = evaluate(problem, optimise(problem))
        _, best = brute_force(problem)
        must_equal += found[0] == best[0]
        ratios.append(found[1] / best[1])
        optimal += abs(found[1] - best[1]) < 1e-6
    print(
        f"\nteam formation vs brute force, {INSTANCES} random instances (pool 10-13, 2-5 to choose): "
        f"average {statistics.mean(ratios):.2%} of the optimum, worst {min(ratios):.2%}, "
        f"optimal in {optimal}/{INSTANCES}, must-have coverage equal in {must_equal}/{INSTANCES}"
    )


@pytest.mark.parametrize("needed", [3, 5])
def test_time_at_200_candidates(needed):
    timings = []
    for seed in range(ROUNDS):
        problem = random_problem(seed, pool_size=200, requirements=10, needed=needed)
        started = time.perf_counter()
        teams = teams_for(problem)
        timings.append(time.perf_counter() - started)
        assert len(teams) == 3
    print(
        f"\nteam formation, 200 candidates, 10 required skills, {needed} to choose, best + 2 alternatives: "
        f"p50 {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )


@pytest.mark.django_db
def test_form_team_end_to_end_with_a_pool_of_200():
    populate(10_000)
    project = common_skills_project()
    form_team(project, pool_size=200)
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = form_team(project, pool_size=200)
        timings.append(time.perf_counter() - started)
    print(
        f"\nform_team end to end (10k profiles, matcher pool of 200, 4 to choose): "
        f"p50 {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms; "
        f"best team {result['teams'][0]['members']} score {result['teams'][0]['score']}"
    )
