"""Reads of the profiles app: visibility-scoped profile queries, skill look-ups,
autocomplete and talent search."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from config.errors import NotFound
from profiles.completeness import profile_missing_parts
from profiles.models import ExperienceLevel, Profile, ProfileSkill, Skill, SkillAlias, Visibility
from profiles.taxonomy import skill_key
from profiles.working_hours import DEFAULT_END, DEFAULT_START, WorkingWindow, overlap_hours


# -- Skills ---------------------------------------------------------------------------------
def skills_by_key(names: Iterable[str]) -> dict[str, Skill]:
    """``{skill_key(name): skill}`` for the names that are a skill's name or alias (two queries)."""
    keys = {skill_key(name) for name in names} - {""}
    if not keys:
        return {}
    found = {skill.key: skill for skill in Skill.objects.filter(key__in=keys)}
    for alias in SkillAlias.objects.filter(key__in=keys - found.keys()).select_related("skill"):
        found[alias.key] = alias.skill
    return found


def skills_lookup(names: Iterable[str]) -> tuple[list[Skill], list[str]]:
    """Resolve names without creating anything: (skills found, names not found)."""
    names = [name for name in names if skill_key(name)]
    found = skills_by_key(names)
    skills: list[Skill] = []
    unknown: list[str] = []
    for name in names:
        skill = found.get(skill_key(name))
        if skill is None:
            unknown.append(name)
        elif skill not in skills:
            skills.append(skill)
    return skills, unknown


def skills_autocomplete(*, q: str = "", category: str = "") -> QuerySet[Skill]:
    """Skills whose name or an alias starts with ``q`` (compared like ``skill_resolve``),
    best first: canonical skills before unreviewed ones; then the exact match; then names
    (before aliases) starting with ``q``; then the more general skill (the one more skills
    name as their general skill: "pyt" offers Python before pytest); then the one more
    profiles have; then by name.

    Each skill carries ``matched_alias`` (the alias that matched, when the name did not).
    """
    skills = Skill.objects.all()
    if category:
        skills = skills.filter(category=category)
    key = skill_key(q)
    if not key:
        return skills.filter(is_reviewed=True).order_by(Lower("name")).annotate(matched_alias=Value(""))
    alias_hits = SkillAlias.objects.filter(key__startswith=key)
    return (
        skills.filter(Q(key__startswith=key) | Q(pk__in=alias_hits.values("skill_id")))
        .annotate(
            exact=Case(
                When(Q(key=key) | Q(pk__in=SkillAlias.objects.filter(key=key).values("skill_id")), then=0),
                default=1,
                output_field=IntegerField(),
            ),
            name_match=Case(When(key__startswith=key, then=0), default=1, output_field=IntegerField()),
            matched_alias=Case(
                When(key__startswith=key, then=Value("")),
                default=Subquery(alias_hits.filter(skill=OuterRef("pk")).order_by("key").values("name")[:1]),
            ),
            generality=_count_of(Skill.related.through.objects.filter(to_skill=OuterRef("pk")), "to_skill"),
            popularity=_count_of(ProfileSkill.objects.filter(skill=OuterRef("pk")), "skill"),
        )
        .order_by("-is_reviewed", "exact", "name_match", "-generality", "-popularity", Lower("name"))
    )


def skills_related(skills: list[Skill], *, unknown: Iterable[str] = (), limit: int = 6) -> list[Skill]:
    """Skills to try when a search for ``skills`` found nobody: their more general and more
    specific skills (Django → Python, Flask), and for names the taxonomy does not know the
    skills whose name starts like them ("djangoo" → Django); reviewed skills that some
    profile lists, most used first. A few queries, whatever the number of skills."""
    searched = {skill.pk for skill in skills}
    prefixes = {skill_key(name)[:3] for name in unknown} - {""}
    if not searched and not prefixes:
        return []
    related = Q(related_from__in=searched) | Q(related__in=searched)
    for prefix in prefixes:
        related |= Q(key__startswith=prefix)
    return list(
        Skill.objects.filter(related, is_reviewed=True)
        .exclude(pk__in=searched)
        .annotate(popularity=_count_of(ProfileSkill.objects.filter(skill=OuterRef("pk")), "skill"))
        .filter(popularity__gt=0)
        .distinct()
        .order_by("-popularity", Lower("name"))[:limit]
    )


