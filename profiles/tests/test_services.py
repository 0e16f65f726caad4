from datetime import date, time

import pytest
from django.core.management import call_command

from config.errors import Conflict
from profiles.models import Profile, ProfileSkill, Skill, SkillAlias
from profiles.services import (
    InvalidSkillName,
    profile_create,
    profile_update,
    skill_alias_add,
    skill_merge,
    skill_resolve,
    skills_resolve,
)
from profiles.taxonomy import skill_key, taxonomy_entries
from profiles.tests.factories import ProfileFactory, skill_entries
from profiles.working_hours import WorkingWindow, overlap_hours


def test_taxonomy_is_large_consistent_and_unambiguous():
    entries = taxonomy_entries()
    assert len(entries) >= 250
    names = {entry.name for entry in entries}
    owners: dict[str, str] = {}
    for entry in entries:
        assert entry.category in {
            "language", "framework", "database", "devops", "data", "design", "mobile", "testing", "other",
        }  # fmt: skip
        assert set(entry.related) <= names, entry
        for text in (entry.name, *entry.aliases):
            key = skill_key(text)
            assert key, text
            assert owners.setdefault(key, entry.name) == entry.name, f"{text} is ambiguous"


def test_skill_key_keeps_what_tells_skills_apart():
    assert skill_key("React.JS") == skill_key("react js") == skill_key("reactjs")
    assert len({skill_key("C"), skill_key("C++"), skill_key("C#")}) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("js", "JavaScript"), ("JS", "JavaScript"), ("javascript", "JavaScript"), (" Java-Script ", "JavaScript"),
        ("react.js", "React"), ("ReactJS", "React"), ("k8s", "Kubernetes"), ("postgres", "PostgreSQL"),
        ("psql", "PostgreSQL"), ("golang", "Go"), ("ml", "Machine Learning"), ("c++", "C++"), ("C#", "C#"),
        ("next.js", "Next.js"), ("Node", "Node.js"), ("sklearn", "scikit-learn"),
    ],
)  # fmt: skip
def test_free_text_resolves_to_the_canonical_skill(text, canonical):
    skill = skill_resolve(text)
    assert skill.name == canonical
    assert skill.is_reviewed


@pytest.mark.django_db
def test_related_skills_point_to_the_general_skill():
    assert set(Skill.objects.get(name="Django").related.values_list("name", flat=True)) == {"Python"}
    assert "React" in Skill.objects.get(name="Next.js").related.values_list("name", flat=True)
    assert "Docker" in Skill.objects.get(name="Kubernetes").related.values_list("name", flat=True)


@pytest.mark.django_db
def test_unknown_skill_is_created_unreviewed_once():
    first = skill_resolve("Quantum Basket Weaving")
    again = skill_resolve("quantum-basket weaving")
    assert first.pk == again.pk
    assert first.is_reviewed is False
    assert first.category == "other"
    assert Skill.objects.filter(name__iexact="quantum basket weaving").count() == 1


