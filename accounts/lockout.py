"""Account lockout: 5 consecutive failed logins lock an account for 15 minutes.

One implementation for every way in: the API token endpoint calls these functions
directly; browser (allauth) and admin logins reach them through Django's
``user_login_failed`` / ``user_logged_in`` signals and the checks in
``accounts.adapter`` and ``accounts.admin_site``. While locked, every attempt is refused
with the time left, whatever the password.
"""

import math
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from config.errors import RateLimited

MAX_FAILED_LOGINS = 5
LOCKOUT_DURATION = timedelta(minutes=15)


class AccountLocked(RateLimited):
    type = "account_locked"


def lockout_seconds_left(user: User) -> int:
    if user.locked_until is None:
        return 0
    return max(0, math.ceil((user.locked_until - timezone.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. This account is locked; try again in {minutes} {unit}."


def lockout_check(user: User | None) -> None:
    """Raise AccountLocked if ``user`` is locked right now."""
    if user is None:
        return
    seconds = lockout_seconds_left(user)
    if seconds > 0:
        raise AccountLocked(lockout_message(seconds), retry_after=seconds)


def lockout_register_failure(user: User) -> None:
    """Count one failed login (atomically, so parallel attempts all count).

    Commits before it returns: callers raise next, and a count kept in the transaction
    that error rolls back would never lock anything (``durable=True`` makes calling it
    inside another transaction an error rather than a silent no-op).
    """
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lte=timezone.now())
        ).update(failed_login_count=F("failed_login_count") + 1)
        row = User.objects.select_for_update().only("failed_login_count", "locked_until").get(pk=user.pk)
        if row.failed_login_count >= MAX_FAILED_LOGINS:
            User.objects.filter(pk=user.pk).update(
                locked_until=timezone.now() + LOCKOUT_DURATION, failed_login_count=0
            )


def lockout_reset(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    user.failed_login_count, user.locked_until = 0, None


def user_unlock(*, user: User) -> None:
    """Staff action: lift a lock and forget the failures."""
    lockout_reset(user)


def user_for_login(login: str) -> User | None:
    """The account a login identifier names: an email address or a username, any casing."""
    login = (login or "").strip()
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username__iexact"
    return User.objects.filter(**{field: login}).first()


def user_for_credentials(credentials: dict) -> User | None:
    """The account named in the credentials Django's authenticate() was given."""
    for key in ("login", "email", "username"):
        if credentials.get(key):
            return user_for_login(str(credentials[key]))
    return None
