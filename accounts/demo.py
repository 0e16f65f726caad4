"""Demo accounts for `make run` (idempotent)."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "devcrew-demo-pass"  # noqa: S105 - documented demo credential


@transaction.atomic
def demo_user_ensure(
    *, username: str, email: str, first_name: str = "", last_name: str = "", is_staff: bool = False
) -> tuple[User, bool]:
    """Create a verified user with the demo password unless it exists; return (user, created)."""
    existing = User.objects.filter(username__iexact=username).first()
    created = existing is None
    if existing is not None:
        user = existing
    else:
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        user.is_staff = user.is_superuser = is_staff
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email__iexact=email, defaults={"email": email, "verified": True, "primary": True}
    )
    return user, created


def seed(stdout) -> None:
    _, created = demo_user_ensure(
        username="admin", email="admin@devcrew.local", first_name="Ada", last_name="Admin", is_staff=True
    )
    demo_user_ensure(username="demo", email="demo@devcrew.local", first_name="Dee", last_name="Mo")
    stdout.write(
        f"Demo accounts: admin / demo with password '{DEMO_PASSWORD}'"
        + (" (created)" if created else " (already there)")
    )