@pytest.mark.django_db
def test_skills_resolve_collapses_duplicates_in_order():
    names = [skill.name for skill in skills_resolve(["js", "Python", "JavaScript", "py"])]
    assert names == ["JavaScript", "Python"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", "!!!", "x" * 61])
def test_text_that_cannot_be_a_skill_is_rejected(text):
    with pytest.raises(InvalidSkillName):
        skill_resolve(text)


@pytest.mark.django_db
def test_alias_add_refuses_a_spelling_of_another_skill():
    rust = Skill.objects.get(name="Rust")
    assert skill_alias_add(skill=rust, alias="rustacean").skill == rust
    assert skill_resolve("Rustacean") == rust
    with pytest.raises(Conflict):
        skill_alias_add(skill=rust, alias="golang")


@pytest.mark.django_db
def test_merge_repoints_profiles_and_keeps_the_name_as_alias():
    typo = skill_resolve("Djangoo")
    python = Skill.objects.get(name="Python")
    django = Skill.objects.get(name="Django")
    # One profile lists only the typo; another lists both the typo and the real skill.
    only_typo = ProfileFactory(primary_skills=[("Djangoo", 4)])
    both = ProfileFactory(primary_skills=["Django", "Djangoo"], secondary_skills=["Python"])
    typo.related.add(python)

    skill_merge(source=typo, target=django)

    assert not Skill.objects.filter(pk=typo.pk).exists()
    assert list(only_typo.profile_skills.values_list("skill__name", "years")) == [("Django", 4)]
    assert list(both.profile_skills.filter(kind="primary").values_list("skill__name", flat=True)) == [
        "Django"
    ]
    assert skill_resolve("djangoo") == django
    assert SkillAlias.objects.get(key="djangoo").skill == django
    assert not django.related.filter(pk=django.pk).exists()


@pytest.mark.django_db
def test_merge_into_itself_is_refused():
    skill = Skill.objects.get(name="Go")
    with pytest.raises(Exception, match="itself"):
        skill_merge(source=skill, target=skill)


@pytest.mark.django_db
def test_profile_create_tracks_completeness_and_the_user_flag():
    profile = ProfileFactory(primary_skills=["Python"], secondary_skills=[], github="", links=[])
    assert profile.user.profile_complete is True
    # Secondary skills, GitHub and links are optional: they never keep a profile below 100%.
    assert profile.completeness == 100
    profile_update(profile=profile, data={"timezone": ""})
    profile.user.refresh_from_db()
    assert profile.user.profile_complete is False
    assert profile.completeness == 85  # the time zone is 10 of the 65 required points


@pytest.mark.django_db
def test_profile_create_twice_conflicts():
    profile = ProfileFactory()
    with pytest.raises(Conflict):
        profile_create(user=profile.user, data={})


@pytest.mark.django_db
def test_profile_display_name_defaults_to_the_users_name():
    from accounts.tests.factories import UserFactory

    user = UserFactory(first_name="Ada", last_name="Lovelace")
    assert profile_create(user=user, data={}).display_name == "Ada Lovelace"


@pytest.mark.django_db
def test_primary_skill_wins_over_the_same_secondary_skill():
    profile = ProfileFactory(primary_skills=["js"], secondary_skills=["JavaScript", "css"])
    rows = list(profile.profile_skills.order_by("kind", "position").values_list("skill__name", "kind"))
    assert rows == [("JavaScript", "primary"), ("CSS", "secondary")]
    profile_update(profile=profile, data={"secondary_skills": skill_entries(["Sass"])})
    assert ProfileSkill.objects.filter(profile=profile, kind="primary").count() == 1


def test_overlap_is_dst_aware():
    berlin = WorkingWindow("Europe/Berlin", time(9), time(17))
    new_york = WorkingWindow("America/New_York", time(9), time(17))
    # Usually six hours apart; between the US (2nd Sunday of March) and EU (last Sunday)
    # switches to summer time, five.
    assert overlap_hours(berlin, new_york, on=date(2025, 7, 1)) == 2
    assert overlap_hours(berlin, new_york, on=date(2025, 3, 20)) == 3
    assert overlap_hours(berlin, new_york, on=date(2025, 1, 15)) == 2


def test_overlap_handles_windows_past_midnight_and_across_the_date_line():
    night = WorkingWindow("UTC", time(22), time(6))
    day = WorkingWindow("UTC", time(5), time(23))
    assert overlap_hours(night, day, on=date(2025, 1, 1)) == 2
    tokyo = WorkingWindow("Asia/Tokyo", time(9), time(17))
    sydney = WorkingWindow("Australia/Sydney", time(9), time(17))
    assert overlap_hours(tokyo, sydney, on=date(2025, 7, 1)) == 7  # Sydney is UTC+10 in July
    assert overlap_hours(tokyo, sydney, on=date(2025, 1, 15)) == 6  # and UTC+11 in January
    auckland = WorkingWindow("Pacific/Auckland", time(9), time(17))
    honolulu = WorkingWindow("Pacific/Honolulu", time(9), time(17))
    # Auckland 09:00 NZST (UTC+12) is 11:00 the previous day in Honolulu (UTC-10).
    assert overlap_hours(auckland, honolulu, on=date(2025, 7, 1)) == 6


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    count = Profile.objects.count()
    assert count >= 60
    call_command("seed_demo", stdout=StringIO())
    assert Profile.objects.count() == count
    assert Profile.objects.filter(user__username="demo", user__profile_complete=True).exists()
    assert Profile.objects.values("experience_level").distinct().count() == 4
    assert Profile.objects.values("timezone").distinct().count() > 30
