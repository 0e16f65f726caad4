"""Browse, create, read, edit and delete projects; the share-link page."""

from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from config.errors import DomainError, NotFound, domain_error_to_form
from config.http_cache import public_when_anonymous
from projects import selectors
from projects.forms import (
    JoinRequestForm,
    MilestoneForm,
    ProjectForm,
    RequiredSkillFormSet,
    TaskForm,
    TransferForm,
    required_skills_initial,
    timezone_names,
)
from projects.models import Project, Task
from projects.permissions import Access, Action, access_for
from projects.services import membership
from projects.services.projects import project_create, project_delete, project_update
from projects.services.share_links import share_link_open
from projects.views.access import form_action, project_for_page

PAGE_SIZE = 12


def project_list(request):
    text = request.GET.get("q", "").strip()
    skill = request.GET.get("skill", "").strip()
    status = request.GET.get("status", "")
    if status not in Project.Status.values:
        status = ""
    mine = request.GET.get("mine") == "1" and request.user.is_authenticated
    queryset = selectors.projects_search(user=request.user, text=text, skill=skill, status=status, mine=mine)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "filters": {"q": text, "skill": skill, "status": status, "mine": mine},
            "statuses": Project.Status.choices,
            "query": query.urlencode(),
        },
    )


def _form_context(form, skills_formset, **extra) -> dict:
    return {"form": form, "skills_formset": skills_formset, "timezone_names": timezone_names(), **extra}


@login_required
def project_new(request):
    form = ProjectForm(request.POST or None)
    skills_formset = RequiredSkillFormSet(request.POST or None, prefix="skills")
    if request.method == "POST" and form.is_valid() and skills_formset.is_valid():
        try:
            with transaction.atomic():
                project = project_create(
                    owner=request.user, required_skills=skills_formset.items(), **form.service_fields()
                )
        except DomainError as exc:
            domain_error_to_form(exc, form)
        else:
            messages.success(request, f"{project.name} is created. Invite your team next.")
            return redirect(project.get_absolute_url())
    return render(request, "projects/form.html", _form_context(form, skills_formset, creating=True))


def _board(project: Project, tasks, access: Access, *, read_only: bool = False) -> list[dict]:
    """The columns; each task knows what the viewer may do with it (``can_move``,
    ``can_edit``, ``can_delete``: projects.permissions) for the card partial."""
    columns: dict[str, list[Task]] = {status: [] for status in Task.Status.values}
    can_move = not read_only and access.can(Action.TASK_UPDATE)
    for task in tasks:
        task.can_move = can_move  # type: ignore[attr-defined]
        task.can_edit = not read_only and access.can_task(Action.TASK_EDIT, task)  # type: ignore[attr-defined]
        task.can_delete = not read_only and access.can_task(Action.TASK_DELETE, task)  # type: ignore[attr-defined]
        columns[task.status].append(task)
    return [
        {"status": status, "label": label, "tasks": columns[status], "moves": _moves(status)}
        for status, label in Task.Status.choices
    ]


def _moves(status: str) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Task.Status.choices if value != status]


def _board_context(project: Project, access: Access, *, share_token: str = "") -> dict:
    """What the milestone list and the board columns render (the page and its fragment)."""
    tasks = list(selectors.tasks_of(project))
    return {
        "project": project,
        "access": access,
        "allowed": access.allowed,
        "milestones": list(selectors.milestones_of(project)),
        "board": _board(project, tasks, access, read_only=bool(share_token)),
        "task_count": len(tasks),
        "share_token": share_token,
    }


