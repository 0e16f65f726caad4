from celery import shared_task

from chat.services import answers_close_orphaned


@shared_task
def close_orphaned_answers() -> int:
    """Every 10 seconds (beat): close answers whose writing process died (no heartbeat for
    ``CHAT_ORPHAN_AFTER_SECONDS``), so nobody finds them still "writing…" later.

    Sending, regenerating and stopping close a conversation's orphan themselves at once;
    this sweep catches the ones nobody touches."""
    return len(answers_close_orphaned())