def _count_of(rows: QuerySet, correlated_by: str) -> Coalesce:
    """How many ``rows`` there are (filtered on ``correlated_by=OuterRef(...)``): a
    correlated subquery, so the outer query needs no GROUP BY."""
    counted = rows.order_by().values(correlated_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# -- Profiles -------------------------------------------------------------------------------
def _skills_prefetch() -> Prefetch:
    return Prefetch("profile_skills", queryset=ProfileSkill.objects.select_related("skill"))


def profile_visible_q(viewer, *, path: str = "") -> Q:
    """The profiles ``viewer`` may see, as a condition on ``Profile`` or, with ``path``
    (e.g. ``"user__profile__"``), on a model that reaches a profile through it.

    Public profiles: anyone; members-only ones: signed-in users; private ones: their owner.
    Every listing that shows a profile's details (time zone, level, names, skills) next
    to someone else's work, such as a project's team, filters or masks with this rule.
    """
    user = f"{path}user"
    if viewer is None or not viewer.is_authenticated:
        return Q(**{f"{path}visibility": Visibility.PUBLIC, f"{user}__is_active": True})
    return Q(
        **{f"{path}visibility__in": [Visibility.PUBLIC, Visibility.MEMBERS], f"{user}__is_active": True}
    ) | Q(**{user: viewer})


def profile_visible_to(profile: Profile, viewer) -> bool:
    """``profile_visible_q`` for one profile already loaded with its user (no query)."""
    if viewer is not None and viewer.is_authenticated and profile.user_id == viewer.pk:
        return True
    if not profile.user.is_active:
        return False
    if viewer is None or not viewer.is_authenticated:
        return profile.visibility == Visibility.PUBLIC
    return profile.visibility in (Visibility.PUBLIC, Visibility.MEMBERS)


def _visible(viewer) -> Q:
    return profile_visible_q(viewer)


def profiles_visible_to(viewer) -> QuerySet[Profile]:
    """Profiles ``viewer`` may see: public ones; members-only ones when signed in; their own."""
    return (
        Profile.objects.filter(_visible(viewer)).select_related("user").prefetch_related(_skills_prefetch())
    )


def profile_for_viewer(*, username: str, viewer) -> Profile:
    """The profile of ``username`` (any casing) if ``viewer`` may see it, else ``NotFound``."""
    profile = profiles_visible_to(viewer).filter(user__username__iexact=username).first()
    if profile is None:
        raise NotFound("No such profile.")
    return profile


def profile_of(user) -> Profile | None:
    return (
        Profile.objects.select_related("user").prefetch_related(_skills_prefetch()).filter(user=user).first()
    )


def profile_skills_split(profile: Profile) -> tuple[list[ProfileSkill], list[ProfileSkill]]:
    """(primary, secondary), from the prefetched rows."""
    rows = list(profile.profile_skills.all())
    primary = [row for row in rows if row.kind == ProfileSkill.Kind.PRIMARY]
    secondary = [row for row in rows if row.kind == ProfileSkill.Kind.SECONDARY]
    return primary, secondary


def profile_missing(profile: Profile):
    primary, secondary = profile_skills_split(profile)
    return profile_missing_parts(profile, primary_count=len(primary), secondary_count=len(secondary))


# -- Talent search --------------------------------------------------------------------------
@dataclass
class SearchCriteria:
    skills: list[Skill] = field(default_factory=list)
    unknown_skills: list[str] = field(default_factory=list)
    level: str = ""
    looking_for_team: bool | None = None
    min_availability: int | None = None
    overlap_with: str = ""  # an IANA time zone
    overlap_start: time = DEFAULT_START
    overlap_end: time = DEFAULT_END
    min_overlap_hours: float | None = None
    on: date | None = None  # reference date of the overlap (default today)
    name: str = ""  # the username or a word of the display name starts with it (people pickers)

    @property
    def overlap_window(self) -> WorkingWindow | None:
        if not self.overlap_with:
            return None
        return WorkingWindow(self.overlap_with, self.overlap_start, self.overlap_end)


@dataclass
class SearchResult:
    """The ordered ids of every match (one light query), and what to explain per match."""

    criteria: SearchCriteria
    ids: list[int]
    overlap: dict[int, float]

    def __len__(self) -> int:
        return len(self.ids)

    def profiles(self, ids: list[int], viewer) -> list[Profile]:
        """The profiles of ``ids`` (a page), in order, each with ``match`` set: two queries."""
        by_id = {profile.pk: profile for profile in profiles_visible_to(viewer).filter(pk__in=ids)}
        result = [by_id[pk] for pk in ids if pk in by_id]
        for profile in result:
            profile.match = self._explain(profile)  # type: ignore[attr-defined]
        return result

    def _explain(self, profile: Profile) -> dict:
        criteria = self.criteria
        wanted = {skill.pk for skill in criteria.skills}
        rows = [row for row in profile.profile_skills.all() if row.skill_id in wanted]
        reasons = []
        if rows:
            named = ", ".join(
                f"{row.skill.name} ({row.years} yr{'s' if row.years != 1 else ''})"
                if row.years
                else row.skill.name
                for row in rows
            )
            reasons.append(f"Knows {named}")
        if criteria.level:
            reasons.append(f"{profile.get_experience_level_display()} level")
        if criteria.looking_for_team:
            reasons.append("Looking for a team")
        if criteria.min_availability:
            reasons.append(f"Available {profile.availability_hours} h/week")
        hours = self.overlap.get(profile.pk)
        if hours is not None:
            reasons.append(f"{hours:g} h/day working-hours overlap with {criteria.overlap_with}")
        return {"skills": [row.skill.name for row in rows], "overlap_hours": hours, "reasons": reasons}


def profiles_search(*, viewer, criteria: SearchCriteria) -> SearchResult:
    """Complete profiles visible to ``viewer`` matching every criterion.

    Skills are all-of (aliases already resolved). The working-hours overlap depends on
    each pair of time zones on the reference date, so it is computed here in Python over
    the candidates' (id, timezone, hours) rows; pages are then loaded by id, which keeps
    the number of queries constant whatever the page size.
    """
    if criteria.unknown_skills:
        return SearchResult(criteria=criteria, ids=[], overlap={})
    profiles = Profile.objects.filter(_visible(viewer), user__profile_complete=True)
    for skill in criteria.skills:
        profiles = profiles.filter(Exists(ProfileSkill.objects.filter(profile=OuterRef("pk"), skill=skill)))
    if criteria.level:
        profiles = profiles.filter(experience_level=criteria.level)
    if criteria.looking_for_team is not None:
        profiles = profiles.filter(looking_for_team=criteria.looking_for_team)
    if criteria.min_availability:
        profiles = profiles.filter(availability_hours__gte=criteria.min_availability)
    if criteria.name:
        name = criteria.name.strip().lstrip("@")
        profiles = profiles.filter(
            Q(user__username__istartswith=name)
            | Q(display_name__istartswith=name)
            | Q(display_name__icontains=f" {name}")
        )
    rows = profiles.order_by("-completeness", "-updated_at", "pk").values_list(
        "pk", "timezone", "working_hours_start", "working_hours_end"
    )
    window = criteria.overlap_window
    if window is None:
        return SearchResult(criteria=criteria, ids=[row[0] for row in rows], overlap={})
    overlap: dict[int, float] = {}
    for pk, timezone, start, end in rows.exclude(timezone="").filter(
        working_hours_start__isnull=False, working_hours_end__isnull=False
    ):
        if start is None or end is None:  # excluded by the query; keeps the types honest
            continue
        try:
            hours = overlap_hours(window, WorkingWindow(timezone, start, end), on=criteria.on)
        except (ValueError, KeyError):  # a zone removed from tzdata since it was saved
            continue
        if hours > 0 and hours >= (criteria.min_overlap_hours or 0):
            overlap[pk] = hours
    ids = sorted(overlap, key=lambda pk: -overlap[pk])  # stable: ties keep the SQL order
    return SearchResult(criteria=criteria, ids=ids, overlap=overlap)


LEVELS = [value for value, _ in ExperienceLevel.choices]
