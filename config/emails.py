"""Emails from templates: what every app's ``<app>/emails.py`` builds and sends.

An app describes an email as an ``Email``: a template name and its context. The template
``<name>_subject.txt`` gives the subject (one line; the ``[SITE_NAME]`` prefix is added),
``<name>.txt`` the body, and ``<name>.html``, when the app has one, an HTML alternative.
Every template also gets ``site_name`` and ``site_url`` (``config.site``: the address of
the request that sent the email, else ``SITE_URL``), so emails greet with the site's name
and link where the site is actually served.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from config.site import site_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    template: str  # e.g. "projects/email/invitation"
    context: dict[str, Any] = field(default_factory=dict)


def email_message(email: Email, *, to: str) -> EmailMultiAlternatives:
    """The rendered message, ready to send."""
    context = {"site_name": settings.SITE_NAME, "site_url": site_url(), **email.context}
    subject = " ".join(render_to_string(f"{email.template}_subject.txt", context).split())
    body = render_to_string(f"{email.template}.txt", context).strip() + "\n"
    message = EmailMultiAlternatives(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, settings.DEFAULT_FROM_EMAIL, [to]
    )
    with contextlib.suppress(TemplateDoesNotExist):  # an HTML body is optional
        message.attach_alternative(render_to_string(f"{email.template}.html", context), "text/html")
    return message


def email_send(email: Email, *, to: str) -> None:
    """Send now; a mail server error reaches the caller."""
    email_message(email, to=to).send()


def email_send_on_commit(email: Email, *, to: str) -> None:
    """Send once the current transaction commits (a rolled-back change mails nobody). The
    message is rendered now, while the request that caused it is known; a mail server
    error is logged, never raised into the request that already committed."""
    message = email_message(email, to=to)

    def send() -> None:
        try:
            message.send()
        except Exception:
            logger.exception("Could not send the email %s to %s", email.template, to)

    transaction.on_commit(send)
