"""Team formation: choose the people a project still needs from a pool of candidates.

Contract (pure and synchronous; ORM reads only, a constant number of queries)::

    form_team(project, *, pool="matches" | "join_requests" | "usernames", usernames=None,
              size=None, pool_size=30)
    → {"teams": [{"members", "current_members", "score", "coverage": {skill: [usernames]},
                  "coverage_levels": {skill: {username: "full" | "partial"}}, "uncovered",
                  "overlap_hours_min", "levels", "why"}],   # the best team, then up to two alternatives
       "needed", "pool_size", "ignored"}

``needed`` is the target ``size`` (default: the project's team size) minus the current
members; the pool is the matcher's top ``pool_size``, the open join requests, or the
usernames given (those who are not eligible are listed in ``ignored``).

The objective of a team (current members plus the chosen ones) is lexicographic: first
the number of must-have skills somebody covers (so every must-have is covered whenever
the pool allows it), then ``score`` (0-100), a weighted sum (``TEAM_WEIGHTS``) of

- ``coverage``: per required skill the best member's credit (the matcher's coverage,
  scaled by how well they meet the minimum level), weighted must 2 : nice 1;
- ``overlap``: the smallest working-hours overlap between any two members (DST-aware),
  against the project's minimum or ``OVERLAP_TARGET``; people without working hours are
  left out of it;
- ``balance``: a mix of levels (distinct levels among the members) with at least one
  senior or lead;
- ``capacity``: the chosen people's weekly availability and how few other active or
  recruiting projects they are already in (three or more counts as fully loaded).

Search: greedy on the objective, then local search (best improving swap of a chosen
member for a pool member, until none improves). Alternatives: the same search with one
member of the best team forbidden, trying the least essential member first. Every step
breaks ties by the candidate's match score and then username, so the same input always
gives the same teams.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from agents.matching import (
    LEVEL_RANK,
    Candidate,
    Needs,
    OverlapCache,
    availability_component,
    blank_candidate,
    match_scored,
    overlap_component,
    score,
)
from projects.models import JoinRequest, Membership, Project

TEAM_WEIGHTS = {"coverage": 0.55, "overlap": 0.15, "balance": 0.10, "capacity": 0.20}
BUSY_PROJECTS = 3  # active projects at which someone counts as fully loaded
MAX_SWAP_ROUNDS = 50
STARTS = 3  # greedy restarts from the best first picks
ALTERNATIVES = 2
ALTERNATIVE_SEARCHES = 12
POOLS = ("matches", "join_requests", "usernames")
LEVEL_NAMES = {rank: level for level, rank in LEVEL_RANK.items()}


class TeamFormationError(ValueError):
    """A caller error (unknown pool kind, usernames missing); input validation should prevent it."""


@dataclass
class Person:
    """One member or candidate, reduced to what the objective reads."""

    username: str
    credits: list[float]  # per requirement
    covers_must: frozenset[int]  # requirement indexes of must-haves this person covers
    full: frozenset[int]  # requirement indexes this person covers fully (not through a related skill)
    window: int  # index into the problem's overlap matrix, -1 when unknown
    rank: int  # level rank, -1 when unknown
    capacity: float
    match_score: float = 0.0


@dataclass
class Problem:
    """A team-formation instance; also built directly by tests and benchmarks."""

    weights: list[float]  # per requirement
    must: list[bool]
    current: list[Person]
    pool: list[Person]
    needed: int
    overlap: list[list[float]]  # hours between window i and window j
    min_overlap: float = 0.0
    names: list[str] = field(default_factory=list)  # requirement names

    @property
    def total_weight(self) -> float:
        return sum(self.weights) or 1.0


# -- The objective ------------------------------------------------------------------------------
Key = tuple[int, float]


def evaluate(problem: Problem, chosen: Sequence[Person]) -> tuple[Key, dict[str, Any]]:
    """The lexicographic key and the components of current members + ``chosen``."""
    team = [*problem.current, *chosen]
    coverage = 0.0
    must_covered: set[int] = set()
    for index, weight in enumerate(problem.weights):
        coverage += weight * max((p.credits[index] for p in team), default=0.0)
    for person in team:
        must_covered |= person.covers_must
    windows = [p.window for p in team if p.window >= 0]
    min_pair = min(
        (problem.overlap[a][b] for a, b in itertools.combinations(windows, 2)),
        default=None,
    )
    ranks = [p.rank for p in team if p.rank >= 0]
    components = {
        "coverage": coverage / problem.total_weight,
        "overlap": overlap_component(min_pair, min_overlap=problem.min_overlap)
        if min_pair is not None
        else 1.0,
        "balance": _balance(ranks),
        "capacity": sum(p.capacity for p in chosen) / len(chosen) if chosen else 1.0,
    }
    score = 100 * sum(TEAM_WEIGHTS[name] * value for name, value in components.items())
    return (len(must_covered), round(score, 6)), {**components, "overlap_hours_min": min_pair}


def _balance(ranks: list[int]) -> float:
    if not ranks:
        return 0.5
    distinct = len(set(ranks)) / min(len(ranks), 3)
    senior = 1.0 if max(ranks) >= LEVEL_RANK["senior"] else 0.0
    return 0.5 * distinct + 0.5 * senior


def _tiebreak(person: Person) -> tuple[float, str]:
    return (-person.match_score, person.username)


# -- Search -----------------------------------------------------------------------------------
class _Partial:
    """A fixed part of a team, ready to score "this part plus one more person" in
    O(skills that person covers): the search's inner loop. Gives the same key as
    ``evaluate`` on the whole team."""

    def __init__(self, problem: Problem, chosen: Sequence[Person]):
        self.problem = problem
        team = [*problem.current, *chosen]
        weights = problem.weights
        self.maxes = [max((p.credits[i] for p in team), default=0.0) for i in range(len(weights))]
        self.coverage = sum(w * m for w, m in zip(weights, self.maxes, strict=True))
        self.must: frozenset[int] = frozenset().union(*(p.covers_must for p in team))
        windows = [p.window for p in team if p.window >= 0]
        overlap = problem.overlap
        self.min_pair = min((overlap[a][b] for a, b in itertools.combinations(windows, 2)), default=None)
        self.min_to = [min(overlap[w][x] for x in windows) for w in range(len(overlap))] if windows else None
        self.ranks = [p.rank for p in team if p.rank >= 0]
        self.chosen = len(chosen)
        self.capacity = sum(p.capacity for p in chosen)

        # Everything but coverage depends on the added person only through their window,
        # level and capacity: precompute those terms once per partial team.
        min_overlap = problem.min_overlap

        def overlap_term(min_pair: float | None) -> float:
            value = overlap_component(min_pair, min_overlap=min_overlap) if min_pair is not None else 1.0
            return 100 * TEAM_WEIGHTS["overlap"] * value

        self.overlap_without = overlap_term(self.min_pair)
        self.overlap_by_window = [
            overlap_term(to_team if self.min_pair is None else min(self.min_pair, to_team))
            for to_team in (self.min_to or [])
        ]
        self.balance_by_rank = {
            rank: 100 * TEAM_WEIGHTS["balance"] * _balance([*self.ranks, rank] if rank >= 0 else self.ranks)
            for rank in (-1, *LEVEL_NAMES)
        }
        self.coverage_factor = 100 * TEAM_WEIGHTS["coverage"] / problem.total_weight
        self.capacity_factor = 100 * TEAM_WEIGHTS["capacity"] / (self.chosen + 1)

    def key_with(self, person: Person, sparse: list[tuple[int, float]]) -> Key:
        coverage = self.coverage
        maxes = self.maxes
        weights = self.problem.weights
        for index, credit in sparse:
            if credit > maxes[index]:
                coverage += weights[index] * (credit - maxes[index])
        must = len(self.must) + len(person.covers_must - self.must)
        window = person.window
        overlap = (
            self.overlap_by_window[window]
            if window >= 0 and self.min_to is not None
            else self.overlap_without
        )
        score = (
            self.coverage_factor * coverage
            + overlap
            + self.balance_by_rank[person.rank]
            + self.capacity_factor * (self.capacity + person.capacity)
        )
        return (must, round(score, 6))


def _best_addition(partial: _Partial, pool: list[Person], sparse: dict[str, list], taken: set[str]):
    best, best_key = None, None
    for person in pool:
        if person.username in taken:
            continue
        key = partial.key_with(person, sparse[person.username])
        if best_key is None or key > best_key:
            best, best_key = person, key
    return best, best_key


def _improve(
    problem: Problem, chosen: list[Person], pool: list[Person], sparse: dict[str, list]
) -> list[Person]:
    """Best-improving swaps of one chosen member for one pool member, until none improves."""
    current_key, _ = evaluate(problem, chosen)
    for _ in range(MAX_SWAP_ROUNDS):
        taken = {p.username for p in chosen}
        best_swap = None
        best_key = current_key
        for index in range(len(chosen)):
            partial = _Partial(problem, chosen[:index] + chosen[index + 1 :])
            person, key = _best_addition(partial, pool, sparse, taken)
            if (
                person is not None
                and key is not None
                and key > best_key
                and (key[0] > best_key[0] or key[1] > best_key[1] + 1e-9)
            ):
                best_swap, best_key = (index, person), key
        if best_swap is None:
            break
        index, person = best_swap
        chosen = [*chosen[:index], person, *chosen[index + 1 :]]
        current_key = best_key
    return chosen


def optimise(
    problem: Problem, *, forbidden: frozenset[str] = frozenset(), starts: int = STARTS
) -> list[Person]:
    """Greedy then best-improving swaps, from ``starts`` different first picks; deterministic.

    Each start forces one of the best single picks first (the plain greedy choice is the
    first start), completes the team greedily and improves it by swaps; the best result wins.
    """
    pool = sorted((p for p in problem.pool if p.username not in forbidden), key=_tiebreak)
    needed = min(problem.needed, len(pool))
    if needed == 0:
        return []
    sparse = {p.username: [(i, c) for i, c in enumerate(p.credits) if c > 0] for p in pool}
    empty = _Partial(problem, [])
    firsts = sorted(
        pool, key=lambda p: (tuple(-x for x in empty.key_with(p, sparse[p.username])), _tiebreak(p))
    )
    best: list[Person] = []
    best_key: Key | None = None
    for first in firsts[: max(1, starts)]:
        chosen = [first]
        while len(chosen) < needed:
            person, _ = _best_addition(_Partial(problem, chosen), pool, sparse, {p.username for p in chosen})
            assert person is not None
            chosen.append(person)
        chosen = _improve(problem, chosen, pool, sparse)
        key, _ = evaluate(problem, chosen)
        if best_key is None or key > best_key:
            best, best_key = chosen, key
    return sorted(best, key=_tiebreak)


def brute_force(problem: Problem) -> tuple[list[Person], Key]:
    """The optimal team by trying every combination (small instances only: tests, benchmarks)."""
    needed = min(problem.needed, len(problem.pool))
    best: list[Person] = []
    best_key: Key | None = None
    for combo in itertools.combinations(problem.pool, needed):
        key, _ = evaluate(problem, combo)
        if best_key is None or key > best_key:
            best, best_key = list(combo), key
    assert best_key is not None
    return best, best_key


def teams_for(problem: Problem) -> list[list[Person]]:
    """The best team, then up to ``ALTERNATIVES`` different ones.

    An alternative is the best team without one member of a team found so far (the least
    essential member first: the one whose removal costs the least), so alternatives are
    good teams that differ in at least one person. At most ``ALTERNATIVE_SEARCHES`` searches.
    """
    best = optimise(problem)
    if not best:
        return [best]

    def removal_order(team: list[Person]) -> list[str]:
        full_key, _ = evaluate(problem, team)
        losses = []
        for person in team:
            key, _ = evaluate(problem, [p for p in team if p is not person])
            losses.append(((full_key[0] - key[0], full_key[1] - key[1]), person.username))
        return [username for _, username in sorted(losses)]

    seen = {frozenset(p.username for p in best)}
    queue = [frozenset([name]) for name in removal_order(best)]
    tried: set[frozenset[str]] = set()
    alternatives: list[tuple[Key, list[Person]]] = []
    while queue and len(alternatives) < ALTERNATIVES and len(tried) < ALTERNATIVE_SEARCHES:
        forbidden = queue.pop(0)
        if forbidden in tried:
            continue
        tried.add(forbidden)
        team = optimise(problem, forbidden=forbidden, starts=1)
        names = frozenset(p.username for p in team)
        if len(team) == len(best) and names not in seen:
            seen.add(names)
            alternatives.append((evaluate(problem, team)[0], team))
        # Also without one more member of the team just found: more ways to differ.
        queue += [forbidden | {name} for name in removal_order(team)] if team else []
    alternatives.sort(key=lambda pair: (-pair[0][0], -pair[0][1], sorted(p.username for p in pair[1])))
    return [best, *(team for _, team in alternatives)]


# -- From the database --------------------------------------------------------------------------
def _load_penalty(active_projects: int) -> float:
    return min(1.0, max(0, active_projects - 1) / (BUSY_PROJECTS - 1))


def build_problem(
    needs: Needs,
    *,
    current: list[Candidate],
    pool: list[Candidate],
    needed: int,
    active_projects: dict[int, int],
) -> Problem:
    overlaps = OverlapCache(needs.on)
    windows: list[Any] = []
    window_index: dict[Any, int] = {}

    def index_of(candidate: Candidate) -> int:
        window = candidate.window
        if window is None:
            return -1
        if window not in window_index:
            window_index[window] = len(windows)
            windows.append(window)
        return window_index[window]

    must = [req.must for req in needs.requirements]

    def person(candidate: Candidate) -> Person:
        load = _load_penalty(active_projects.get(candidate.user_id, 0))
        return Person(
            username=candidate.username,
            credits=list(candidate.credits),
            covers_must=frozenset(i for i, credit in enumerate(candidate.credits) if credit > 0 and must[i]),
            full=frozenset(i for i, credit in enumerate(candidate.coverage) if credit >= 1.0),
            window=index_of(candidate),
            rank=LEVEL_RANK.get(candidate.level, -1),
            capacity=0.5 * (1 - load) + 0.5 * availability_component(candidate.availability_hours),
            match_score=candidate.score,
        )

    people_current = [person(c) for c in current]
    people_pool = [person(c) for c in pool]
    matrix = [[overlaps.hours(a, b) or 0.0 for b in windows] for a in windows]
    return Problem(
        weights=[req.weight for req in needs.requirements],
        must=must,
        current=people_current,
        pool=people_pool,
        needed=needed,
        overlap=matrix,
        min_overlap=needs.min_overlap,
        names=[req.name for req in needs.requirements],
    )


def form_team(
    project: Project,
    *,
    pool: str = "matches",
    usernames: Iterable[str] | None = None,
    size: int | None = None,
    pool_size: int = 30,
) -> dict[str, Any]:
    """The best team for ``project`` and two alternatives (see the module docstring)."""
    if pool not in POOLS:
        raise TeamFormationError(f"The pool is one of {', '.join(POOLS)}, not {pool!r}.")
    member_names = list(
        Membership.objects.filter(project=project)
        .order_by("joined_at", "id")
        .values_list("user__username", flat=True)
    )
    target = size if size is not None else project.team_size
    needed = max(0, target - len(member_names))
    asked: list[str] | None = None
    if pool == "usernames":
        if usernames is None:
            raise TeamFormationError("Give the usernames to choose from.")
        asked = list(dict.fromkeys(name.strip() for name in usernames if name and name.strip()))
    elif pool == "join_requests":
        asked = list(
            JoinRequest.objects.filter(project=project, status=JoinRequest.Status.PENDING)
            .order_by("created_at", "id")
            .values_list("user__username", flat=True)
        )
    if asked is None:
        needs, candidates = match_scored(project, limit=max(0, pool_size))
    else:
        needs, candidates = match_scored(project, usernames=asked)
    ignored = sorted(set(asked or ()) - {c.username for c in candidates})
    _, current = match_scored(project, usernames=member_names, include_members=True, needs=needs)
    current = _with_profileless(current, member_names, needs)
    by_user = {c.user_id for c in candidates} | {c.user_id for c in current}
    active_projects = dict(
        Membership.objects.filter(
            user_id__in=by_user, project__status__in=[Project.Status.ACTIVE, Project.Status.RECRUITING]
        )
        .exclude(project=project)
        .values("user_id")
        .annotate(count=Count("id"))
        .values_list("user_id", "count")
    )
    problem = build_problem(
        needs, current=current, pool=candidates, needed=needed, active_projects=active_projects
    )
    teams = teams_for(problem) if needed and problem.pool else []
    levels = {c.username: c.level for c in [*candidates, *current]}
    return {
        "teams": [describe(problem, team, levels=levels) for team in teams],
        "needed": needed,
        "pool_size": len(candidates),
        "ignored": ignored,
    }


def _with_profileless(scored: list[Candidate], usernames: list[str], needs: Needs) -> list[Candidate]:
    """Members in ``usernames`` order; those without a visible profile count with no skills."""
    by_name = {c.username: c for c in scored}
    overlaps = OverlapCache(needs.on)
    return [by_name.get(name) or score(blank_candidate(name), needs, overlaps) for name in usernames]


def describe(problem: Problem, chosen: list[Person], *, levels: dict[str, str]) -> dict[str, Any]:
    from agents.explanations import team_why

    key, components = evaluate(problem, chosen)
    team = [*problem.current, *chosen]
    coverage: dict[str, list[str]] = {}
    coverage_levels: dict[str, dict[str, str]] = {}
    uncovered = []
    for index, name in enumerate(problem.names):
        holders = sorted(
            (p for p in team if p.credits[index] > 0), key=lambda p: (-p.credits[index], p.username)
        )
        coverage[name] = [p.username for p in holders]
        coverage_levels[name] = {p.username: "full" if index in p.full else "partial" for p in holders}
        if not holders:
            uncovered.append(name)
    result = {
        "members": [p.username for p in chosen],
        "current_members": [p.username for p in problem.current],
        "score": round(key[1], 2),
        "must_covered": key[0],
        "must_total": sum(problem.must),
        "coverage": coverage,
        "coverage_levels": coverage_levels,
        "uncovered": uncovered,
        "overlap_hours_min": components["overlap_hours_min"],
        "levels": {p.username: levels.get(p.username, "") for p in team},
        "components": {name: round(components[name], 3) for name in TEAM_WEIGHTS},
    }
    result["why"] = team_why(result)
    return result
