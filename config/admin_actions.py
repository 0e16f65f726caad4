"""Admin actions that run a service on each selected row: the service decides (the same
rules as pages and the API), and the admin says how many changed and why the rest did not."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages

from config.errors import DomainError


def admin_action_each(
    modeladmin, request, rows: Iterable[Any], service: Callable[[Any], object], *, done: str
):
    """Call ``service(row)`` for each row; one success message ("3 projects archived.")
    and one warning naming each refused row with the service's reason."""
    changed, refused = 0, []
    for row in rows:
        try:
            service(row)
        except DomainError as error:
            refused.append(f"{row}: {error.detail}")
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{changed} {done}.", messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, "Not changed: " + " ".join(refused), messages.WARNING)
