"""Scores of the matcher: what a project needs, what a person offers, and the components.

Pure Python over already-loaded rows (no queries); ``agents.matching`` documents the score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from profiles.working_hours import DEFAULT_END, DEFAULT_START, WorkingWindow

MUST_WEIGHT = 2.0
NICE_WEIGHT = 1.0
PARTIAL_SPECIFIC = 0.6  # knows Django, the project needs Python
PARTIAL_SPECIFIC_FAR = 0.45  # knows Next.js, the project needs JavaScript (two steps up)
PARTIAL_GENERAL = 0.3  # knows Python, the project needs Django
LEVEL_RANK = {"junior": 0, "mid": 1, "senior": 2, "lead": 3}
LEVEL_YEARS = {"junior": 0, "mid": 2, "senior": 5, "lead": 8}
OVERLAP_TARGET = 4.0  # hours a day of shared working time that make collaboration easy
AVAILABILITY_TARGET = 20.0  # hours a week
OVERLAP_WEEKS = 4  # the overlap is the smallest over this many weeks from the reference date
WEIGHTS = {
    "skills": 0.50,
    "experience": 0.20,
    "overlap": 0.12,
    "availability": 0.10,
    "looking_for_team": 0.08,
}


# -- What a project needs ---------------------------------------------------------------------
@dataclass
class Requirement:
    skill_id: int
    name: str
    must: bool
    min_level: str  # "" when any level will do
    category: str = ""
    # skill id a person may hold → (credit, the held skill's name when it is only related)
    credits: dict[int, tuple[float, str | None]] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        return MUST_WEIGHT if self.must else NICE_WEIGHT


@dataclass
class Needs:
    """What one project asks for, loaded once and scored against many people."""

    requirements: list[Requirement]
    window: WorkingWindow | None
    min_overlap: float
    on: date

    @property
    def relevant_skill_ids(self) -> set[int]:
        return {skill_id for req in self.requirements for skill_id in req.credits}

    @property
    def total_weight(self) -> float:
        return sum(req.weight for req in self.requirements) or 1.0


@dataclass
class Candidate:
    """One person as the matcher sees them; ``as_dict()`` is the public shape."""

    user_id: int
    username: str
    level: str
    timezone: str
    start: time | None
    end: time | None
    availability_hours: int | None
    looking_for_team: bool
    years: dict[int, int | None] = field(default_factory=dict)  # relevant skill id → years
    names: dict[int, str] = field(default_factory=dict)  # relevant skill id → name
    # filled by ``score``:
    score: float = 0.0
    credits: list[float] = field(default_factory=list)  # per requirement: coverage * (0.6 + 0.4 fit)
    coverage: list[float] = field(default_factory=list)  # per requirement: coverage alone (1 = full)
    matched: list[str] = field(default_factory=list)
    partial: list[dict[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    overlap_hours: float | None = None
    components: dict[str, float] = field(default_factory=dict)

    @property
    def window(self) -> WorkingWindow | None:
        return person_window(self.timezone, self.start, self.end)

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "score": self.score,
            "matched": self.matched,
            "partial": self.partial,
            "missing": self.missing,
            "overlap_hours": self.overlap_hours,
            "components": self.components,
            "level": self.level,
            "availability_hours": self.availability_hours,
            "looking_for_team": self.looking_for_team,
        }


def person_window(tz: str, start: time | None, end: time | None) -> WorkingWindow | None:
    """A person's working window; a time zone without hours means the usual 09:00-17:00."""
    if not tz:
        return None
    return WorkingWindow(tz, start or DEFAULT_START, end or DEFAULT_END)


