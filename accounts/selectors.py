"""Reads: accounts looked up by what people type."""

from __future__ import annotations

from accounts.models import User


def user_by_username(username: str) -> User | None:
    """The account named ``username`` in any casing (usernames are unique case-insensitively)."""
    return User.objects.filter(username__iexact=username.strip().lstrip("@")).first()
