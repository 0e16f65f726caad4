import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from profiles.middleware import SETUP_SKIPPED_SESSION_KEY
from profiles.models import Profile
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def step_url(step):
    return reverse("profiles:setup-step", args=[step])


STEP_DATA = {
    "basics": {"display_name": "Grace Hopper", "headline": "Compiler pioneer", "bio": "Hello *world*"},
    "skills": {"primary_skills": "js: 3, django, COBOL (40)", "secondary_skills": "k8s, postgres"},
    "experience": {"experience_level": "lead", "interests": "compilers, education"},
    "availability": {
        "timezone": "America/New_York",
        "working_hours_start": "09:00",
        "working_hours_end": "17:00",
        "availability_hours": "10",
        "github": "https://github.com/grace",
        "links": "https://grace.example.com",
        "looking_for_team": "on",
    },
    "review": {"visibility": "public"},
}


@pytest.fixture
def member(client):
    user = UserFactory(username="grace")
    client.force_login(user)
    return user


def test_new_user_lands_in_the_wizard_from_the_dashboard(client, member):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:setup")
    assert client.get(reverse("profiles:setup"))["Location"] == step_url("basics")


def test_complete_user_sees_the_dashboard_with_the_profile_panel(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert profile.completeness == 100 and "Your profile is complete." in html
    assert "Continue setting up" not in html  # optional parts never nag


def test_dashboard_names_only_required_parts_that_are_missing(client):
    from profiles.services import profile_update

    profile = ProfileFactory(headline="", bio="", github="", links=[], secondary_skills=[])
    profile_update(profile=profile, data={"availability_hours": None})
    client.force_login(profile.user)
    session = client.session
    session[SETUP_SKIPPED_SESSION_KEY] = True
    session.save()
    html = client.get("/").content.decode()
    assert "Your profile: 85% complete" in html
    assert "Add hours per week so the matching agents can find you." in html
    assert "headline" not in html.lower()


def test_skip_for_now_reaches_the_dashboard(client, member):
    response = client.post(reverse("profiles:setup-skip"))
    assert response["Location"] == "/"
    assert client.session[SETUP_SKIPPED_SESSION_KEY] is True
    assert client.get("/").status_code == 200


def test_staff_are_not_redirected(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/").status_code == 200


def test_wizard_steps_save_and_resume(client, member):
    for step in ("basics", "skills"):
        response = client.post(step_url(step), STEP_DATA[step])
        assert response.status_code == 302, response.content.decode()
    # The user leaves; coming back resumes at the next step with the saved data.
    assert client.get(reverse("profiles:setup"))["Location"] == step_url("experience")
    page = client.get(step_url("skills")).content.decode()
    assert "JavaScript: 3, Django, COBOL: 40" in page
    assert "Kubernetes, PostgreSQL" in page
    member.refresh_from_db()
    assert member.profile_complete is False

    for step in ("experience", "availability"):
        assert client.post(step_url(step), STEP_DATA[step]).status_code == 302
    response = client.post(step_url("review"), STEP_DATA["review"])
    assert response["Location"] == reverse("profiles:detail", args=["grace"])
    member.refresh_from_db()
    assert member.profile_complete is True
    profile = Profile.objects.get(user=member)
    assert profile.github == "https://github.com/grace"
    assert profile.links == [{"label": "grace.example.com", "url": "https://grace.example.com"}]
    assert profile.interests == ["compilers", "education"]
    assert client.get("/").status_code == 200


def test_progress_indicator_marks_the_current_step(client, member):
    page = client.get(step_url("skills")).content.decode()
    assert "Step 2 of 5" in page
    assert 'aria-current="step">Skills</a>' in page


def test_review_lists_missing_required_parts(client, member):
    client.post(step_url("basics"), STEP_DATA["basics"])
    response = client.post(step_url("review"), STEP_DATA["review"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some required parts are still missing" in page
    assert "At least one primary skill" in page


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        ("availability", {"timezone": "Mars/Olympus_Mons"}, "timezone", "is not a known time zone"),
        ("availability", {"github": "https://gitlab.com/grace"}, "github", "GitHub profile address"),
        ("availability", {"working_hours_end": "09:00"}, "working_hours_end", "cannot start and end"),
        (
            "skills",
            {"primary_skills": ", ".join(f"skill{i}" for i in range(11))},
            "primary_skills",
            "At most 10",
        ),
        ("skills", {"primary_skills": ""}, "primary_skills", "required"),
        ("experience", {"experience_level": "wizard"}, "experience_level", "Select a valid choice"),
    ],
)
def test_wizard_shows_field_errors(client, member, step, changes, field, message):
    response = client.post(step_url(step), {**STEP_DATA[step], **changes})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Profile.objects.filter(user=member).exists()


def test_wizard_requires_login(client):
    response = client.get(step_url("basics"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_wizard_step_is_404(client, member):
    assert client.get("/profile/setup/nope/").status_code == 404


def test_skills_step_gives_the_chips_their_skills_known_or_new(client, member):
    """The chip editor starts from the saved skills (or from what was sent, on errors),
    spelled as the taxonomy spells them, an unknown one marked as new."""
    client.post(
        step_url("skills"), {"primary_skills": "js: 3, Quantum basketweaving", "secondary_skills": ""}
    )
    response = client.get(step_url("skills"))
    chips = response.context["chips"]
    assert chips["primary_skills"] == [
        {"name": "JavaScript", "years": 3, "known": True},
        {"name": "Quantum basketweaving", "years": None, "known": False},
    ]
    assert 'id="skill-chips-data"' in response.content.decode()
    too_many = ", ".join(f"Skill {n}" for n in range(30))
    response = client.post(step_url("skills"), {"primary_skills": too_many})
    assert len(response.context["chips"]["primary_skills"]) == 30  # kept, with the error shown


def test_people_search_without_result_says_so_and_suggests_related_skills(client, member):
    ProfileFactory(primary_skills=["Python"], experience_level="mid")
    response = client.get(reverse("profiles:people"), {"skills": "Flask", "level": "lead"})
    html = response.content.decode()
    assert "0 developers" in html and "No developer matches these skills and filters." in html
    assert [s["name"] for s in response.context["suggestions"]] == ["Python"]  # Flask's general skill
    assert "?skills=Python&amp;level=lead" in html
    # A name the taxonomy does not know suggests skills that start like it.
    ProfileFactory(primary_skills=["Django"])
    response = client.get(reverse("profiles:people"), {"skills": "djangoo"})
    assert "Django" in [s["name"] for s in response.context["suggestions"]]


def test_profile_and_people_cards_show_avatars(client, member):
    profile = ProfileFactory(display_name="Ada Lovelace", user__username="ada")
    assert ">AL</text>" in client.get(reverse("profiles:detail", args=["ada"])).content.decode()
    html = client.get(reverse("profiles:people")).content.decode()
    assert html.count('class="avatar"') >= 2 and profile.display_name in html  # the header's own and Ada's