class OverlapCache:
    """DST-aware overlap between windows (``profiles.working_hours.overlap_hours``, the
    smallest over the reference date and the same weekday of the next ``OVERLAP_WEEKS``
    weeks), computed once per distinct pair of windows.

    The UTC placement of each window on each date is cached too: team formation compares
    every pair of a few dozen windows, and the time-zone conversions are the costly part.
    """

    def __init__(self, on: date):
        self.days = [on + timedelta(weeks=week) for week in range(OVERLAP_WEEKS + 1)]
        self._cache: dict[tuple[WorkingWindow, WorkingWindow], float | None] = {}
        self._utc: dict[tuple[WorkingWindow, date], tuple[float, float]] = {}

    def hours(self, a: WorkingWindow | None, b: WorkingWindow | None) -> float | None:
        if a is None or b is None:
            return None
        key = (a, b) if (a.timezone, a.start, a.end) <= (b.timezone, b.start, b.end) else (b, a)
        if key not in self._cache:
            try:
                self._cache[key] = min(self._overlap(key[0], key[1], day) for day in self.days)
            except (ValueError, KeyError):  # a zone name tzdata no longer knows
                self._cache[key] = None
        return self._cache[key]

    def _placed(self, window: WorkingWindow, day: date) -> tuple[float, float]:
        placed = self._utc.get((window, day))
        if placed is None:
            start, end = window.utc_on(day)
            placed = self._utc[(window, day)] = (start.timestamp(), end.timestamp())
        return placed

    def _overlap(self, a: WorkingWindow, b: WorkingWindow, day: date) -> float:
        """``overlap_hours(a, b, on=day)`` with cached placements (same arithmetic)."""
        a_start, a_end = self._placed(a, day)
        total = 0.0
        for shift in (-2, -1, 0, 1, 2):
            b_start, b_end = self._placed(b, day + timedelta(days=shift))
            latest_start, earliest_end = max(a_start, b_start), min(a_end, b_end)
            if earliest_end > latest_start:
                total += earliest_end - latest_start
        return round(total / 3600, 2)


# -- Scoring -----------------------------------------------------------------------------------
def requirement_fit(req: Requirement, *, level: str, years: int | None) -> float:
    """How well someone meets the requirement's minimum level, in [0, 1]."""
    if not req.min_level:
        return 1.0
    need = LEVEL_RANK[req.min_level]
    rank = LEVEL_RANK.get(level)
    if rank is None:  # no level given: some credit, less than one level below
        level_fit = 0.25
    elif rank >= need:
        level_fit = 1.0
    else:
        level_fit = max(0.0, 1.0 - 0.5 * (need - rank))
    need_years = LEVEL_YEARS[req.min_level]
    if years is None or need_years == 0:
        return level_fit
    return (level_fit + min(1.0, years / need_years)) / 2


def overlap_component(hours: float | None, *, min_overlap: float) -> float:
    if hours is None:
        return 0.5
    if min_overlap > 0:
        return 1.0 if hours >= min_overlap else 0.5 * hours / min_overlap
    return min(1.0, hours / OVERLAP_TARGET)


def availability_component(hours: int | None) -> float:
    if hours is None:
        return 0.5
    return min(1.0, hours / AVAILABILITY_TARGET)


def score(candidate: Candidate, needs: Needs, overlaps: OverlapCache) -> Candidate:
    """Fill in ``candidate``'s score and explanation against ``needs`` (no queries)."""
    covered = experienced = 0.0
    candidate.credits, candidate.coverage = [], []
    candidate.matched, candidate.partial, candidate.missing = [], [], []
    for req in needs.requirements:
        # Coverage is the best credit (ties: the alphabetically first related skill names
        # it); experience the best credit x fit, possibly through another held skill.
        best_credit, best_value, best_via = 0.0, 0.0, ""
        for skill_id, years in candidate.years.items():
            offered = req.credits.get(skill_id)
            if offered is None:
                continue
            credit, via = offered
            best_value = max(best_value, credit * requirement_fit(req, level=candidate.level, years=years))
            if credit > best_credit or (credit == best_credit and (via or "") < best_via):
                best_credit, best_via = credit, via or ""
        covered += req.weight * best_credit
        experienced += req.weight * best_value
        candidate.credits.append(best_credit * 0.6 + best_value * 0.4)
        candidate.coverage.append(best_credit)
        if best_credit >= 1.0:
            candidate.matched.append(req.name)
        elif best_credit > 0:
            candidate.partial.append({"skill": req.name, "via": best_via})
        else:
            candidate.missing.append(req.name)
    candidate.overlap_hours = overlaps.hours(needs.window, candidate.window)
    components = {
        "skills": covered / needs.total_weight,
        "experience": experienced / needs.total_weight,
        "overlap": overlap_component(candidate.overlap_hours, min_overlap=needs.min_overlap)
        if needs.window is not None
        else 1.0,
        "availability": availability_component(candidate.availability_hours),
        "looking_for_team": 1.0 if candidate.looking_for_team else 0.0,
    }
    candidate.components = {name: round(value, 3) for name, value in components.items()}
    candidate.score = round(100 * sum(WEIGHTS[name] * value for name, value in components.items()), 2)
    return candidate


def ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-c.score, -c.components.get("skills", 0), c.username))
