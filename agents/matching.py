"""The skill matcher: people for a project, and projects for a person.

Contract (pure and synchronous; ORM reads only, never a write; a constant number of
queries whatever the number of profiles):

- ``match_candidates(project, *, limit=20, exclude_usernames=())`` → candidates, best first::

    {"username", "score", "matched": [skill], "partial": [{"skill", "via"}], "missing": [skill],
     "overlap_hours", "components": {"skills", "experience", "overlap", "availability",
     "looking_for_team"}, "level", "availability_hours", "looking_for_team"}

- ``suggest_projects(user, *, limit=5)`` → ``{"project": slug, "title", "score", "matched",
  "partial", "missing", "overlap_hours", "components"}``, best first.

How a score is made (0-100; every component is in [0, 1], ``WEIGHTS`` sum to 1):

- ``skills``: the share of the requirement weight covered (must-haves weigh
  ``MUST_WEIGHT``, nice-to-haves 1). Holding the skill, or a spelling of it (an alias),
  counts fully; holding a more specific skill whose ``related`` general skill is required
  (Django for Python) counts ``PARTIAL_SPECIFIC``; the reverse (Python for Django) counts
  ``PARTIAL_GENERAL``.
- ``experience``: the same weighted share, each requirement scaled by how well the person
  meets its minimum level (their level and their years with that skill against
  ``LEVEL_YEARS``); a requirement without a minimum is met by anyone who has the skill.
- ``overlap``: daily working-hours overlap with the project's window (09:00-17:00 in the
  project's time zone, else the owner's working hours), DST-aware: the smallest overlap
  on the reference date and the same weekday of the next four weeks. Against the
  project's ``min_overlap_hours`` when set, else against ``OVERLAP_TARGET`` hours.
  Unknown working hours count as half.
- ``availability``: hours per week against ``AVAILABILITY_TARGET`` (unknown: half).
- ``looking_for_team``: 1 when the person says so.

Ties are broken by skills coverage, then username, so the same data always gives the
same order. Candidates are the active users with a public or members-only profile
holding at least one required skill (or a related one or an alias's skill) who are not
members of the project and have no open invitation to it; the prefilter runs in SQL and
only those rows reach Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from profiles.models import Profile, ProfileSkill, Skill, SkillAlias, Visibility
from profiles.working_hours import DEFAULT_END, DEFAULT_START, WorkingWindow, overlap_hours
from projects.models import Invitation, Membership, Project, ProjectSkill

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
SUGGESTED_STATUSES = (Project.Status.RECRUITING, Project.Status.IDEA, Project.Status.ACTIVE)


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
    """DST-aware overlap between windows, computed once per distinct pair of windows."""

    def __init__(self, on: date):
        self.days = [on + timedelta(weeks=week) for week in range(OVERLAP_WEEKS + 1)]
        self._cache: dict[tuple[WorkingWindow, WorkingWindow], float | None] = {}

    def hours(self, a: WorkingWindow | None, b: WorkingWindow | None) -> float | None:
        if a is None or b is None:
            return None
        key = (a, b) if (a.timezone, a.start, a.end) <= (b.timezone, b.start, b.end) else (b, a)
        if key not in self._cache:
            try:
                self._cache[key] = min(overlap_hours(key[0], key[1], on=day) for day in self.days)
            except (ValueError, KeyError):  # a zone name tzdata no longer knows
                self._cache[key] = None
        return self._cache[key]


def _expand(requirements: list[Requirement]) -> None:
    """Fill each requirement's ``credits``: the skill, its spellings, and related skills.

    Two queries whatever the size: the unreviewed skills whose key is an alias of a
    required skill (someone typed "k8s" before the alias existed), and the relation table
    of the taxonomy (a few hundred rows) for partial credit.
    """
    required_ids = [req.skill_id for req in requirements]
    variants: dict[int, list[int]] = defaultdict(list)
    for skill_id, canonical_id in (
        Skill.objects.filter(key__in=SkillAlias.objects.filter(skill_id__in=required_ids).values("key"))
        .annotate(canonical=Subquery(SkillAlias.objects.filter(key=OuterRef("key")).values("skill_id")[:1]))
        .values_list("pk", "canonical")
    ):
        variants[canonical_id].append(skill_id)
    general: dict[int, set[int]] = defaultdict(set)  # specific → general
    specific: dict[int, set[int]] = defaultdict(set)  # general → specific
    names: dict[int, str] = {}
    for from_id, to_id, from_name, to_name in Skill.related.through.objects.values_list(
        "from_skill_id", "to_skill_id", "from_skill__name", "to_skill__name"
    ):
        general[from_id].add(to_id)
        specific[to_id].add(from_id)
        names[from_id], names[to_id] = from_name, to_name
    for req in requirements:
        credits: dict[int, tuple[float, str | None]] = {}

        def offer(skill_id: int, credit: float, via: str | None, credits=credits) -> None:
            if credit > credits.get(skill_id, (0.0, None))[0]:
                credits[skill_id] = (credit, via)

        for child in specific.get(req.skill_id, ()):
            offer(child, PARTIAL_SPECIFIC, names[child])
            for grandchild in specific.get(child, ()):
                offer(grandchild, PARTIAL_SPECIFIC_FAR, names[grandchild])
        for parent in general.get(req.skill_id, ()):
            offer(parent, PARTIAL_GENERAL, names[parent])
        for variant in variants.get(req.skill_id, ()):
            offer(variant, 1.0, None)
        credits[req.skill_id] = (1.0, None)
        req.credits = credits


def project_needs(project: Project, *, on: date | None = None) -> Needs:
    """What ``project`` asks for (3-4 queries)."""
    requirements = [
        Requirement(
            skill_id=row.skill_id,
            name=row.skill.name,
            must=row.importance == ProjectSkill.Importance.MUST,
            min_level=row.min_level,
            category=row.skill.category,
        )
        for row in ProjectSkill.objects.filter(project=project)
        .select_related("skill")
        .order_by("position", "id")
    ]
    if requirements:
        _expand(requirements)
    window = None
    if project.timezone:
        window = WorkingWindow(project.timezone, DEFAULT_START, DEFAULT_END)
    else:
        owner = (
            Profile.objects.filter(user_id=project.owner_id)
            .values_list("timezone", "working_hours_start", "working_hours_end")
            .first()
        )
        if owner:
            window = person_window(*owner)
    return Needs(
        requirements=requirements,
        window=window,
        min_overlap=float(project.min_overlap_hours or 0),
        on=on or timezone.localdate(),
    )


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
        best_credit, best_value, best_via = 0.0, 0.0, None
        for skill_id, years in candidate.years.items():
            offered = req.credits.get(skill_id)
            if offered is None:
                continue
            credit, via = offered
            fit = requirement_fit(req, level=candidate.level, years=years)
            value = credit * fit
            if (credit, value) > (best_credit, best_value):
                best_credit, best_value, best_via = credit, value, via
        covered += req.weight * best_credit
        experienced += req.weight * best_value
        candidate.credits.append(best_credit * 0.6 + best_value * 0.4)
        candidate.coverage.append(best_credit)
        if best_credit >= 1.0:
            candidate.matched.append(req.name)
        elif best_credit > 0:
            candidate.partial.append({"skill": req.name, "via": best_via or ""})
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


# -- Loading people ----------------------------------------------------------------------------
_PROFILE_FIELDS = (
    "user_id",
    "user__username",
    "experience_level",
    "timezone",
    "working_hours_start",
    "working_hours_end",
    "availability_hours",
    "looking_for_team",
)


def _open_to(project: Project) -> Q:
    """Profiles the matcher may propose for ``project``: visible, active, not in it, not invited."""
    members = Membership.objects.filter(project=project, user_id=OuterRef("user_id"))
    invited = Invitation.objects.filter(
        project=project,
        user_id=OuterRef("user_id"),
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    )
    return (
        Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS], user__is_active=True)
        & ~Exists(members)
        & ~Exists(invited)
    )


def _candidate(row: tuple) -> Candidate:
    user_id, username, level, tz, start, end, hours, looking = row
    return Candidate(
        user_id=user_id,
        username=username,
        level=level,
        timezone=tz,
        start=start,
        end=end,
        availability_hours=hours,
        looking_for_team=looking,
    )


def candidates_with_skills(profiles: Q, skill_ids: set[int]) -> list[Candidate]:
    """People matching ``profiles`` who hold at least one of ``skill_ids``: one query.

    Reads only the (profile, relevant skill) rows, with the profile's fields alongside.
    """
    by_user: dict[int, Candidate] = {}
    rows = (
        ProfileSkill.objects.filter(skill_id__in=skill_ids)
        .filter(profile__in=Profile.objects.filter(profiles))
        .values_list(*(f"profile__{name}" for name in _PROFILE_FIELDS), "skill_id", "years", "skill__name")
    )
    for row in rows:
        user_id = row[0]
        candidate = by_user.get(user_id)
        if candidate is None:
            candidate = by_user[user_id] = _candidate(row[:8])
        candidate.years[row[8]] = row[9]
        candidate.names[row[8]] = row[10]
    return list(by_user.values())


def candidates_named(profiles: Q, skill_ids: set[int]) -> list[Candidate]:
    """People matching ``profiles`` whatever their skills (a short list): two queries."""
    by_user = {
        row[0]: _candidate(row) for row in Profile.objects.filter(profiles).values_list(*_PROFILE_FIELDS)
    }
    if by_user and skill_ids:
        for user_id, skill_id, years, name in ProfileSkill.objects.filter(
            profile__user_id__in=by_user, skill_id__in=skill_ids
        ).values_list("profile__user_id", "skill_id", "years", "skill__name"):
            by_user[user_id].years[skill_id] = years
            by_user[user_id].names[skill_id] = name
    return list(by_user.values())


# -- Public API --------------------------------------------------------------------------------
def match_scored(
    project: Project,
    *,
    exclude_usernames: Iterable[str] = (),
    usernames: Iterable[str] | None = None,
    include_members: bool = False,
    on: date | None = None,
    needs: Needs | None = None,
) -> tuple[Needs, list[Candidate]]:
    """Every eligible candidate scored and ranked, with the project's needs (for team formation).

    ``usernames`` restricts the pool to those people, whether or not they hold a relevant
    skill; ``include_members`` lets members and invitees through (to score the current team);
    ``needs`` saves loading the project's needs again.
    """
    needs = needs or project_needs(project, on=on)
    if not needs.requirements and usernames is None:
        return needs, []
    if include_members:
        profiles = Q(user__is_active=True) & ~Q(visibility=Visibility.PRIVATE)
    else:
        profiles = _open_to(project)
    excluded = [name for name in exclude_usernames if name]
    if excluded:
        profiles &= ~Q(user__username__in=excluded)
    if usernames is not None:
        profiles &= Q(user__username__in=list(usernames))
        people = candidates_named(profiles, needs.relevant_skill_ids)
    else:
        people = candidates_with_skills(profiles, needs.relevant_skill_ids)
    overlaps = OverlapCache(needs.on)
    return needs, ranked(score(person, needs, overlaps) for person in people)


def match_candidates(
    project: Project, *, limit: int = 20, exclude_usernames: Iterable[str] = (), on: date | None = None
) -> list[dict[str, Any]]:
    """The best ``limit`` people for ``project``, best first, each with its explanation."""
    _, candidates = match_scored(project, exclude_usernames=exclude_usernames, on=on)
    from agents.explanations import candidate_why

    result = []
    for candidate in candidates[: max(0, limit)]:
        item = candidate.as_dict()
        item["why"] = candidate_why(item)
        result.append(item)
    return result


def suggest_projects(user, *, limit: int = 5, on: date | None = None) -> list[dict[str, Any]]:
    """Public projects (recruiting, idea or active, not full) that need what ``user`` knows.

    The same score as ``match_candidates``, from the other side; a constant number of queries.
    """
    rows = list(
        Profile.objects.filter(user=user).values_list(*_PROFILE_FIELDS)[:1]
    )  # one query, also when there is no profile
    if not rows:
        return []
    person = _candidate(rows[0])
    for skill_id, years, name in ProfileSkill.objects.filter(profile__user=user).values_list(
        "skill_id", "years", "skill__name"
    ):
        person.years[skill_id] = years
        person.names[skill_id] = name
    if not person.years:
        return []
    held = set(person.years)
    # Skills a project might require that these skills cover: themselves, the canonical
    # skill of an unreviewed spelling, and related skills in either direction.
    relations = list(
        Skill.related.through.objects.filter(Q(from_skill_id__in=held) | Q(to_skill_id__in=held)).values_list(
            "from_skill_id", "to_skill_id"
        )
    )
    wanted = set(held) | {a for a, _ in relations} | {b for _, b in relations}
    wanted |= set(
        SkillAlias.objects.filter(key__in=Skill.objects.filter(pk__in=held).values("key")).values_list(
            "skill_id", flat=True
        )
    )
    memberships = Membership.objects.filter(project=OuterRef("pk"), user=user)
    projects = list(
        Project.objects.filter(visibility=Project.Visibility.PUBLIC, status__in=SUGGESTED_STATUSES)
        .filter(~Exists(memberships))
        .filter(Exists(ProjectSkill.objects.filter(project=OuterRef("pk"), skill_id__in=wanted)))
        .annotate(member_count=Count("memberships", distinct=True))
        .select_related("owner")
        .order_by("-created_at", "-id")[:500]
    )
    projects = [project for project in projects if project.member_count < project.team_size]
    if not projects:
        return []
    needs_by_project = _needs_for_projects(projects, on=on)
    overlaps = OverlapCache(on or timezone.localdate())
    results = []
    for project in projects:
        needs = needs_by_project[project.pk]
        scored = score(_copy(person), needs, overlaps)
        results.append((scored, project))
    results.sort(key=lambda pair: (-pair[0].score, -pair[0].components["skills"], pair[1].slug))
    return [
        {
            "project": project.slug,
            "title": project.name,
            "score": scored.score,
            "matched": scored.matched,
            "partial": scored.partial,
            "missing": scored.missing,
            "overlap_hours": scored.overlap_hours,
            "components": scored.components,
        }
        for scored, project in results[: max(0, limit)]
    ]


def _copy(person: Candidate) -> Candidate:
    return Candidate(
        user_id=person.user_id,
        username=person.username,
        level=person.level,
        timezone=person.timezone,
        start=person.start,
        end=person.end,
        availability_hours=person.availability_hours,
        looking_for_team=person.looking_for_team,
        years=person.years,
        names=person.names,
    )


def _needs_for_projects(projects: Sequence[Project], *, on: date | None) -> dict[int, Needs]:
    """``project_needs`` for many projects in a constant number of queries."""
    by_project: dict[int, list[Requirement]] = defaultdict(list)
    for row in (
        ProjectSkill.objects.filter(project__in=projects).select_related("skill").order_by("position", "id")
    ):
        by_project[row.project_id].append(
            Requirement(
                skill_id=row.skill_id,
                name=row.skill.name,
                must=row.importance == ProjectSkill.Importance.MUST,
                min_level=row.min_level,
                category=row.skill.category,
            )
        )
    everything = [req for reqs in by_project.values() for req in reqs]
    if everything:
        _expand(everything)
    owners = {
        user_id: person_window(tz, start, end)
        for user_id, tz, start, end in Profile.objects.filter(
            user_id__in={p.owner_id for p in projects if not p.timezone}
        ).values_list("user_id", "timezone", "working_hours_start", "working_hours_end")
    }
    day = on or timezone.localdate()
    return {
        project.pk: Needs(
            requirements=by_project.get(project.pk, []),
            window=WorkingWindow(project.timezone, DEFAULT_START, DEFAULT_END)
            if project.timezone
            else owners.get(project.owner_id),
            min_overlap=float(project.min_overlap_hours or 0),
            on=day,
        )
        for project in projects
    }
