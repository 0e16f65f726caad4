"""Account emails of the API flows. Every request that may send mail sends exactly one,
whether or not an account exists, so neither the answer nor its timing tells.

Bodies are templates in accounts/templates/accounts/email/ (config.emails renders them
with the site's name and address)."""

from accounts.otp import CODE_TTL
from config.emails import Email, email_send


def account_email_send(*, to: str, template: str, context: dict) -> None:
    context = {**context, "code_minutes": int(CODE_TTL.total_seconds() // 60)}
    email_send(Email(f"accounts/email/{template}", context), to=to)
