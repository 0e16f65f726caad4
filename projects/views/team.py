"""The team pages: members & invitations, join requests, share links, joining and leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.selectors import user_by_username
from config.errors import DomainError, domain_error_to_form
from projects import selectors
from projects.forms import ROLE_CHOICES, InvitationForm, JoinRequestForm, MemberRoleForm, ShareLinkForm
from projects.models import Invitation, JoinRequest
from projects.permissions import Action
from projects.services import invitations, join_requests, membership, share_links
from projects.views.access import back_to, form_action, project_for_page


def _members_url(project) -> str:
    return reverse("projects:members", kwargs={"slug": project.slug})


@login_required
def members_page(request, slug: str):
    project, access = project_for_page(request, slug, Action.VIEW_TEAM_ADMIN)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invitation_create(
                actor=request.user, project=project, **form.service_fields()
            )
        except DomainError as exc:
            domain_error_to_form(exc, form, field="invitee")
        else:
            messages.success(request, f"Invitation sent to {invitation.user or invitation.email}.")
            return redirect(_members_url(project))
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "access": access,
            "allowed": access.allowed,
            "members": selectors.members_of(project, viewer=request.user),
            "invitations": selectors.invitations_of(project).filter(status=Invitation.Status.PENDING),
            "join_requests": selectors.join_requests_of(project).filter(status=JoinRequest.Status.PENDING),
            "form": form,
            "role_choices": ROLE_CHOICES,
        },
    )


@login_required
@require_POST
@form_action
def member_role(request, slug: str, username: str):
    project, _ = project_for_page(request, slug)
    form = MemberRoleForm(request.POST)
    user = user_by_username(username)
    if user is None or not form.is_valid():
        raise Http404
    membership.member_role_set(actor=request.user, project=project, user=user, role=form.cleaned_data["role"])
    messages.success(request, f"{user.username} is now {form.cleaned_data['role']}.")
    return redirect(_members_url(project))


@login_required
@require_POST
@form_action
def member_remove(request, slug: str, username: str):
    project, _ = project_for_page(request, slug)
    user = user_by_username(username)
    if user is None:
        raise Http404
    membership.member_remove(actor=request.user, project=project, user=user)
    messages.success(request, f"{user.username} was removed from the team.")
    return redirect(_members_url(project))


@login_required
@require_POST
@form_action
def project_leave(request, slug: str):
    project, _ = project_for_page(request, slug)
    membership.member_leave(user=request.user, project=project)
    messages.success(request, f"You left {project.name}.")
    return redirect("projects:list")


@login_required
@require_POST
@form_action
def project_join(request, slug: str):
    project, _ = project_for_page(request, slug)
    form = JoinRequestForm(request.POST)
    message = form.cleaned_data.get("message", "") if form.is_valid() else ""
    join_requests.join_request_create(user=request.user, project=project, message=message)
    messages.success(request, "Request sent. The maintainers will answer soon.")
    return redirect(project.get_absolute_url())


def _invitation_get(pk: int) -> Invitation:
    invitation = selectors.invitation_by_id(pk)
    if invitation is None:
        raise Http404
    return invitation


@login_required
@require_POST
@form_action
def invitation_accept(request, pk: int):
    invitation = _invitation_get(pk)
    invitations.invitation_accept(invitation=invitation, user=request.user)
    messages.success(request, f"Welcome to {invitation.project.name}!")
    return redirect(invitation.project.get_absolute_url())


@login_required
@require_POST
@form_action
def invitation_decline(request, pk: int):
    invitation = _invitation_get(pk)
    invitations.invitation_decline(invitation=invitation, user=request.user)
    messages.info(request, f"You declined the invitation to {invitation.project.name}.")
    return redirect(back_to(request, reverse("home")))


@login_required
@require_POST
@form_action
def invitation_revoke(request, slug: str, pk: int):
    project, _ = project_for_page(request, slug)
    invitation = selectors.invitations_of(project).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    invitations.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, "Invitation revoked.")
    return redirect(_members_url(project))


def _join_request_get(pk: int) -> JoinRequest:
    join_request = selectors.join_request_by_id(pk)
    if join_request is None:
        raise Http404
    return join_request


@login_required
@require_POST
@form_action
def join_request_accept(request, pk: int):
    join_request = _join_request_get(pk)
    join_requests.join_request_accept(actor=request.user, join_request=join_request)
    messages.success(request, f"{join_request.user.username} joined {join_request.project.name}.")
    return redirect(back_to(request, _members_url(join_request.project)))


@login_required
@require_POST
@form_action
def join_request_decline(request, pk: int):
    join_request = _join_request_get(pk)
    join_requests.join_request_decline(actor=request.user, join_request=join_request)
    messages.info(request, f"You declined {join_request.user.username}'s request.")
    return redirect(back_to(request, _members_url(join_request.project)))


@login_required
def share_links_page(request, slug: str):
    project, access = project_for_page(request, slug, Action.SHARE_LINK_MANAGE)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            share_links.share_link_create(actor=request.user, project=project, expires_at=form.expires_at())
        except DomainError as exc:
            domain_error_to_form(exc, form)
        else:
            messages.success(request, "Share link created.")
            return redirect("projects:share-links", slug=project.slug)
    return render(
        request,
        "projects/share_links.html",
        {
            "project": project,
            "access": access,
            "links": selectors.share_links_of(project),
            "form": form,
        },
    )


@login_required
@require_POST
@form_action
def share_link_revoke(request, slug: str, pk: int):
    project, _ = project_for_page(request, slug)
    link = selectors.share_links_of(project).filter(pk=pk).first()
    if link is None:
        raise Http404
    share_links.share_link_revoke(actor=request.user, share_link=link)
    messages.success(request, "Share link revoked: it no longer opens the project.")
    return redirect("projects:share-links", slug=project.slug)
