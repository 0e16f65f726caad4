"""Lockout bookkeeping for logins that go through django.contrib.auth (allauth pages and
the admin) and for the site's TOTP step (allauth.mfa). The API's token endpoints do the
same bookkeeping in accounts.services.

Also ``User.email_verified`` / ``User.mfa_enabled`` kept in step with allauth's tables."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import lockout, services
from accounts.models import User


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


# -- the user's copies of allauth facts (User.email_verified, User.mfa_enabled) ----------
@receiver(post_save, sender=EmailAddress, dispatch_uid="accounts.flags.email_saved")
@receiver(post_delete, sender=EmailAddress, dispatch_uid="accounts.flags.email_deleted")
@receiver(post_save, sender=Authenticator, dispatch_uid="accounts.flags.authenticator_saved")
@receiver(post_delete, sender=Authenticator, dispatch_uid="accounts.flags.authenticator_deleted")
def _refresh_user_flags(sender, instance, **kwargs):
    services.user_flags_refresh(user_id=instance.user_id)


@receiver(post_save, sender=User, dispatch_uid="accounts.flags.user_saved")
def _refresh_flags_on_email_change(sender, instance, created, update_fields=None, **kwargs):
    """A full save may have changed the email (allauth's change of primary address, the
    admin), or written stale copies from an instance loaded earlier; saves of named fields
    only when the email is among them."""
    if created or (update_fields is not None and "email" not in update_fields):
        return
    flags = services.user_flags_refresh(user_id=instance.pk)
    if flags is not None:
        instance.email_verified, instance.mfa_enabled = flags
