"""One-time codes for email verification and password reset (API flows).

Six digits from ``secrets``, zero-padded; stored only as an HMAC keyed with SECRET_KEY
and bound to the user and the purpose; valid 10 minutes (OWASP ASVS 5.0 §6.5.5); single
use; dead after 5 wrong tries (counted durably, see ``otp_check``); issuing a new code
deletes the older ones of that purpose.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import OneTimeCode, SiteCodeFailure, User

CODE_TTL = timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 5
PURGE_BATCH_SIZE = 5000


def _code_hash(*, user_id: int, purpose: str, code: str) -> str:
    message = f"{user_id}:{purpose}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def otp_issue(*, user: User, purpose: str) -> str:
    """Create a fresh code for ``user`` and ``purpose`` and return it (to be emailed, never stored)."""
    return _code_store(user=user, purpose=purpose)


def _code_store(*, user: User, purpose: str) -> str:
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.filter(user=user, purpose=purpose).delete()
    now = timezone.now()
    OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        code_hash=_code_hash(user_id=user.pk, purpose=purpose, code=code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    return code


def otp_issue_rehearse(*, purpose: str) -> None:
    """The database work of ``otp_issue`` for an address with no account, rolled back.

    Endpoints that answer the same for known and unknown addresses (forgot, resend) call
    it on the unknown path so that the time they take does not tell the two apart either
    (accounts/benchmarks/bench_registration.py). The placeholder user id never reaches a
    foreign-key check: Django's foreign keys are deferred to commit, and this rolls back.
    """
    with transaction.atomic():
        _code_store(user=User(pk=0), purpose=purpose)
        transaction.set_rollback(True)


def otp_check(*, user: User | None, purpose: str, code: str) -> OneTimeCode | None:
    """The live code of this user and purpose if ``code`` matches it, else None.

    Does not consume the code (see ``otp_consume``), so a caller can still refuse other
    input, such as a weak new password, and leave the code usable. A wrong code is
    counted on the live code in a transaction of its own that commits before this
    returns: the caller raises next, and a count kept in the caller's transaction would
    be rolled back with it (``durable=True`` makes nesting one an error). After
    MAX_FAILED_ATTEMPTS the code is dead even if the right one comes next. An unknown
    user costs the same lookup and digest as a known one.
    """
    now = timezone.now()
    expected = _code_hash(user_id=user.pk if user else 0, purpose=purpose, code=code.strip())
    with transaction.atomic(durable=True):
        live = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if live is None or live.failed_attempts >= MAX_FAILED_ATTEMPTS:
            return None
        if not hmac.compare_digest(live.code_hash, expected):
            live.failed_attempts += 1
            live.save(update_fields=["failed_attempts"])
            return None
    return live


def otp_consume(code: OneTimeCode) -> bool:
    """Mark a code ``otp_check`` accepted as used; False if a concurrent request used it first.

    Call it inside the transaction that acts on the code, so the code is spent only if
    that action commits.
    """
    return bool(
        OneTimeCode.objects.filter(
            pk=code.pk, used_at__isnull=True, failed_attempts__lt=MAX_FAILED_ATTEMPTS
        ).update(used_at=timezone.now())
    )


def otp_verify(*, user: User | None, purpose: str, code: str) -> bool:
    """Check and consume ``code`` (see ``otp_check``).

    Returns False for any failure (unknown user included), so callers answer
    identically whatever went wrong.
    """
    live = otp_check(user=user, purpose=purpose, code=code)
    return live is not None and otp_consume(live)


def otp_purge(*, batch_size: int = PURGE_BATCH_SIZE) -> int:
    """Delete expired and used codes (and expired site-code failure counters) in short
    batches; return how many went.

    Each batch is its own small transaction that selects ids through the
    ``expires_at`` / ``used_at`` indexes, so the table is never locked as a whole and
    live codes stay usable while the purge runs.
    """
    now = timezone.now()
    deleted = 0
    for condition in ({"expires_at__lte": now}, {"used_at__isnull": False}):
        while True:
            ids = list(OneTimeCode.objects.filter(**condition).values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            deleted += OneTimeCode.objects.filter(pk__in=ids).delete()[0]
    while True:  # the site's per-code failure counters (accounts.adapter), once their code expired
        ids = list(
            SiteCodeFailure.objects.filter(expires_at__lte=now).values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        deleted += SiteCodeFailure.objects.filter(pk__in=ids).delete()[0]
    return deleted
