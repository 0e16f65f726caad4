"""The projects API: the permission matrix, life cycles, shapes, filters and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from projects.models import Invitation, Membership, Project, ShareLink, Task
from projects.tests.conftest import team_make
from projects.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    ShareLinkFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/projects"


def call(client, method: str, path: str, data=None):
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return (
        getattr(client, method.lower())(path, data, **kwargs)
        if data is not None
        else getattr(client, method.lower())(path)
    )


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- the permission matrix ------------------------------------------------------------------

VIEWERS = ["anonymous", "stranger", "member", "maintainer", "owner"]
MEMBERS = {"member", "maintainer", "owner"}
MANAGERS = {"maintainer", "owner"}

# (name, method, path under the project, body, who may, success status). Invitations and
# join requests of other people are hidden from those who may not manage them: 404.
HIDDEN_OBJECTS = {"revoke invitation", "accept join request"}
CASES = [
    ("read project", "GET", "", None, set(VIEWERS), 200),
    ("edit project", "PATCH", "", {"summary": "Changed"}, MANAGERS, 200),
    ("change visibility", "PATCH", "", {"visibility": "{other_visibility}"}, {"owner"}, 200),
    ("delete project", "DELETE", "", None, {"owner"}, 204),
    ("transfer", "POST", "transfer", {"username": "{member}"}, {"owner"}, 200),
    ("list members", "GET", "members/", None, set(VIEWERS), 200),
    ("change a role", "PATCH", "members/{member}", {"role": "maintainer"}, {"owner"}, 200),
    ("remove a member", "DELETE", "members/{other_member}", None, MANAGERS, 204),
    ("list invitations", "GET", "invitations/", None, set(VIEWERS), 200),
    ("invite", "POST", "invitations/", {"username": "{outsider}"}, MANAGERS, 201),
    ("revoke invitation", "DELETE", "invitations/{invitation}", None, MANAGERS, 204),
    ("list join requests", "GET", "join-requests/", None, set(VIEWERS), 200),
    ("accept join request", "POST", "join-requests/{join_request}/accept", {}, MANAGERS, 200),
    ("list share links", "GET", "share-links/", None, MANAGERS, 200),
    ("revoke share link", "DELETE", "share-links/{share_link}", None, MANAGERS, 204),
    ("list milestones", "GET", "milestones/", None, set(VIEWERS), 200),
    ("add milestone", "POST", "milestones/", {"title": "Beta"}, MANAGERS, 201),
    ("edit milestone", "PATCH", "milestones/{milestone}", {"title": "Beta 2"}, MANAGERS, 200),
    ("delete milestone", "DELETE", "milestones/{milestone}", None, MANAGERS, 204),
    ("list tasks", "GET", "tasks/", None, set(VIEWERS), 200),
    ("read task", "GET", "tasks/{task}", None, set(VIEWERS), 200),
    ("add task", "POST", "tasks/", {"title": "Write docs"}, MEMBERS, 201),
    ("move task", "PATCH", "tasks/{task}", {"status": "doing"}, MEMBERS, 200),
    (
        "delete task",
        "DELETE",
        "tasks/{task}",
        None,
        MANAGERS,
        204,
    ),  # the owner's task: members delete their own
]


def expected_status(case, who: str, visibility: str) -> int:
    name, method, _, _, allowed, success = case
    readable = visibility == "public" or who in MEMBERS
    if not readable:
        return 401 if method != "GET" and who == "anonymous" else 404
    if who in allowed:
        return success
    if method != "GET" and who == "anonymous":
        return 401
    return 404 if name in HIDDEN_OBJECTS else 403


@pytest.mark.parametrize("visibility", Project.Visibility.values)
@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_permission_matrix(client, visibility, who, case):
    name, method, path, body, _, _ = case
    team = team_make(visibility)
    outsider = UserFactory()
    requester = UserFactory()
    project = team.project
    from projects.tests.factories import JoinRequestFactory

    names = {
        "member": team.member.username,
        "other_member": MembershipFactory(project=project).user.username,
        "other_visibility": "public" if visibility == "private" else "private",
        "outsider": outsider.username,
        "invitation": InvitationFactory(project=project).pk,
        "join_request": JoinRequestFactory(project=project, user=requester).pk,
        "share_link": team.share_link.pk,
        "milestone": MilestoneFactory(project=project).pk,
        "task": TaskFactory(project=project).pk,
    }
    path = path.format(**names)
    if body is not None:
        body = {
            key: value.format(**names) if isinstance(value, str) else value for key, value in body.items()
        }
    as_user(client, None if who == "anonymous" else team.user(who))
    response = call(client, method, f"{API}/{project.slug}/{path}", body)
    assert response.status_code == expected_status(case, who, visibility), (
        name,
        who,
        visibility,
        response.content,
    )
    if response.status_code == 404 and name not in HIDDEN_OBJECTS:
        assert response.json() == {"type": "not_found", "detail": "Project not found."}


def test_a_hidden_project_looks_exactly_like_a_missing_one(client, private_team):
    as_user(client, private_team.stranger)
    hidden = client.get(f"{API}/{private_team.project.slug}/tasks/")
    missing = client.get(f"{API}/no-such-project/tasks/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_objects_of_another_project_are_not_found_through_this_one(client, team):
    other_task = TaskFactory(project=ProjectFactory())
    as_user(client, team.owner)
    assert client.get(f"{API}/{team.project.slug}/tasks/{other_task.pk}").status_code == 404
    response = client.patch(
        f"{API}/{team.project.slug}/tasks/{other_task.pk}",
        {"status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Task.objects.get(pk=other_task.pk).status == "todo"


# --- projects -------------------------------------------------------------------------------


def test_create_a_project_with_required_skills(client):
    owner = UserFactory()
    as_user(client, owner)
    response = client.post(
        f"{API}/",
        {
            "name": "Open Atlas",
            "summary": "Maps for everyone",
            "description": "# Hi\n\n<script>alert(1)</script>[x](javascript:alert(1))",
            "visibility": "public",
            "status": "recruiting",
            "team_size": 5,
            "required_skills": [
                {"skill": "postgres", "importance": "must"},
                {"skill": "Leaflet", "importance": "nice", "min_level": "mid"},
            ],
            "timezone": "Europe/Berlin",
            "min_overlap_hours": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "open-atlas"
    assert body["required_skills"] == [
        {"skill": "PostgreSQL", "importance": "must", "min_level": None},
        {"skill": "Leaflet", "importance": "nice", "min_level": "mid"},
    ]
    assert body["owner"] == owner.username and body["my_role"] == "owner" and body["member_count"] == 1
    assert "<script" not in body["description_html"] and "javascript:" not in body["description_html"]
    assert client.get(f"{API}/open-atlas").json()["name"] == "Open Atlas"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"summary": "no name"}, "name"),
        ({"name": "X", "timezone": "Mars/Base"}, "timezone"),
        ({"name": "X", "team_size": 0}, "team_size"),
        ({"name": "X", "status": "dreaming"}, "status"),
        ({"name": "X", "required_skills": [{"skill": "Python", "importance": "maybe"}]}, "required_skills"),
        ({"name": "X", "required_skills": [{"importance": "must"}]}, "required_skills"),
        ({"name": "X", "repository_url": "javascript:alert(1)"}, "repository_url"),
        ({"name": "X", "min_overlap_hours": 30}, "min_overlap_hours"),
    ],
)
def test_invalid_project_input_is_a_400_with_field_errors(client, body, field):
    as_user(client, UserFactory())
    response = client.post(f"{API}/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    assert field in response.json()["fields"]


def test_anonymous_users_cannot_create_projects(client):
    response = client.post(f"{API}/", {"name": "X"}, content_type="application/json")
    assert response.status_code == 401


def test_list_shows_public_projects_and_my_own_only(client):
    viewer = UserFactory()
    public = ProjectFactory(name="Public one")
    ProjectFactory(visibility="private")
    ProjectFactory(visibility="unlisted")
    mine = ProjectFactory(visibility="private", name="Mine")
    MembershipFactory(project=mine, user=viewer)
    assert {p["slug"] for p in client.get(f"{API}/").json()["results"]} == {public.slug}
    as_user(client, viewer)
    body = client.get(f"{API}/").json()
    assert body["count"] == 2
    assert {p["slug"] for p in body["results"]} == {public.slug, mine.slug}
    assert {p["slug"] for p in client.get(f"{API}/?mine=true").json()["results"]} == {mine.slug}


def test_filters_by_skill_status_visibility_and_text(client):
    owner = UserFactory()
    as_user(client, owner)
    for name, skill, status in [("Alpha maps", "postgres", "active"), ("Beta", "Rust", "idea")]:
        client.post(
            f"{API}/",
            {"name": name, "status": status, "required_skills": [{"skill": skill}]},
            content_type="application/json",
        )

    def slugs(query):
        return [p["slug"] for p in client.get(f"{API}/?{query}").json()["results"]]

    assert slugs("skill=PostgreSQL") == ["alpha-maps"]
    assert slugs("skill=psql") == ["alpha-maps"]  # an alias
    assert slugs("status=idea") == ["beta"]
    assert slugs("q=maps") == ["alpha-maps"]
    assert slugs("visibility=private") == []
    assert client.get(f"{API}/?status=nope").status_code == 400


def test_project_list_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    viewer = UserFactory()
    as_user(client, viewer)

    def make(n):
        for _ in range(n):
            project = ProjectFactory()
            MembershipFactory(project=project, user=viewer)
            from projects.services.projects import project_skills_set

            project_skills_set(project=project, items=[{"skill": "Python"}, {"skill": "Go"}])

    make(2)
    # session, user, count, page, required skills, the viewer's memberships
    with django_assert_num_queries(6):
        client.get(f"{API}/?page_size=50")
    make(8)
    with django_assert_num_queries(6):
        response = client.get(f"{API}/?page_size=50")
    assert response.json()["count"] == 10


@pytest.mark.parametrize(
    "resource", ["members", "tasks", "milestones", "invitations", "join-requests", "share-links"]
)
def test_nested_lists_run_a_constant_number_of_queries(client, django_assert_num_queries, resource):
    team = team_make("private")
    as_user(client, team.owner)
    url = f"{API}/{team.project.slug}/{resource}/"

    def make(n):
        from projects.tests.factories import JoinRequestFactory

        for _ in range(n):
            user = UserFactory()
            MembershipFactory(project=team.project, user=user)
            milestone = MilestoneFactory(project=team.project)
            TaskFactory(project=team.project, assignee=user, milestone=milestone)
            InvitationFactory(project=team.project)
            JoinRequestFactory(project=team.project)
            ShareLinkFactory(project=team.project)

    make(1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make(6)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and len(response.json()["results"]) >= 6


# --- invitations ----------------------------------------------------------------------------


def test_invitation_life_cycle(client, team):
    as_user(client, team.maintainer)
    response = client.post(
        f"{API}/{team.project.slug}/invitations/",
        {"username": team.stranger.username, "message": "Come build with us"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    invitation = response.json()
    assert {"id", "project", "username", "status", "expires_at"} <= invitation.keys()
    assert (invitation["project"], invitation["username"], invitation["status"]) == (
        team.project.slug,
        team.stranger.username,
        "pending",
    )
    again = client.post(
        f"{API}/{team.project.slug}/invitations/",
        {"username": team.stranger.username},
        content_type="application/json",
    )
    assert again.status_code == 409

    accept = f"{API}/{team.project.slug}/invitations/{invitation['id']}/accept"
    as_user(client, team.member)
    assert client.post(accept).status_code == 404  # not yours
    as_user(client, team.stranger)
    mine = client.get(f"{API}/{team.project.slug}/invitations/").json()["results"]
    assert [i["id"] for i in mine] == [invitation["id"]]
    response = client.post(accept)
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Membership.objects.filter(project=team.project, user=team.stranger, role="member").exists()
    double = client.post(accept)
    assert double.status_code == 409 and double.json()["type"] == "invitation_accepted"


def test_an_expired_invitation_is_a_409_even_on_a_private_project(client, private_team):
    invitation = InvitationFactory(project=private_team.project, user=private_team.stranger)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    as_user(client, private_team.stranger)
    response = client.post(f"{API}/{private_team.project.slug}/invitations/{invitation.pk}/accept")
    assert response.status_code == 409 and response.json()["type"] == "invitation_expired"
    # ...and the project stays hidden from them otherwise.
    assert client.get(f"{API}/{private_team.project.slug}").status_code == 404


def test_decline_an_invitation(client, private_team):
    invitation = InvitationFactory(project=private_team.project, user=private_team.stranger)
    as_user(client, private_team.stranger)
    assert client.get(f"{API}/{private_team.project.slug}").status_code == 200  # invitees may look
    response = client.post(f"{API}/{private_team.project.slug}/invitations/{invitation.pk}/decline/")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert client.get(f"{API}/{private_team.project.slug}").status_code == 404


def test_invite_by_email_and_field_errors(client, team):
    as_user(client, team.owner)
    url = f"{API}/{team.project.slug}/invitations/"
    response = client.post(url, {"email": "someone@example.org"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["email"] == "someone@example.org"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 400 and "username" in response.json()["fields"]
    response = client.post(url, {"username": "ghost-user"}, content_type="application/json")
    assert response.status_code == 400 and "username" in response.json()["fields"]


# --- join requests --------------------------------------------------------------------------


def test_join_request_life_cycle(client, team):
    as_user(client, team.stranger)
    response = client.post(
        f"{API}/{team.project.slug}/join-requests/", {"message": "Hi!"}, content_type="application/json"
    )
    assert response.status_code == 201
    join_request = response.json()
    assert join_request["username"] == team.stranger.username and join_request["status"] == "pending"
    assert (
        client.post(
            f"{API}/{team.project.slug}/join-requests/", {}, content_type="application/json"
        ).status_code
        == 409
    )
    as_user(client, team.member)
    assert (
        client.post(f"{API}/{team.project.slug}/join-requests/{join_request['id']}/accept").status_code == 404
    )
    as_user(client, team.maintainer)
    response = client.post(f"{API}/{team.project.slug}/join-requests/{join_request['id']}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert (
        client.post(f"{API}/{team.project.slug}/join-requests/{join_request['id']}/decline").status_code
        == 409
    )
    as_user(client, team.stranger)
    assert client.get(f"{API}/{team.project.slug}").json()["my_role"] == "member"


@pytest.mark.parametrize("visibility", ["unlisted", "private"])
def test_nobody_asks_to_join_a_hidden_project(client, visibility):
    team = team_make(visibility)
    as_user(client, team.stranger)
    assert (
        client.post(
            f"{API}/{team.project.slug}/join-requests/", {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_members_cannot_ask_to_join_and_anonymous_users_must_log_in(client, team):
    assert (
        client.post(
            f"{API}/{team.project.slug}/join-requests/", {}, content_type="application/json"
        ).status_code
        == 401
    )
    as_user(client, team.member)
    assert (
        client.post(
            f"{API}/{team.project.slug}/join-requests/", {}, content_type="application/json"
        ).status_code
        == 409
    )


# --- share links ----------------------------------------------------------------------------


def test_share_link_life_cycle(client, private_team):
    as_user(client, private_team.maintainer)
    expires = (timezone.now() + timedelta(days=3)).isoformat()
    response = client.post(
        f"{API}/{private_team.project.slug}/share-links/",
        {"expires_at": expires},
        content_type="application/json",
    )
    assert response.status_code == 201
    link = response.json()
    assert {"id", "token", "url", "expires_at", "views", "last_viewed_at"} <= link.keys()
    assert link["url"].endswith(f"/projects/shared/{link['token']}/") and link["views"] == 0

    client.logout()
    TaskFactory(project=private_team.project, title="Visible through the link")
    shared = client.get(f"{API}/shared/{link['token']}")
    assert shared.status_code == 200
    body = shared.json()
    assert body["project"]["slug"] == private_team.project.slug
    assert [t["title"] for t in body["tasks"]] == ["Visible through the link"]
    assert {m["username"] for m in body["members"]} >= {private_team.owner.username}
    assert client.get(f"{API}/{private_team.project.slug}").status_code == 404  # the link is the only way in
    stored = ShareLink.objects.get(pk=link["id"])
    assert stored.views == 1 and stored.last_viewed_at is not None

    as_user(client, private_team.maintainer)
    assert client.delete(f"{API}/{private_team.project.slug}/share-links/{link['id']}").status_code == 204
    client.logout()
    assert client.get(f"{API}/shared/{link['token']}").status_code == 404


def test_expired_or_unknown_share_links_are_404(client, private_team):
    ShareLink.objects.filter(pk=private_team.share_link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(f"{API}/shared/{private_team.share_link.token}").status_code == 404
    assert client.get(f"{API}/shared/nope").status_code == 404


@pytest.mark.parametrize("sub", ["milestones", "tasks", "members", "invitations", "share-links"])
def test_the_reserved_slug_shared_is_a_missing_project_not_a_share_link(client, team, sub):
    """Found by the schema fuzzer: POST projects/shared/milestones/ answered an undocumented
    405 (it reached the share-link view with the token "milestones")."""
    as_user(client, team.owner)
    for method in ("get", "post"):
        response = call(client, method, f"{API}/shared/{sub}/", {} if method == "post" else None)
        assert response.status_code == 404, (method, sub, response.content)
        assert response.json()["type"] == "not_found"


def test_share_link_input_errors(client, team, private_team):
    as_user(client, team.owner)
    assert (
        client.post(
            f"{API}/{team.project.slug}/share-links/", {}, content_type="application/json"
        ).status_code
        == 409
    )
    as_user(client, private_team.owner)
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = client.post(
        f"{API}/{private_team.project.slug}/share-links/",
        {"expires_at": past},
        content_type="application/json",
    )
    assert response.status_code == 400 and "expires_at" in response.json()["fields"]


# --- board ----------------------------------------------------------------------------------


def test_board_round_trip(client, team):
    as_user(client, team.maintainer)
    base = f"{API}/{team.project.slug}"
    milestone = client.post(
        f"{base}/milestones/", {"title": "MVP", "due_date": "2030-01-31"}, content_type="application/json"
    ).json()
    response = client.post(
        f"{base}/tasks/",
        {
            "title": "Schema",
            "assignee": team.member.username,
            "milestone": milestone["id"],
            "required_skill": "postgres",
            "estimate_hours": "4.5",
            "priority": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert (task["assignee"], task["required_skill"], task["milestone"], task["status"]) == (
        team.member.username,
        "PostgreSQL",
        milestone["id"],
        "todo",
    )
    as_user(client, team.member)
    moved = client.patch(f"{base}/tasks/{task['id']}", {"status": "done"}, content_type="application/json")
    assert moved.json()["status"] == "done"
    assert client.get(f"{base}/tasks/?status=done").json()["count"] == 1
    assert client.get(f"{base}/tasks/?assignee={team.member.username}").json()["count"] == 1
    assert client.get(f"{base}/milestones/").json()["results"][0]["done_count"] == 1


def test_tasks_are_assigned_to_members_only(client, team):
    as_user(client, team.owner)
    response = client.post(
        f"{API}/{team.project.slug}/tasks/",
        {"title": "T", "assignee": team.stranger.username},
        content_type="application/json",
    )
    assert response.status_code == 400 and "assignee" in response.json()["fields"]
    other_milestone = MilestoneFactory()
    response = client.post(
        f"{API}/{team.project.slug}/tasks/",
        {"title": "T", "milestone": other_milestone.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "milestone" in response.json()["fields"]


def test_owner_cannot_leave_but_members_can(client, team):
    as_user(client, team.owner)
    assert client.post(f"{API}/{team.project.slug}/leave").status_code == 409
    as_user(client, team.member)
    assert client.post(f"{API}/{team.project.slug}/leave").status_code == 204
    assert not Membership.objects.filter(project=team.project, user=team.member).exists()


# --- my invitations and notifications -------------------------------------------------------


def test_my_invitations_and_notifications(client, private_team, django_assert_num_queries):
    from projects.services.invitations import invitation_create

    invitee = UserFactory()
    invitation_create(actor=private_team.owner, project=private_team.project, username=invitee.username)
    other = ProjectFactory(visibility="public")
    invitation_create(actor=other.owner, project=other, username=invitee.username)
    InvitationFactory(project=other, user=UserFactory())  # someone else's
    assert client.get("/api/v1/invitations/").status_code == 401

    as_user(client, invitee)
    mine = client.get("/api/v1/invitations/").json()
    assert mine["count"] == 2
    assert {i["project_name"] for i in mine["results"]} == {private_team.project.name, other.name}

    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2 and body["unread_count"] == 2
    first = body["results"][0]
    assert {"id", "kind", "text", "url", "read_at", "created_at"} <= first.keys()
    response = client.post(
        "/api/v1/notifications/read/", {"ids": [first["id"]]}, content_type="application/json"
    )
    assert response.json() == {"marked": 1, "unread_count": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert client.get("/api/v1/notifications/?unread=false").json()["count"] == 2
    refused = client.get("/api/v1/notifications/?unread=null")  # the document says boolean
    assert refused.status_code == 400 and "unread" in refused.json()["fields"]
    assert (
        client.post("/api/v1/notifications/read/", {}, content_type="application/json").json()["marked"] == 1
    )
    # Nobody marks someone else's notifications.
    as_user(client, private_team.owner)
    assert (
        client.post(
            "/api/v1/notifications/read/", {"ids": [first["id"]]}, content_type="application/json"
        ).json()["marked"]
        == 0
    )


def test_the_api_and_the_page_offer_every_field_project_update_changes():
    """One list (services.projects.EDITABLE_FIELDS) says what an editor may change."""
    from projects.api.serializers import ProjectWriteSerializer
    from projects.forms import ProjectForm
    from projects.services.projects import EDITABLE_FIELDS

    assert set(ProjectWriteSerializer().fields) == {*EDITABLE_FIELDS, "required_skills"}
    assert list(ProjectForm().fields) == list(EDITABLE_FIELDS)
