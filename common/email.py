"""Every email as plain text with an HTML alternative in one layout (templates/email/base.html).

The text is written once, in ``<name>_subject.txt`` and ``<name>_body.txt`` templates; the HTML
part is that same text (escaped, links made clickable, paragraphs kept) inside the shared
layout, so both parts always say the same thing. Callers keep their own once-only bookkeeping.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from common.text import header_text


def email_html(*, subject: str, body: str) -> str:
    """The HTML alternative of a plain-text body, in the shared layout."""
    return render_to_string("email/base.html", {"subject": subject, "body": body})


def send_email(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    from_email: str | None = None,
    connection=None,
) -> int:
    """Send ``body`` as text with its HTML alternative. Returns the number sent (0 or 1)."""
    subject = header_text(subject)
    message = EmailMultiAlternatives(subject, body, from_email, list(to), connection=connection)
    message.attach_alternative(email_html(subject=subject, body=body), "text/html")
    return message.send()


def send_templated(
    *,
    template: str,
    context: dict,
    to: Sequence[str],
    from_email: str | None = None,
    connection=None,
) -> int:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and send them."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_body.txt", context)
    return send_email(
        subject=subject, body=body, to=to, from_email=from_email, connection=connection
    )
