"""Notifications from the dashboard: opening one marks it read; or mark all read at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from projects.services.notifications import (
    notification_open,
    notification_preference_set,
    notifications_mark_read,
)
from projects.views.access import form_action


@login_required
@require_POST
@form_action
def notification_follow(request, pk: int):
    """Mark the notification read and go where it points (a POST: reading changes state)."""
    notification = notification_open(user=request.user, notification_id=pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_read(user=request.user)
    messages.info(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("home")


@login_required
@require_POST
def notification_email_preference(request):
    enabled = request.POST.get("email_enabled") == "on"
    notification_preference_set(user=request.user, email_enabled=enabled)
    messages.success(
        request, "We will email you about project events." if enabled else "Project emails are off."
    )
    return redirect("home")
