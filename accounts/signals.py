"""Lockout bookkeeping for logins that go through django.contrib.auth (allauth pages and
the admin) and for the site's TOTP step (allauth.mfa). The API's token endpoints do the
same bookkeeping in accounts.services."""

from allauth.mfa.signals import authentication_failed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts import lockout


@receiver(user_login_failed, dispatch_uid="accounts.lockout.failed")
def _count_failed_login(sender, credentials, request=None, **kwargs):
    user = lockout.user_for_credentials(credentials)
    if user is not None and not user.is_locked:
        lockout.lockout_register_failure(user)


@receiver(user_logged_in, dispatch_uid="accounts.lockout.succeeded")
def _reset_failed_logins(sender, request, user, **kwargs):
    if user.failed_login_count or user.locked_until:
        lockout.lockout_reset(user)


@receiver(authentication_failed, dispatch_uid="accounts.lockout.mfa_failed")
def _count_failed_mfa_code(sender, request, user, **kwargs):
    """A wrong TOTP or recovery code on the site counts like a wrong password."""
    if user is not None and user.pk and not user.is_locked:
        lockout.lockout_register_failure(user)
