"""The task board and milestones: small POST forms (htmx swaps the board in place)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.errors import DomainError, domain_error_to_form
from projects import selectors
from projects.forms import MilestoneForm, QuickTaskForm, TaskForm, TaskStatusForm
from projects.models import Task
from projects.permissions import Action
from projects.services import board
from projects.views.access import form_action, project_for_page


def _task_get(project, pk: int) -> Task:
    task = selectors.tasks_of(project).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[f].label or f}: {' '.join(e)}" if f != "__all__" else " ".join(e)
        for f, e in form.errors.items()
    )


@login_required
@require_POST
@form_action
def task_create(request, slug: str):
    """The full form under the board, or a column's quick "+ Add task" (``quick``)."""
    project, _ = project_for_page(request, slug)
    if "quick" in request.POST:
        form: QuickTaskForm | TaskForm = QuickTaskForm(request.POST, prefix="quick")
    else:
        form = TaskForm(request.POST, project=project, prefix="task")
    if not form.is_valid():
        messages.error(request, f"The task was not added. {_form_errors(form)}")
        return redirect(f"{project.get_absolute_url()}#board")
    task = board.task_create(actor=request.user, project=project, **form.cleaned_data)
    messages.success(request, f"Added “{task.title}”.")
    return redirect(f"{project.get_absolute_url()}#task-{task.pk}")


@login_required
def task_edit(request, slug: str, pk: int):
    """Edit a task: maintainers any task, members the ones they created or are assigned to."""
    project, access = project_for_page(request, slug, Action.TASK_EDIT)
    task = _task_get(project, pk)
    if not access.can_task(Action.TASK_EDIT, task):
        raise PermissionDenied("Members edit the tasks they created or are assigned to.")
    initial = {"required_skill": task.required_skill.name if task.required_skill else ""}
    form = TaskForm(request.POST or None, instance=task, initial=initial, project=project)
    if request.method == "POST" and form.is_valid():
        fresh = _task_get(project, pk)  # the form wrote its values onto ``task``
        try:
            board.task_update(actor=request.user, task=fresh, **form.cleaned_data)
        except DomainError as exc:
            domain_error_to_form(exc, form)
        else:
            messages.success(request, f"Saved “{fresh.title}”.")
            return redirect(f"{project.get_absolute_url()}#task-{fresh.pk}")
    return render(
        request,
        "projects/task_form.html",
        {
            "project": project,
            "task": task,
            "form": form,
            "allowed": access.allowed,
            "can_delete": access.can_task(Action.TASK_DELETE, task),
        },
    )


@login_required
@require_POST
@form_action
def task_status(request, slug: str, pk: int):
    project, _ = project_for_page(request, slug)
    task = _task_get(project, pk)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to do, doing or done.")
    else:
        board.task_status_set(actor=request.user, task=task, status=form.cleaned_data["status"])
    return redirect(f"{project.get_absolute_url()}#task-{task.pk}")


@login_required
@form_action
def task_delete(request, slug: str, pk: int):
    """GET asks (the page the board's ✕ opens without JavaScript; with it, a dialog asks);
    POST deletes."""
    project, access = project_for_page(request, slug)
    task = _task_get(project, pk)
    if request.method != "POST":
        access.ensure_task(Action.TASK_DELETE, task)
        return render(request, "projects/task_confirm_delete.html", {"project": project, "task": task})
    board.task_delete(actor=request.user, task=task)
    messages.success(request, f"Deleted “{task.title}”.")
    return redirect(f"{project.get_absolute_url()}#board")


@login_required
@require_POST
@form_action
def milestone_create(request, slug: str):
    project, _ = project_for_page(request, slug)
    form = MilestoneForm(request.POST, prefix="milestone")
    if not form.is_valid():
        messages.error(request, f"The milestone was not added. {_form_errors(form)}")
    else:
        board.milestone_create(actor=request.user, project=project, **form.cleaned_data)
        messages.success(request, "Milestone added.")
    return redirect(f"{project.get_absolute_url()}#milestones")
