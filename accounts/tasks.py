from celery import shared_task
from django.core.management import call_command


@shared_task
def flush_expired_tokens() -> None:
    """Daily (beat): drop expired refresh tokens from simplejwt's outstanding/blacklist tables."""
    call_command("flushexpiredtokens")
