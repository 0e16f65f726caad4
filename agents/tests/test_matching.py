"""The skill matcher on planted benchmarks: who must rank first, what must count, who never appears."""

from datetime import date, time
from typing import cast

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from agents.matching import match_candidates, suggest_projects
from profiles.tests.factories import ProfileFactory
from projects.models import Invitation, Project
from projects.services.projects import project_skills_set
from projects.tests.factories import InvitationFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

WINTER = date(2026, 1, 13)  # a Tuesday: Berlin is UTC+1, New York UTC-5


# The SQL ranking runs in a savepoint; on PostgreSQL it also raises work_mem for itself.
RANKING_OVERHEAD = 3 if connection.vendor == "postgresql" else 2


def person(username, *skills, level="mid", tz="Europe/Berlin", hours=20, looking=False, **fields):
    return ProfileFactory(
        user=UserFactory(username=username),
        primary_skills=skills,
        experience_level=level,
        timezone=tz,
        availability_hours=hours,
        looking_for_team=looking,
        **fields,
    )


def project_needing(*items, tz="Europe/Berlin", **fields) -> Project:
    project = cast(Project, ProjectFactory(timezone=tz, **fields))
    project_skills_set(
        project=project,
        items=[
            {"skill": item[0], "importance": item[1], "min_level": item[2] if len(item) > 2 else ""}
            if isinstance(item, tuple)
            else {"skill": item}
            for item in items
        ],
    )
    return project


def names(results) -> list[str]:
    return [item["username"] for item in results]


def test_the_ideal_candidate_ranks_first_and_explains_itself():
    project = project_needing(("Python", "must", "senior"), ("React", "must"), ("Docker", "nice"))
    person("ideal", ("Python", 8), ("React", 5), ("Docker", 3), level="senior", hours=30, looking=True)
    person("no-react", ("Python", 8), ("Docker", 3), level="senior", hours=30, looking=True)
    person("junior", ("Python", 1), ("React", 1), ("Docker", 1), level="junior", hours=30, looking=True)
    person("busy", ("Python", 8), ("React", 5), ("Docker", 3), level="senior", hours=2)
    person("unrelated", ("Go", 8), level="senior")

    results = match_candidates(project, on=WINTER)

    assert names(results)[0] == "ideal"
    assert "unrelated" not in names(results)  # holds no required or related skill
    ideal = results[0]
    assert ideal["matched"] == ["Python", "React", "Docker"]
    assert ideal["partial"] == [] and ideal["missing"] == []
    assert ideal["overlap_hours"] == 8.0
    assert set(ideal["components"]) == {"skills", "experience", "overlap", "availability", "looking_for_team"}
    assert ideal["components"]["skills"] == 1.0
    assert ideal["why"].startswith("Knows Python, React and Docker")
    by_name = {item["username"]: item for item in results}
    assert by_name["no-react"]["missing"] == ["React"]
    # The junior meets no senior minimum: same coverage, less experience credit.
    assert by_name["junior"]["components"]["skills"] == 1.0
    assert by_name["junior"]["components"]["experience"] < ideal["components"]["experience"]
    assert [item["score"] for item in results] == sorted((item["score"] for item in results), reverse=True)


def test_an_alias_only_match_counts_fully():
    project = project_needing("Kubernetes", "PostgreSQL")
    person("aliases", "k8s", "postgres")
    person("canonical", "Kubernetes", "PostgreSQL")

    results = match_candidates(project, on=WINTER)

    by_name = {item["username"]: item for item in results}
    assert by_name["aliases"]["matched"] == ["Kubernetes", "PostgreSQL"]
    assert by_name["aliases"]["score"] == by_name["canonical"]["score"]


def test_a_related_skill_gives_partial_credit_and_the_reverse_less():
    project = project_needing("Python")
    person("djangonaut", "Django")  # the specific skill, the general one required
    person("pythonista", "Python")
    other = project_needing("Django")
    results = match_candidates(project, on=WINTER)
    reverse = match_candidates(other, on=WINTER)

    assert names(results) == ["pythonista", "djangonaut"]
    partial = results[1]
    assert partial["partial"] == [{"skill": "Python", "via": "Django"}]
    assert partial["matched"] == [] and partial["missing"] == []
    assert 0 < partial["components"]["skills"] < 1
    # Python for a project needing Django: still partial, but less than Django for Python.
    assert names(reverse) == ["djangonaut", "pythonista"]
    assert reverse[1]["partial"] == [{"skill": "Django", "via": "Python"}]
    assert reverse[1]["components"]["skills"] < partial["components"]["skills"]


def test_a_candidate_twelve_hours_away_ranks_below_an_equal_one_inside_the_window():
    project = project_needing("Python", tz="Europe/Berlin")
    person("far", "Python", tz="Pacific/Auckland")  # UTC+13 in January: 12 hours ahead
    person("near", "Python", tz="Europe/Paris")

    results = match_candidates(project, on=WINTER)

    assert names(results) == ["near", "far"]
    assert results[0]["overlap_hours"] == 8.0
    assert results[1]["overlap_hours"] == 0.0


def test_overlap_follows_daylight_saving_on_the_actual_dates():
    """Berlin 9-17 and Kolkata 9-17 (no DST) share 3.5 hours in winter, 4.5 in summer."""
    project = project_needing("Python", tz="Europe/Berlin")
    person("kolkata", "Python", tz="Asia/Kolkata")

    assert match_candidates(project, on=WINTER)[0]["overlap_hours"] == 3.5
    assert match_candidates(project, on=date(2026, 7, 14))[0]["overlap_hours"] == 4.5
    # The overlap is the smallest over the coming four weeks: on 20 March the two winter
    # weeks before Berlin switches (29 March) still count.
    assert match_candidates(project, on=date(2026, 3, 20))[0]["overlap_hours"] == 3.5


