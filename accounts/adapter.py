"""allauth glue: the account lockout and the one-time code rules apply to the browser too."""

import hashlib
import hmac
import secrets
import threading
import time
from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ConfirmEmailVerificationCodeForm, ConfirmPasswordResetCodeForm
from allauth.account.internal.flows.manage_email import email_already_exists
from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import lockout
from accounts.models import SiteCodeFailure
from config.site import site_identity

# Plain codes exist only between allauth generating a code and mailing it, inside one
# request of one process; allauth keeps nothing but the digest in the session.
_UNSENT_CODES: dict[str, tuple[str, float]] = {}
_UNSENT_LOCK = threading.Lock()
_UNSENT_TTL = 60.0
# Longer than either code flow's timeout (ACCOUNT_*_BY_CODE_TIMEOUT, 10 minutes).
SITE_CODE_FAILURE_TTL = timedelta(hours=1)


def browser_code_digest(code: str) -> str:
    normalized = "".join(ch for ch in code if ch.isdigit())
    message = f"allauth-code:{normalized}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _code_issue() -> str:
    """A 6-digit code from ``secrets``; returns its digest, which allauth stores."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    digest = browser_code_digest(code)
    now = time.monotonic()
    with _UNSENT_LOCK:
        for key in [k for k, (_, at) in _UNSENT_CODES.items() if now - at > _UNSENT_TTL]:
            del _UNSENT_CODES[key]
        _UNSENT_CODES[digest] = (code, now)
    return digest


def _code_for_mail(digest: str) -> str | None:
    with _UNSENT_LOCK:
        entry = _UNSENT_CODES.pop(digest, None)
    return entry[0] if entry else None


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        user = lockout.user_for_credentials(credentials)
        seconds = lockout.lockout_seconds_left(user) if user else 0
        if seconds > 0:
            raise forms.ValidationError(lockout.lockout_message(seconds), code="account_locked")
        super().pre_authenticate(request, **credentials)

    # allauth keeps the "code" of its email-verification and password-reset flows in the
    # session; we hand it a keyed digest instead and put the real code only in the mail.
    def generate_email_verification_code(self) -> str:
        return _code_issue()

    def generate_password_reset_code(self) -> str:
        return _code_issue()

    def send_mail(self, template_prefix, email, context):
        digest = context.get("code")
        if isinstance(digest, str):
            plain = _code_for_mail(digest)
            if plain is not None:
                context = {**context, "code": plain}
        # allauth's templates greet with ``current_site.name`` and end with its domain:
        # the site's name and the address this request came to (config.site).
        context = {**context, "current_site": site_identity()}
        super().send_mail(template_prefix, email, context)


class _DigestCodeMixin:
    """Compare the typed code with the digest allauth stored (see AccountAdapter).

    Wrong tries are also counted per code in the database (``SiteCodeFailure``), in a
    transaction of their own that commits before the form error: allauth's count in the
    session is lost when parallel requests of one session each save their own copy. After
    the allowed tries the code is refused even when it is right.
    """

    expected_code: str | None
    cleaned_data: dict
    max_attempts: int

    def clean_code(self) -> str:
        from allauth.account.adapter import get_adapter

        code = self.cleaned_data["code"]
        expected = self.expected_code or ""
        if not expected or site_code_failures(expected) >= self.max_attempts:
            raise get_adapter().validation_error("incorrect_code")
        if not hmac.compare_digest(browser_code_digest(code), expected):
            site_code_failure_record(expected)
            raise get_adapter().validation_error("incorrect_code")
        return code


def site_code_failures(digest: str) -> int:
    row = SiteCodeFailure.objects.filter(digest=digest, expires_at__gt=timezone.now()).first()
    return row.failed_attempts if row else 0


def site_code_failure_record(digest: str) -> None:
    """Count one wrong try at the code with this digest; commits before returning."""
    with transaction.atomic(durable=True):
        SiteCodeFailure.objects.get_or_create(
            digest=digest, defaults={"expires_at": timezone.now() + SITE_CODE_FAILURE_TTL}
        )
        SiteCodeFailure.objects.filter(digest=digest).update(failed_attempts=F("failed_attempts") + 1)


class DigestEmailVerificationCodeForm(_DigestCodeMixin, ConfirmEmailVerificationCodeForm):
    max_attempts = settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS

    def clean_code(self) -> str:
        code = _DigestCodeMixin.clean_code(self)
        # The parent's check that the address can still be taken, without its plain compare.
        email_already_exists(user=self.user, email=self.email, always_raise=True)
        return code


class DigestPasswordResetCodeForm(_DigestCodeMixin, ConfirmPasswordResetCodeForm):
    max_attempts = settings.ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS
