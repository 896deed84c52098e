"""Text that leaves the portal in headers, or arrives in searches: one place cleans it.

Email subjects and headers must not carry CR, LF or other control characters (Django
refuses them with ``BadHeaderError`` after the change is committed, and the email is lost);
PostgreSQL refuses NUL in text. Forms reject control characters in names and titles with
``no_control_characters``; searches and filters drop them with ``search_text``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except TAB, plus DEL and the C1 block; line and paragraph separators too.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_OR_TAB = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def header_text(value: object, *, max_length: int = 200) -> str:
    """One line fit for an email subject or header: controls become spaces, runs of
    whitespace collapse, and the result is cut to ``max_length`` characters."""
    text = _SPACES.sub(" ", _CONTROL_OR_TAB.sub(" ", str(value))).strip()
    return text[:max_length]


def search_text(value: object, *, max_length: int = 200) -> str:
    """A search or filter term without NUL or other control characters, trimmed."""
    return _SPACES.sub(" ", _CONTROL_OR_TAB.sub(" ", str(value or ""))).strip()[:max_length]


def no_control_characters(value: str) -> None:
    """Validator for single-line names and titles: refuse line breaks and control characters."""
    if value and _CONTROL.search(value):
        raise ValidationError(
            _("Use one line of plain text: line breaks and control characters are not allowed."),
            code="control_characters",
        )


def csv_cell(value: object) -> str:
    """A CSV cell that spreadsheets will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
