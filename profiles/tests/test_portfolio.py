"""The portfolio: experiences and case studies through the API and the pages, and who may
read them (the profile's visibility: hidden is a 404)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from profiles import services
from profiles.models import CaseStudy, Experience
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

MY_EXPERIENCES = "/api/v1/profiles/me/experiences/"
MY_CASE_STUDIES = "/api/v1/profiles/me/case-studies/"


def api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def experience_data(**overrides):
    return {
        "organisation": "Acme",
        "role": "Backend engineer",
        "start_month": "2021-03",
        "end_month": "2023-06",
        "description": "Built the **billing** service. <script>alert(1)</script>",
        "technologies": ["python", "postgres"],
        **overrides,
    }


def test_experience_crud_resolves_technologies_and_stores_sanitized_html():
    profile = ProfileFactory()
    api = api_for(profile.user)
    created = api.post(MY_EXPERIENCES, experience_data())
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["technologies"] == ["PostgreSQL", "Python"]
    assert body["start_month"] == "2021-03" and body["end_month"] == "2023-06"
    assert "<strong>billing</strong>" in body["description_html"]
    assert "<script" not in body["description_html"]
    assert Experience.objects.get().description_html == body["description_html"]

    url = f"{MY_EXPERIENCES}{body['id']}/"
    patched = api.patch(url, {"end_month": None, "technologies": ["django"]})
    assert patched.status_code == 200
    assert patched.json()["is_current"] is True
    assert patched.json()["technologies"] == ["Django"]
    assert api.delete(url).status_code == 204
    assert not Experience.objects.exists()


def test_experiences_list_newest_first_current_first():
    profile = ProfileFactory()
    api = api_for(profile.user)
    for start, end, role in [
        ("2015-01", "2017-12", "old"),
        ("2020-01", None, "current"),
        ("2018-01", "2019-12", "mid"),
    ]:
        assert (
            api.post(MY_EXPERIENCES, experience_data(start_month=start, end_month=end, role=role)).status_code
            == 201
        )
    roles = [row["role"] for row in api.get(MY_EXPERIENCES).json()["results"]]
    assert roles == ["current", "mid", "old"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_month": "2021-13"}, "start_month"),
        ({"start_month": "March 2021"}, "start_month"),
        ({"start_month": "2022-01", "end_month": "2021-01"}, "end_month"),
        ({"start_month": "2999-01", "end_month": None}, "start_month"),
        ({"technologies": "python"}, "technologies"),
        ({"technologies": [f"skill {i}" for i in range(21)]}, "technologies"),
        ({"organisation": ""}, "organisation"),
    ],
)
def test_bad_experience_is_a_400_naming_the_field(overrides, field):
    profile = ProfileFactory()
    response = api_for(profile.user).post(MY_EXPERIENCES, experience_data(**overrides))
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_case_study_crud_and_ordering():
    profile = ProfileFactory()
    api = api_for(profile.user)
    ids = []
    for title in ("First", "Second", "Third"):
        response = api.post(
            MY_CASE_STUDIES,
            {
                "title": title,
                "summary": "A thing",
                "role": "Lead",
                "body": "## Problem\n\n![diagram](https://evil.example/x.png)",
                "technologies": ["react"],
                "demo_url": "https://demo.example.com",
            },
        )
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])
    body_html = CaseStudy.objects.get(pk=ids[0]).body_html
    assert "<img" not in body_html and 'class="external-image"' in body_html  # no third-party image loads
    moved = api.patch(f"{MY_CASE_STUDIES}{ids[2]}/", {"position": 0})
    assert moved.status_code == 200
    titles = [row["title"] for row in api.get(MY_CASE_STUDIES).json()["results"]]
    assert titles == ["Third", "First", "Second"]
    bad = api.post(MY_CASE_STUDIES, {"title": "X", "demo_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "demo_url" in bad.json()["fields"]


def test_someone_elses_items_are_404_to_edit():
    owner = ProfileFactory()
    experience = services.experience_create(
        profile=owner, data={"organisation": "A", "role": "B", "start_month": _month(2020, 1)}
    )
    stranger = api_for(ProfileFactory().user)
    assert stranger.patch(f"{MY_EXPERIENCES}{experience.pk}/", {"role": "hacked"}).status_code == 404
    assert stranger.delete(f"{MY_EXPERIENCES}{experience.pk}/").status_code == 404
    assert api_for().get(MY_EXPERIENCES).status_code == 401


def _month(year, month):
    from datetime import date

    return date(year, month, 1)


@pytest.fixture
def portfolios():
    """One profile per visibility, each with an experience and a case study."""
    result = {}
    for visibility in ("public", "members", "private"):
        profile = ProfileFactory(visibility=visibility)
        services.experience_create(
            profile=profile, data={"organisation": "Org", "role": "Dev", "start_month": _month(2020, 1)}
        )
        case_study = services.case_study_create(profile=profile, data={"title": f"{visibility} study"})
        result[visibility] = (profile, case_study)
    return result


@pytest.mark.parametrize(
    ("viewer", "visibility", "visible"),
    [
        ("anonymous", "public", True),
        ("anonymous", "members", False),
        ("anonymous", "private", False),
        ("stranger", "public", True),
        ("stranger", "members", True),
        ("stranger", "private", False),
        ("owner", "private", True),
    ],
)
def test_visibility_matrix_api_and_pages(portfolios, client, viewer, visibility, visible):
    profile, case_study = portfolios[visibility]
    user = {"anonymous": None, "stranger": UserFactory(), "owner": profile.user}[viewer]
    api = api_for(user)
    if user is not None:
        client.force_login(user)
    username = profile.user.username
    urls = [
        f"/api/v1/profiles/{username}/experiences/",
        f"/api/v1/profiles/{username}/case-studies/",
        f"/api/v1/profiles/{username}/case-studies/{case_study.pk}/",
    ]
    for url in urls:
        assert api.get(url).status_code == (200 if visible else 404), url
    page = client.get(reverse("profiles:case-study", args=[username, case_study.pk]))
    assert page.status_code == (200 if visible else 404)
    profile_page = client.get(reverse("profiles:detail", args=[username]))
    if visible:
        assert case_study.title in profile_page.content.decode()
    else:
        assert profile_page.status_code == 404


def test_case_study_of_another_profile_is_404_under_this_one(portfolios):
    public, _ = portfolios["public"]
    _, private_study = portfolios["private"]
    url = f"/api/v1/profiles/{public.user.username}/case-studies/{private_study.pk}/"
    assert api_for().get(url).status_code == 404


def test_public_lists_have_constant_query_counts(django_assert_num_queries):
    profile = ProfileFactory()
    api = api_for()
    url_e = f"/api/v1/profiles/{profile.user.username}/experiences/"
    url_c = f"/api/v1/profiles/{profile.user.username}/case-studies/"

    def add(n):
        for i in range(n):
            services.experience_create(
                profile=profile,
                data={
                    "organisation": f"O{i}",
                    "role": "R",
                    "start_month": _month(2020, 1),
                    "technologies": ["Go"],
                },
            )
            services.case_study_create(
                profile=profile, data={"title": f"T{i}", "technologies": ["Rust", "Go"]}
            )

    add(1)
    counts = []
    for url in (url_e, url_c):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        counts.append(len(captured))
    add(5)
    for url, count in zip((url_e, url_c), counts, strict=True):
        with django_assert_num_queries(count):
            assert len(api.get(url).json()["results"]) == 6


def test_edit_pages_add_and_show_on_profile(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    response = client.post(
        reverse("profiles:experience-new"),
        {
            "organisation": "Initech",
            "role": "Staff engineer",
            "start_month": "2019-05",
            "end_month": "",
            "description": "Led the *TPS* rewrite.",
            "technologies": "Python, k8s",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("profiles:experience-new"),
        {"organisation": "X", "role": "Y", "start_month": "2020-05", "end_month": "2019-01"},
    )
    assert bad.status_code == 200 and "Choose the start month or later." in bad.content.decode()
    response = client.post(
        reverse("profiles:case-study-new"),
        {"title": "TPS reports", "summary": "Faster reports", "technologies": "Django"},
    )
    assert response.status_code == 302
    page = client.get(reverse("profiles:detail", args=[profile.user.username])).content.decode()
    assert "Staff engineer" in page and "Initech" in page and "present" in page
    assert "Kubernetes" in page and "<em>TPS</em>" in page
    assert "TPS reports" in page
