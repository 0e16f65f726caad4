"""Browser pages: who sees what, the forms, the board's quick moves, the dashboard."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.tests.factories import UserFactory
from projects.models import Invitation, Membership, Notification, Project, ShareLink, Task
from projects.selectors import projects_public_for_user
from projects.services.invitations import invitation_create
from projects.tests.conftest import team_make
from projects.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    ProjectFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "stranger", "member", "maintainer", "owner"]
MEMBERS = {"member", "maintainer", "owner"}
MANAGERS = {"maintainer", "owner"}

PAGES = [
    ("", set(VIEWERS), False),
    ("edit/", MANAGERS, True),
    ("members/", MANAGERS, True),
    ("share-links/", MANAGERS, True),
]


def dashboard_ready(*users):
    """Users with a complete profile land on the dashboard (others go to the profile wizard)."""
    for user in users:
        user.profile_complete = True
        user.save(update_fields=["profile_complete"])


def login(client, team, who):
    if who != "anonymous":
        client.force_login(team.user(who))


@pytest.mark.parametrize("visibility", Project.Visibility.values)
@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize(("page", "allowed", "needs_login"), PAGES, ids=[p[0] or "detail" for p in PAGES])
def test_page_permission_matrix(client, visibility, who, page, allowed, needs_login):
    team = team_make(visibility)
    login(client, team, who)
    response = client.get(f"/projects/{team.project.slug}/{page}")
    readable = visibility == "public" or who in MEMBERS
    if who == "anonymous" and needs_login:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif not readable:
        assert response.status_code == 404
        assert team.project.name not in response.content.decode()
    elif who in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("visibility", Project.Visibility.values)
@pytest.mark.parametrize("who", VIEWERS)
def test_quick_status_change_matrix(client, visibility, who):
    team = team_make(visibility)
    task = TaskFactory(project=team.project)
    login(client, team, who)
    response = client.post(f"/projects/{team.project.slug}/tasks/{task.pk}/status/", {"status": "doing"})
    moved = Task.objects.get(pk=task.pk).status == "doing"
    readable = visibility == "public" or who in MEMBERS
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"] and not moved
    elif not readable:
        assert response.status_code == 404 and not moved
    else:
        assert response.status_code == 302
        assert moved is (who in MEMBERS)


def test_browse_lists_public_projects_with_search(client):
    ProjectFactory(name="Open Atlas", summary="Maps for all")
    ProjectFactory(name="Secret Lab", visibility="private")
    ProjectFactory(name="Quiet Corner", visibility="unlisted")
    ProjectFactory(name="Old Thing", status="archived")
    html = client.get("/projects/").content.decode()
    assert "Open Atlas" in html and "Old Thing" in html
    assert "Secret Lab" not in html and "Quiet Corner" not in html
    html = client.get("/projects/?q=maps&status=recruiting").content.decode()
    assert "Open Atlas" in html and "Old Thing" not in html


def test_browse_by_skill(client):
    owner = UserFactory()
    client.force_login(owner)
    client.post(
        "/projects/new/",
        {
            "name": "Rusty",
            "status": "recruiting",
            "visibility": "public",
            "team_size": 3,
            "min_overlap_hours": 0,
            "skills-TOTAL_FORMS": 1,
            "skills-INITIAL_FORMS": 0,
            "skills-0-skill": "postgres",
            "skills-0-importance": "must",
        },
    )
    ProjectFactory(name="Other")
    html = client.get("/projects/?skill=PostgreSQL").content.decode()
    assert "Rusty" in html and "Other" not in html


def test_create_a_project_with_required_skills(client):
    owner = UserFactory()
    client.force_login(owner)
    response = client.post(
        "/projects/new/",
        {
            "name": "Open Atlas",
            "summary": "Maps",
            "description": '**Bold** <script>alert(\'x\')</script> <a href="javascript:alert(1)" onclick="x()">y</a>',
            "status": "recruiting",
            "visibility": "private",
            "team_size": 4,
            "timezone": "Europe/Berlin",
            "min_overlap_hours": 2,
            "tags": "maps, gis",
            "skills-TOTAL_FORMS": 3,
            "skills-INITIAL_FORMS": 0,
            "skills-0-skill": "postgres",
            "skills-0-importance": "must",
            "skills-0-min_level": "senior",
            "skills-1-skill": "Leaflet",
            "skills-1-importance": "nice",
            "skills-2-skill": "",
            "skills-2-importance": "must",
        },
    )
    project = Project.objects.get(slug="open-atlas")
    assert response.status_code == 302 and response["Location"] == "/projects/open-atlas/"
    assert [(r.skill.name, r.importance, r.min_level) for r in project.required_skills.all()] == [
        ("PostgreSQL", "must", "senior"),
        ("Leaflet", "nice", ""),
    ]
    html = client.get("/projects/open-atlas/").content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html and "javascript:alert" not in html and 'onclick="x()"' not in html
    assert "PostgreSQL" in html and "Europe/Berlin" in html


def test_create_form_shows_field_errors(client):
    client.force_login(UserFactory())
    response = client.post(
        "/projects/new/",
        {
            "name": "",
            "status": "idea",
            "visibility": "public",
            "team_size": 0,
            "timezone": "Mars/Base",
            "min_overlap_hours": 0,
            "skills-TOTAL_FORMS": 0,
            "skills-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name", "team_size", "timezone"}
    assert not Project.objects.exists()


def test_maintainers_edit_but_cannot_change_visibility(client, team):
    client.force_login(team.maintainer)
    form = client.get(f"/projects/{team.project.slug}/edit/").context["form"]
    assert form.fields["visibility"].disabled
    data = {
        "name": "Renamed",
        "summary": "",
        "description": "",
        "status": "active",
        "visibility": "private",  # ignored: the field is disabled for maintainers
        "team_size": 5,
        "timezone": "",
        "min_overlap_hours": 0,
        "repository_url": "",
        "tags": "",
        "skills-TOTAL_FORMS": 1,
        "skills-INITIAL_FORMS": 0,
        "skills-0-skill": "Go",
        "skills-0-importance": "must",
    }
    response = client.post(f"/projects/{team.project.slug}/edit/", data)
    assert response.status_code == 302
    project = Project.objects.get(pk=team.project.pk)
    assert (project.name, project.status, project.visibility) == ("Renamed", "active", "public")
    assert [r.skill.name for r in project.required_skills.all()] == ["Go"]
    client.force_login(team.owner)
    client.post(f"/projects/{team.project.slug}/edit/", data)
    assert Project.objects.get(pk=team.project.pk).visibility == "private"


def test_owner_deletes_with_confirmation(client, team):
    client.force_login(team.owner)
    client.post(f"/projects/{team.project.slug}/delete/", {"confirm": "wrong"})
    assert Project.objects.filter(pk=team.project.pk).exists()
    client.force_login(team.maintainer)
    client.post(f"/projects/{team.project.slug}/delete/", {"confirm": team.project.slug})
    assert Project.objects.filter(pk=team.project.pk).exists()
    client.force_login(team.owner)
    response = client.post(f"/projects/{team.project.slug}/delete/", {"confirm": team.project.slug})
    assert response.status_code == 302 and not Project.objects.filter(pk=team.project.pk).exists()


def test_transfer_ownership_page(client, team):
    client.force_login(team.owner)
    client.post(f"/projects/{team.project.slug}/transfer/", {"new_owner": team.member.pk})
    assert Project.objects.get(pk=team.project.pk).owner == team.member


def test_members_page_invites_and_revokes(client, team):
    invitee = UserFactory(username="linus")
    client.force_login(team.maintainer)
    response = client.post(f"/projects/{team.project.slug}/members/", {"invitee": "linus", "message": "Hi"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(project=team.project, user=invitee)
    html = client.get(f"/projects/{team.project.slug}/members/").content.decode()
    assert "linus" in html
    response = client.post(f"/projects/{team.project.slug}/members/", {"invitee": "nobody-here"})
    assert response.status_code == 200 and "nobody-here" in response.content.decode()
    client.post(f"/projects/{team.project.slug}/invitations/{invitation.pk}/revoke/")
    assert Invitation.objects.get(pk=invitation.pk).status == "revoked"


def test_roles_and_removal_from_the_members_page(client, team):
    client.force_login(team.owner)
    client.post(f"/projects/{team.project.slug}/members/{team.member.username}/role/", {"role": "maintainer"})
    assert Membership.objects.get(project=team.project, user=team.member).role == "maintainer"
    client.force_login(team.maintainer)
    response = client.post(f"/projects/{team.project.slug}/members/{team.member.username}/remove/")
    assert response.status_code == 302  # refused with a message: only the owner removes maintainers
    assert Membership.objects.filter(project=team.project, user=team.member).exists()
    client.force_login(team.owner)
    client.post(f"/projects/{team.project.slug}/members/{team.member.username}/remove/")
    assert not Membership.objects.filter(project=team.project, user=team.member).exists()


def test_join_request_from_the_page_and_answer_from_the_dashboard(client, team):
    client.force_login(team.stranger)
    html = client.get(f"/projects/{team.project.slug}/").content.decode()
    assert "Ask to join" in html
    client.post(f"/projects/{team.project.slug}/join/", {"message": "Let me help"})
    assert "You asked to join" in client.get(f"/projects/{team.project.slug}/").content.decode()
    dashboard_ready(team.owner)
    client.force_login(team.owner)
    html = client.get("/").content.decode()
    assert "asks to join" in html and "Let me help" in html
    join_request = team.project.join_requests.get()
    client.post(f"/projects/join-requests/{join_request.pk}/accept/", {"next": "/"})
    assert Membership.objects.filter(project=team.project, user=team.stranger).exists()


def test_invitee_accepts_from_the_dashboard(client, private_team):
    invitee = UserFactory()
    dashboard_ready(invitee)
    invitation = invitation_create(
        actor=private_team.owner, project=private_team.project, username=invitee.username
    )
    client.force_login(invitee)
    html = client.get("/").content.decode()
    assert "Invitations and requests" in html and private_team.project.name in html
    assert "1 unread" in html
    response = client.post(f"/projects/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302 and response["Location"] == private_team.project.get_absolute_url()
    assert Membership.objects.filter(project=private_team.project, user=invitee).exists()
    # Accepting twice says so, without a second membership.
    response = client.post(f"/projects/invitations/{invitation.pk}/accept/", follow=True)
    assert "already accepted" in response.content.decode()


def test_someone_elses_invitation_is_a_404(client, private_team):
    invitation = InvitationFactory(project=private_team.project)
    client.force_login(private_team.stranger)
    assert client.post(f"/projects/invitations/{invitation.pk}/accept/").status_code == 404
    assert client.post(f"/projects/invitations/{invitation.pk}/decline/").status_code == 404


def test_expired_invitation_from_the_dashboard(client, private_team):
    invitation = InvitationFactory(
        project=private_team.project,
        user=private_team.stranger,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    dashboard_ready(private_team.stranger)
    client.force_login(private_team.stranger)
    assert private_team.project.name not in client.get("/").content.decode()
    response = client.post(f"/projects/invitations/{invitation.pk}/accept/", follow=True)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(project=private_team.project, user=private_team.stranger).exists()


def test_notifications_are_marked_read_when_opened(client, team):
    TaskFactory(project=team.project)
    invitation_create(actor=team.owner, project=team.project, username=team.stranger.username)
    notification = Notification.objects.get(recipient=team.stranger)
    dashboard_ready(team.stranger)
    client.force_login(team.stranger)
    assert "1 unread" in client.get("/").content.decode()
    response = client.post(f"/projects/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == team.project.get_absolute_url()
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    panel = client.get("/").content.decode().split('id="notifications-panel"')[1].split("</header>")[0]
    assert '<span class="badge unread-count" hidden>' in panel
    client.force_login(team.member)
    assert client.post(f"/projects/notifications/{notification.pk}/").status_code == 404


def test_mark_all_read_and_email_preference(client, team):
    for _ in range(3):
        Notification.objects.create(recipient=team.member, kind="task_assigned", text="x", url="/")
    client.force_login(team.member)
    client.post("/projects/notifications/read/")
    assert not Notification.objects.filter(recipient=team.member, read_at__isnull=True).exists()
    client.post("/projects/notifications/email/", {})
    assert team.member.notification_preference.email_enabled is False


def test_share_link_page_counts_views_and_dies_when_revoked(client, private_team):
    TaskFactory(project=private_team.project, title="Secret plan")
    link = private_team.share_link
    response = client.get(f"/projects/shared/{link.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret plan" in html and "share link" in html
    assert "→ Doing" not in html  # read-only: no quick moves
    assert ShareLink.objects.get(pk=link.pk).views == 1
    client.force_login(private_team.maintainer)
    client.post(f"/projects/{private_team.project.slug}/share-links/{link.pk}/revoke/")
    client.logout()
    assert client.get(f"/projects/shared/{link.token}/").status_code == 404


def test_share_links_page_creates_links(client, private_team):
    client.force_login(private_team.owner)
    client.post(f"/projects/{private_team.project.slug}/share-links/", {"expires_in_days": "7"})
    link = ShareLink.objects.filter(project=private_team.project).latest("created_at")
    assert link.expires_at > timezone.now() + timedelta(days=6)
    html = client.get(f"/projects/{private_team.project.slug}/share-links/").content.decode()
    assert link.token in html


def test_board_adds_tasks_and_milestones(client, team):
    client.force_login(team.maintainer)
    client.post(f"/projects/{team.project.slug}/milestones/new/", {"milestone-title": "MVP"})
    milestone = team.project.milestones.get()
    client.post(
        f"/projects/{team.project.slug}/tasks/new/",
        {
            "task-title": "Write the importer",
            "task-status": "todo",
            "task-priority": 3,
            "task-assignee": team.member.pk,
            "task-milestone": milestone.pk,
        },
    )
    task = team.project.tasks.get()
    assert (task.assignee, task.milestone) == (team.member, milestone)
    html = client.get(f"/projects/{team.project.slug}/").content.decode()
    assert "Write the importer" in html and "MVP" in html
    client.force_login(team.member)
    html = client.get(f"/projects/{team.project.slug}/").content.decode()
    assert "Add a task with details" in html and "→ Doing" in html  # members add tasks too
    assert "Add a milestone" not in html


def test_team_shows_roles(client, team):
    html = client.get(f"/projects/{team.project.slug}/").content.decode()
    assert team.owner.username in html or team.owner.get_full_name() in html
    assert "Maintainer" in html and "Owner" in html


def test_public_projects_selector_and_template():
    user = UserFactory()
    owned = ProjectFactory(owner=user, name="Mine public")
    joined = ProjectFactory(name="Joined public")
    MembershipFactory(project=joined, user=user)
    ProjectFactory(owner=user, visibility="private", name="Mine private")
    JoinRequestFactory(user=user)  # asking is not belonging
    projects = list(projects_public_for_user(user))
    assert {p.pk for p in projects} == {owned.pk, joined.pk}
    html = render_to_string("projects/_public_projects.html", {"projects": projects})
    assert "Mine public" in html and "Joined public" in html and "Mine private" not in html


@pytest.mark.parametrize("visibility", ["unlisted", "private"])
def test_a_share_link_opens_only_its_own_read_only_view(client, visibility):
    team = team_make(visibility)
    task = TaskFactory(project=team.project)
    client.force_login(team.stranger)  # a logged-in holder gains nothing beyond reading
    assert client.get(team.share_link.get_absolute_url()).status_code == 200
    assert client.get(f"/projects/{team.project.slug}/").status_code == 404
    assert (
        client.post(f"/projects/{team.project.slug}/tasks/{task.pk}/status/", {"status": "done"}).status_code
        == 404
    )
    assert client.post(f"/projects/{team.project.slug}/join/").status_code == 404
    assert Task.objects.get(pk=task.pk).status == "todo"


def test_members_opening_a_share_link_get_the_normal_page(client, private_team):
    client.force_login(private_team.member)
    response = client.get(private_team.share_link.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == private_team.project.get_absolute_url()


def test_project_page_query_count_does_not_grow_with_the_board(client, django_assert_max_num_queries, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(team.member)
    url = f"/projects/{team.project.slug}/"
    TaskFactory(project=team.project, assignee=team.member)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        member = MembershipFactory(project=team.project).user
        TaskFactory(project=team.project, assignee=member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_members_edit_and_assign_tasks(client, team):
    task = TaskFactory(project=team.project, title="Draft", created_by=team.member)
    url = f"/projects/{team.project.slug}/tasks/{task.pk}/"
    client.force_login(team.stranger)
    assert client.get(url).status_code == 403  # public project: visible, not editable
    client.force_login(team.member)
    assert client.get(url).status_code == 200
    someone_elses = TaskFactory(project=team.project, title="Theirs")
    assert client.get(f"/projects/{team.project.slug}/tasks/{someone_elses.pk}/").status_code == 403
    response = client.post(
        url,
        {
            "title": "Final",
            "status": "doing",
            "priority": 4,
            "assignee": team.maintainer.pk,
            "required_skill": "psql",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.status, task.assignee, task.required_skill.name) == (
        "Final",
        "doing",
        team.maintainer,
        "PostgreSQL",
    )
    assert Notification.objects.filter(recipient=team.maintainer, kind="task_assigned").exists()
    response = client.post(
        url, {"title": "Final", "status": "doing", "priority": 4, "assignee": team.stranger.pk}
    )
    assert response.status_code == 200 and "assignee" in response.context["form"].errors


def test_hidden_tasks_are_404(client, private_team):
    task = TaskFactory(project=private_team.project)
    client.force_login(private_team.stranger)
    assert client.get(f"/projects/{private_team.project.slug}/tasks/{task.pk}/").status_code == 404


# -- the live board ----------------------------------------------------------------------
def test_members_page_follows_the_project_socket_and_visitors_do_not(client, team):
    """Only members get the live board (the socket refuses everyone else with 4403)."""
    url = team.project.get_absolute_url()
    client.force_login(team.member)
    assert f'data-live-socket="/ws/projects/{team.project.slug}/room/"' in client.get(url).content.decode()
    client.force_login(team.stranger)
    html = client.get(url).content.decode()
    assert "data-live-socket" not in html and "project_live.js" not in html


def test_board_fragment_renders_the_live_parts_for_the_viewer(client, team):
    moved = TaskFactory(project=team.project, title="Wire the socket", status="doing")
    client.force_login(team.member)
    html = client.get(f"/projects/{team.project.slug}/board/").content.decode()
    assert 'id="board-columns"' in html and 'id="milestone-list"' in html and 'id="board-count"' in html
    assert f'id="task-{moved.pk}"' in html and "1 task" in html
    assert f"Move “{moved.title}” to Done" in html  # members move cards
    assert f"Delete “{moved.title}”" not in html  # only maintainers delete
    client.force_login(team.owner)
    assert f"Delete “{moved.title}”" in client.get(f"/projects/{team.project.slug}/board/").content.decode()


@pytest.mark.parametrize("who, status", [("stranger", 404), ("member", 200)])
def test_board_fragment_of_a_private_project_is_for_members(client, private_team, who, status):
    client.force_login(private_team.user(who))
    assert client.get(f"/projects/{private_team.project.slug}/board/").status_code == status


def test_board_fragment_asks_a_constant_number_of_queries(client, team, django_assert_num_queries):
    """Re-read on every live event by every open page: the cost must not grow with the board."""
    client.force_login(team.member)
    url = f"/projects/{team.project.slug}/board/"
    TaskFactory(project=team.project)
    client.get(url)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for _ in range(5):
        TaskFactory(project=team.project, assignee=team.member)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# -- the header's notification bell --------------------------------------------------------
def test_the_header_bell_shows_the_unread_count(client, team):
    dashboard_ready(team.member)
    client.force_login(team.member)
    html = client.get("/projects/").content.decode()
    assert 'aria-label="Notifications"' in html and 'data-notifications-socket="/ws/notifications/"' in html
    for _ in range(3):
        Notification.objects.create(recipient=team.member, kind="task_assigned", text="x", url="/")
    Notification.objects.create(recipient=team.owner, kind="task_assigned", text="not theirs", url="/")
    html = client.get("/projects/").content.decode()
    assert 'aria-label="Notifications, 3 unread"' in html


def test_visitors_have_no_bell(client):
    assert "nav-bell" not in client.get("/projects/").content.decode()


def test_the_board_sits_near_the_top_and_cards_show_what_the_viewer_may_do(client, team):
    own = TaskFactory(project=team.project, title="Mine", created_by=team.member)
    TaskFactory(project=team.project, title="Theirs", assignee=team.maintainer)
    client.force_login(team.member)
    html = client.get(f"/projects/{team.project.slug}/").content.decode()
    assert html.index('id="board"') < html.index('id="milestones"') < html.index("</main>")
    assert html.index('id="board"') < html.index('id="team-heading"')
    edit = f"/projects/{team.project.slug}/tasks/"
    assert f'href="{edit}{own.pk}/"' in html  # their own task: edit link and ✕
    assert html.count('class="task-delete"') == 1 and 'aria-label="Delete “Mine”"' in html
    assert html.count('draggable="true"') == 2  # both cards move
    assert html.count('class="quick-add"') == 3  # "+ Add task" in every column
    assert html.count('class="task-assignee"') == 1 and '<svg class="avatar" width="22"' in html


def test_quick_add_puts_a_task_in_its_column(client, team):
    client.force_login(team.member)
    response = client.post(
        f"/projects/{team.project.slug}/tasks/new/",
        {"quick": "1", "quick-title": "Write tests", "quick-status": "doing"},
    )
    task = Task.objects.get(project=team.project)
    assert response.status_code == 302 and response["Location"].endswith(f"#task-{task.pk}")
    assert (task.title, task.status, task.created_by) == ("Write tests", "doing", team.member)
    response = client.post(
        f"/projects/{team.project.slug}/tasks/new/", {"quick": "1", "quick-status": "todo"}
    )
    assert Task.objects.filter(project=team.project).count() == 1  # a title is needed


def test_deleting_a_task_asks_first(client, team):
    task = TaskFactory(project=team.project, title="Old idea", created_by=team.member)
    url = f"/projects/{team.project.slug}/tasks/{task.pk}/delete/"
    client.force_login(team.member)
    page = client.get(url)
    assert page.status_code == 200 and "Delete “Old idea”?" in page.content.decode()
    assert Task.objects.filter(pk=task.pk).exists()
    assert client.post(url).status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    theirs = TaskFactory(project=team.project, title="Not mine")
    client.post(f"/projects/{team.project.slug}/tasks/{theirs.pk}/delete/")
    assert Task.objects.filter(pk=theirs.pk).exists()  # members delete only what they created


def test_members_page_fits_a_phone_and_invites_by_picking_people(client, team):
    from profiles.tests.factories import ProfileFactory

    ProfileFactory(user=team.member, display_name="Grace Hopper")
    client.force_login(team.owner)
    html = client.get(f"/projects/{team.project.slug}/members/").content.decode()
    assert 'class="members-table"' in html and 'data-label="Role"' in html
    assert "Grace Hopper" in html and ">GH</text>" in html
    assert "data-people-autocomplete" in html and "js/profiles.js" in html
