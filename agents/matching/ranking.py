"""The matcher's ranking in SQL: only the best rows leave the database.

At 100,000 profiles a project asking for common skills has tens of thousands of
candidates; loading and scoring them all in Python takes seconds. Here the database
computes the same score (``agents.matching.scoring``) with one aggregate query over the
prefiltered (profile, relevant skill) rows, joined to two small inline tables: the
credit each relevant skill gives each requirement, and the overlap component of each
distinct working window (computed in Python, DST-aware, one per window, not per person).
Python then re-scores the few rows returned, which gives the explanation and the final
order; both use the same formulas, so the two can differ only by float rounding at the
cut, which the extra ``MARGIN`` rows absorb.

Portable SQL (PostgreSQL and SQLite): CASE instead of GREATEST/LEAST, no FILTER, times
compared as text. The eligible rows come from an ORM queryset compiled to SQL, so the
visibility and exclusion rules stay in ``agents.matching.people``.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Coalesce

from agents.matching.scoring import (
    AVAILABILITY_TARGET,
    LEVEL_RANK,
    LEVEL_YEARS,
    WEIGHTS,
    Needs,
    OverlapCache,
    overlap_component,
    person_window,
)
from profiles.models import Profile, ProfileSkill

MARGIN = 10
WORK_MEM = "64MB"
# The first row of each inline table fixes its column types (floats, not numerics, on PostgreSQL).
_TYPED_CREDIT_ROW = (
    "(CAST(%s AS INTEGER), CAST(%s AS INTEGER), CAST(%s AS DOUBLE PRECISION), "
    "CAST(%s AS DOUBLE PRECISION), CAST(%s AS INTEGER), CAST(%s AS INTEGER))"
)
_TYPED_ZONE_ROW = (
    "(CAST(%s AS VARCHAR(64)), CAST(%s AS VARCHAR(32)), CAST(%s AS VARCHAR(32)), "
    "CAST(%s AS DOUBLE PRECISION))"
)


def _time_text(field: str) -> Coalesce:
    return Coalesce(Cast(field, CharField()), Value(""))


def _level_rank(field: str) -> Case:
    return Case(
        *(When(**{field: level}, then=Value(rank)) for level, rank in LEVEL_RANK.items()),
        default=None,
        output_field=IntegerField(),
    )


def _parse_time(text: str) -> time | None:
    return time.fromisoformat(text) if text else None


def _window_components(needs: Needs) -> tuple[list[tuple[str, str, str, float]], float]:
    """(timezone, start text, end text, overlap component) per distinct window, and the
    component of someone without a time zone. One query."""
    unknown = 0.5 if needs.window is not None else 1.0
    if needs.window is None:
        return [], unknown
    overlaps = OverlapCache(needs.on)
    rows = (
        Profile.objects.exclude(timezone="")
        .annotate(ws=_time_text("working_hours_start"), we=_time_text("working_hours_end"))
        .values_list("timezone", "ws", "we")
        .order_by()  # Meta.ordering would add a column to the DISTINCT
        .distinct()
    )
    result = []
    for tz, ws, we in rows:
        hours = overlaps.hours(needs.window, person_window(tz, _parse_time(ws), _parse_time(we)))
        result.append((tz, ws, we, overlap_component(hours, min_overlap=needs.min_overlap)))
    return result, unknown


def top_user_ids(needs: Needs, skill_rows: Q, *, limit: int) -> list[int]:
    """User ids of the ``limit`` (+ ``MARGIN``) best people, best first, among the owners of
    the ``ProfileSkill`` rows matching ``skill_rows`` (``people.eligible(prefix="profile__")``).

    Two queries: the distinct working windows, and the ranking itself.
    """
    credit_rows = [
        (
            skill_id,
            index,
            float(credit),
            float(req.weight),
            LEVEL_RANK[req.min_level] if req.min_level else -1,
            LEVEL_YEARS[req.min_level] if req.min_level else 0,
        )
        for index, req in enumerate(needs.requirements)
        for skill_id, (credit, _) in sorted(req.credits.items())
    ]
    if not credit_rows or limit <= 0:
        return []
    windows, unknown = _window_components(needs)
    windows.append(("", "", "", unknown))  # keeps the VALUES list non-empty
    base = (
        ProfileSkill.objects.filter(skill_rows, skill_id__in=needs.relevant_skill_ids)
        .annotate(
            m_uid=F("profile__user_id"),
            m_sid=F("skill_id"),
            m_years=F("years"),
            m_rank=_level_rank("profile__experience_level"),
            m_tz=F("profile__timezone"),
            m_ws=_time_text("profile__working_hours_start"),
            m_we=_time_text("profile__working_hours_end"),
            m_hours=F("profile__availability_hours"),
            m_looking=Case(When(profile__looking_for_team=True, then=Value(1)), default=Value(0)),
            m_name=F("profile__user__username"),
        )
        .values(
            "m_uid", "m_sid", "m_years", "m_rank", "m_tz", "m_ws", "m_we", "m_hours", "m_looking", "m_name"
        )
        .order_by()  # no Meta.ordering: the rows are aggregated
    )
    base_sql, base_params = base.query.sql_with_params()
    level_fit = (
        "CASE WHEN b.m_rank IS NULL THEN 0.25 WHEN b.m_rank >= cr.min_rank THEN 1.0 "
        "WHEN cr.min_rank - b.m_rank >= 2 THEN 0.0 ELSE 1.0 - 0.5 * (cr.min_rank - b.m_rank) END"
    )
    fit = (
        f"CASE WHEN cr.min_rank < 0 THEN 1.0 "
        f"WHEN b.m_years IS NULL OR cr.need_years = 0 THEN {level_fit} "
        f"ELSE ({level_fit} + CASE WHEN b.m_years >= cr.need_years THEN 1.0 "
        f"ELSE 1.0 * b.m_years / cr.need_years END) / 2.0 END"
    )
    total = sum(req.weight for req in needs.requirements) or 1.0
    # One aggregate per person, with a best-credit and a best-value column per requirement
    # (at most 30), rather than one group per (person, requirement) and a second pass.
    columns = ",\n".join(
        f"MAX(CASE WHEN cr.req = {index} THEN cr.credit END) AS c{index}, "
        f"MAX(CASE WHEN cr.req = {index} THEN cr.credit * ({fit}) END) AS v{index}"
        for index in range(len(needs.requirements))
    )
    skills = " + ".join(f"%s * COALESCE(a.c{index}, 0)" for index in range(len(needs.requirements)))
    experience = " + ".join(f"%s * COALESCE(a.v{index}, 0)" for index in range(len(needs.requirements)))
    weights = [float(req.weight) / total for req in needs.requirements]
    # Ties are broken by username as Python compares strings (code points), so the rows
    # kept at the cut are the ones Python would rank first.
    name_collation = 'COLLATE "C"' if connection.vendor == "postgresql" else ""
    # Only placeholders, integers and fixed SQL are interpolated; every value is a parameter.
    sql = f"""
        WITH base AS ({base_sql}),
        cr (skill_id, req, credit, weight, min_rank, need_years) AS (
            VALUES {", ".join([_TYPED_CREDIT_ROW] + ["(%s, %s, %s, %s, %s, %s)"] * (len(credit_rows) - 1))}
        ),
        zone (tz, ws, we, comp) AS (
            VALUES {", ".join([_TYPED_ZONE_ROW] + ["(%s, %s, %s, %s)"] * (len(windows) - 1))}
        ),
        agg AS (
            SELECT b.m_uid AS uid, MAX(b.m_name) AS name, MAX(COALESCE(z.comp, %s)) AS overlap,
                   MAX(b.m_hours) AS hours, MAX(b.m_looking) AS looking,
                   {columns}
            FROM base b
            JOIN cr ON cr.skill_id = b.m_sid
            LEFT JOIN zone z ON z.tz = b.m_tz AND z.ws = b.m_ws AND z.we = b.m_we
            GROUP BY b.m_uid
        ),
        per_person AS (
            SELECT a.uid, a.name, a.overlap, a.hours, a.looking,
                   {skills} AS skills, {experience} AS experience
            FROM agg a
        )
        SELECT p.uid,
               100 * (%s * p.skills + %s * p.experience + %s * p.overlap
                      + %s * (CASE WHEN p.hours IS NULL THEN 0.5 WHEN p.hours >= %s THEN 1.0
                                   ELSE p.hours / %s END)
                      + %s * p.looking) AS score,
               p.skills, p.name
        FROM per_person p
        ORDER BY score DESC, p.skills DESC, p.name {name_collation}
        LIMIT %s
    """  # noqa: S608
    params: list[Any] = [*base_params]
    for credit_row in credit_rows:
        params.extend(credit_row)
    for window_row in windows:
        params.extend(window_row)
    params += [unknown, *weights, *weights]
    params += [
        WEIGHTS["skills"],
        WEIGHTS["experience"],
        WEIGHTS["overlap"],
        WEIGHTS["availability"],
        AVAILABILITY_TARGET,
        AVAILABILITY_TARGET,
        WEIGHTS["looking_for_team"],
        limit + MARGIN,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The aggregate holds one row per candidate: let it stay in memory (this
            # transaction only) instead of spilling to disk at the 4 MB default.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
