"""TOTP and recovery codes through allauth.mfa's own models, so the browser (allauth's
pages) and the API share one set of authenticators, one replay guard (the shared cache)
and one set of recovery codes."""

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, validate_totp_code
from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from config.errors import Conflict, DomainError

PENDING_SECRET_TTL = 15 * 60


class InvalidMfaCode(DomainError):
    type = "invalid_code"
    default_detail = "That code is not valid. Check your authenticator app and try again."


def _pending_key(user: User) -> str:
    return f"accounts:mfa:totp-pending:{user.pk}"


def totp_enabled(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def totp_setup_begin(*, user: User) -> dict[str, str]:
    """A new secret (replacing any pending one) for the user to add to an authenticator app."""
    if totp_enabled(user):
        raise Conflict("Two-factor authentication is already on.", type="mfa_already_enabled")
    secret = generate_totp_secret()
    cache.set(_pending_key(user), secret, timeout=PENDING_SECRET_TTL)
    return {"secret": secret, "otpauth_url": get_mfa_adapter().build_totp_url(user, secret)}


@transaction.atomic
def totp_activate(*, user: User, code: str) -> list[str]:
    """Turn TOTP on once ``code`` proves the app has the pending secret; return recovery codes."""
    if totp_enabled(user):
        raise Conflict("Two-factor authentication is already on.", type="mfa_already_enabled")
    secret = cache.get(_pending_key(user))
    if not secret:
        raise Conflict("Start the setup again: no pending authenticator secret.", type="mfa_setup_expired")
    if not validate_totp_code(secret, code.strip()):
        raise InvalidMfaCode()
    TOTP.activate(user, secret)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
    recovery = RecoveryCodes.activate(user)
    cache.delete(_pending_key(user))
    return recovery.get_unused_codes()


@transaction.atomic
def totp_deactivate(*, user: User) -> None:
    Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).delete()


def mfa_code_verify(*, user: User, code: str) -> bool:
    """A TOTP code (each accepted once, across processes) or an unused recovery code."""
    code = (code or "").strip()
    if not code:
        return False
    kinds = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
    for authenticator in Authenticator.objects.filter(user=user, type__in=kinds):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False
