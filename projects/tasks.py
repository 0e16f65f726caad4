from celery import shared_task

from projects.services.invitations import invitations_expire


@shared_task
def expire_invitations() -> int:
    """Hourly (beat): pending invitations past their 14 days become ``expired``.

    Accepting already refuses them the moment they expire; this keeps stored statuses
    and the members page honest."""
    return invitations_expire()