def test_minimum_overlap_of_the_project_weighs_in():
    project = project_needing("Python", tz="Europe/Berlin", min_overlap_hours=4)
    person("london", "Python", tz="Europe/London", working_hours_start=time(9), working_hours_end=time(17))
    person("nyc", "Python", tz="America/New_York")

    results = match_candidates(project, on=WINTER)

    assert names(results) == ["london", "nyc"]
    assert results[0]["components"]["overlap"] == 1.0
    assert results[1]["components"]["overlap"] == 0.25  # 2 of the 4 hours asked, halved


def test_private_profiles_members_invited_and_inactive_people_never_appear():
    project = project_needing("Python")
    person("open", "Python")
    person("private", "Python", visibility="private")
    person("members-only", "Python", visibility="members")
    member = person("member", "Python")
    MembershipFactory(project=project, user=member.user)
    invited = person("invited", "Python")
    InvitationFactory(project=project, user=invited.user)
    declined = person("declined", "Python")
    InvitationFactory(project=project, user=declined.user, status=Invitation.Status.DECLINED)
    gone = person("gone", "Python")
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    person("skipped", "Python")

    results = match_candidates(project, exclude_usernames=["skipped"], on=WINTER)

    assert sorted(names(results)) == ["declined", "members-only", "open"]


def test_ties_are_broken_deterministically_and_limit_applies():
    project = project_needing("Python")
    for username in ("carol", "alice", "bob"):
        person(username, "Python")

    assert names(match_candidates(project, on=WINTER)) == ["alice", "bob", "carol"]
    assert names(match_candidates(project, limit=2, on=WINTER)) == ["alice", "bob"]


def test_a_project_without_required_skills_has_no_candidates():
    project = ProjectFactory()
    person("someone", "Python")

    assert match_candidates(project) == []


def test_the_matcher_issues_a_constant_number_of_queries(django_assert_num_queries):
    project = project_needing("Python", "React", ("Docker", "nice"))
    for index in range(3):
        person(f"few{index}", "Python", "Django")

    with django_assert_num_queries(6 + RANKING_OVERHEAD):
        few = match_candidates(project, on=WINTER)
    for index in range(20):
        person(f"many{index}", "React", ("Docker", 2), "Next.js")
    with django_assert_num_queries(6 + RANKING_OVERHEAD):
        many = match_candidates(project, limit=100, on=WINTER)

    assert len(few) == 3 and len(many) == 23


def test_suggested_projects_for_a_person_best_first():
    me = person("me", ("Python", 6), "React", level="senior", looking=True)
    best = project_needing("Python", "React", name="Both")
    partly = project_needing("Python", "Rust", name="Half")
    project_needing("Haskell", name="Unrelated")
    project_needing("Python", name="Hidden", visibility=Project.Visibility.PRIVATE)
    project_needing("Python", name="Done", status=Project.Status.COMPLETED)
    mine = project_needing("Python", name="Mine")
    MembershipFactory(project=mine, user=me.user)

    results = suggest_projects(me.user, on=WINTER)

    assert [item["project"] for item in results] == [best.slug, partly.slug]
    assert results[0]["title"] == "Both"
    assert results[1]["missing"] == ["Rust"]


def test_suggestions_for_someone_without_a_profile_are_empty():
    assert suggest_projects(UserFactory()) == []


def test_the_sql_ranking_agrees_with_scoring_everyone_in_python():
    """The fast path (ranked in SQL, top rows re-scored) returns what scoring all would."""
    from agents.benchmarks.population import populate
    from agents.matching import match_scored

    populate(300, seed=7)
    project = project_needing(
        ("Python", "must", "senior"), "React", ("PostgreSQL", "must", "mid"), ("Docker", "nice")
    )

    _, everyone = match_scored(project, on=WINTER)
    fast = match_candidates(project, limit=25, on=WINTER)

    assert len(everyone) > 50
    assert [(c["username"], c["score"]) for c in fast] == [(c.username, c.score) for c in everyone[:25]]


def test_the_overlap_cache_agrees_with_the_working_hours_module():
    import random
    from datetime import timedelta

    from agents.matching import OverlapCache
    from profiles.working_hours import WorkingWindow, overlap_hours

    rng = random.Random(3)
    zones = [
        "Europe/Berlin",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Sydney",
        "Pacific/Auckland",
        "UTC",
    ]
    for day in (date(2026, 3, 20), date(2026, 10, 20), WINTER):
        cache = OverlapCache(day)
        for _ in range(40):
            a, b = (
                WorkingWindow(rng.choice(zones), time(rng.randrange(24)), time(rng.randrange(24), 30))
                for _ in range(2)
            )
            first, second = sorted([a, b], key=lambda w: (w.timezone, w.start, w.end))
            expected = min(overlap_hours(first, second, on=day + timedelta(weeks=week)) for week in range(5))
            assert cache.hours(a, b) == expected


def test_ties_at_the_cut_keep_the_python_order_of_usernames():
    project = project_needing("Python")
    names = [
        "Zed",
        "adam",
        "Bea",
        "carl",
        "Dora",
        "eve",
        "Finn",
        "gus",
        "Hana",
        "ivy",
        "Jon",
        "kim",
        "Lu",
        "mo",
        "Ned",
    ]
    for username in names:
        person(username, "Python")

    assert [c["username"] for c in match_candidates(project, limit=3, on=WINTER)] == sorted(names)[:3]
