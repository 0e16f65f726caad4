import logging

from celery import shared_task
from django.core.management import call_command

from accounts.otp import otp_purge

logger = logging.getLogger(__name__)


@shared_task
def flush_expired_tokens() -> None:
    """Daily (beat): drop expired refresh tokens from simplejwt's outstanding/blacklist tables."""
    call_command("flushexpiredtokens")


@shared_task
def purge_one_time_codes() -> int:
    """Every 15 minutes (beat): delete expired and used one-time codes, in batches."""
    deleted = otp_purge()
    logger.info("purged %d one-time codes", deleted)
    return deleted
