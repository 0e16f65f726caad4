"""Account emails of the API flows. Every request that may send mail sends exactly one,
whether or not an account exists, so neither the answer nor its timing tells."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def account_email_send(*, to: str, template: str, context: dict) -> None:
    context = {**context, "site_name": "DevCrew", "code_minutes": 10}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        fail_silently=False,
    )