def _detail_context(request, project: Project, access: Access, *, share_token: str = "") -> dict:
    members = list(selectors.members_of(project, viewer=request.user))
    context = {
        **_board_context(project, access, share_token=share_token),
        "description_html": project.description_html,
        "required_skills": list(project.required_skills.all()),
        "members": members,
    }
    user = request.user
    if user.is_authenticated and not share_token:
        context["my_invitations"] = list(selectors.invitations_open_for_user(user).filter(project=project))
        context["my_join_request"] = selectors.join_request_pending(project=project, user=user)
        if access.can(Action.REQUEST_JOIN):
            context["join_form"] = JoinRequestForm()
        if access.can(Action.TASK_CREATE):
            context["task_form"] = TaskForm(project=project, prefix="task")
        if access.can(Action.MILESTONE_MANAGE):
            context["milestone_form"] = MilestoneForm(prefix="milestone")
        # Sections other apps add to the page (settings.PROJECT_PAGE_PANELS: the agents'
        # buttons), listed in settings so projects/ imports none of them.
        context["extra_panels"] = [
            panel
            for panels in settings.PROJECT_PAGE_PANELS
            for panel in import_string(panels)(request, project=project, access=access)
        ]
    return context


@public_when_anonymous(max_age=60)
def project_detail(request, slug: str):
    project, access = project_for_page(request, slug)
    return render(request, "projects/detail.html", _detail_context(request, project, access))


@login_required
def board_fragment(request, slug: str):
    """The board's live parts (task count, milestones, columns) as the viewer sees them:
    what a member's open page re-reads when the project socket says the board changed."""
    project, access = project_for_page(request, slug, Action.VIEW)
    return render(request, "projects/board_fragment.html", _board_context(project, access))


def project_shared(request, token: str):
    """A project read through its share link: read-only whoever the visitor is."""
    try:
        link = share_link_open(token=token)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    project = selectors.project_detail(link.project.slug) or link.project
    member_access = access_for(request.user, project)
    if member_access.is_member:  # members get their normal page
        return redirect(project.get_absolute_url())
    access = access_for(None, project, share_link=link)
    context = _detail_context(request, project, access, share_token=token)
    context["share_link"] = link
    return render(request, "projects/detail.html", context)


@login_required
def project_edit(request, slug: str):
    project, access = project_for_page(request, slug, Action.EDIT)
    can_change_visibility = access.can(Action.VISIBILITY_CHANGE)
    # ModelForm validation writes the values onto its instance: it gets a copy, and the
    # service applies the changes to ``project``.
    form = ProjectForm(
        request.POST or None, instance=copy.copy(project), can_change_visibility=can_change_visibility
    )
    skills_formset = RequiredSkillFormSet(
        request.POST or None,
        prefix="skills",
        initial=None if request.POST else required_skills_initial(project),
    )
    if request.method == "POST" and form.is_valid() and skills_formset.is_valid():
        try:
            with transaction.atomic():
                project_update(
                    actor=request.user,
                    project=project,
                    required_skills=skills_formset.items(),
                    **form.service_fields(),
                )
        except DomainError as exc:
            domain_error_to_form(exc, form)
        else:
            messages.success(request, "Project saved.")
            return redirect(project.get_absolute_url())
    context = _form_context(form, skills_formset, project=project, access=access, allowed=access.allowed)
    if access.can(Action.TRANSFER):
        context["transfer_form"] = TransferForm(project=project)
    return render(request, "projects/form.html", context)


@login_required
@require_POST
@form_action
def project_delete_view(request, slug: str):
    project, _ = project_for_page(request, slug)
    if request.POST.get("confirm") != project.slug:
        messages.error(request, "Type the project's slug to confirm the deletion.")
        return redirect("projects:edit", slug=project.slug)
    name = project.name
    project_delete(actor=request.user, project=project)
    messages.success(request, f"{name} was deleted.")
    return redirect("projects:list")


@login_required
@require_POST
@form_action
def project_transfer(request, slug: str):
    project, _ = project_for_page(request, slug)
    form = TransferForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, "Choose a member of the project.")
        return redirect("projects:edit", slug=project.slug)
    membership.ownership_transfer(
        actor=request.user, project=project, new_owner=form.cleaned_data["new_owner"]
    )
    messages.success(request, f"{form.cleaned_data['new_owner'].username} now owns {project.name}.")
    return redirect(project.get_absolute_url())
