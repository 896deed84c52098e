"""Input limits every form of ours shares: dates in a sensible range, text within a length.

``LimitedInputMixin`` goes first in a form's bases. Once the form's fields are built (and
again just before validation, for fields a form adds in its own ``__init__``) it makes sure:

- every date and date-time field accepts only years ``FIRST_YEAR`` to ``LAST_YEAR``
  (``require_sensible_date``), and its date picker says so (``min``/``max``). Far outside
  them, date arithmetic leaves the calendar (a mission in year 9999 overflowed) and a typo
  (year 20255) goes unnoticed;
- every multiple-choice list box (``SelectMultiple``; ticked checkboxes need nothing) says
  how to pick several (``MULTI_SELECT_HINT``): few people know Ctrl-click;
- every text field has a server-side maximum length: a field without one (a model
  ``TextField``) gets ``LONG_TEXT_MAX`` characters. The browser's ``maxlength`` silently
  cuts a paste, and a request need not come from a browser, so the server refuses longer
  text with the limit in the message instead of storing megabytes.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# The years a date may fall in, everywhere: missions, events, calls, agendas, programmes.
FIRST_YEAR, LAST_YEAR = 2000, 2100

# Characters of a long text (a description, a body, notes) when its model sets no limit.
LONG_TEXT_MAX = 10_000


MULTI_SELECT_HINT = _(
    "To pick several, hold Ctrl (⌘ on a Mac) while you click; on a phone, tap each."
)


def require_sensible_date(value: dt.date | dt.datetime | None) -> None:
    """Validator for dates and date-times, in forms and services: a year from 2000 to 2100."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="year_out_of_range",
        )


class TextLengthValidator(MaxLengthValidator):
    """At most ``limit_value`` characters, saying both the limit and the length received."""

    message = _(
        "This text may be at most %(limit)s characters long; it has %(length)s. "
        "Shorten it: nothing was cut or saved."
    )

    def __call__(self, value) -> None:
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code="max_length",
                params={
                    "limit": number_format(self.limit_value, force_grouping=True),
                    "length": number_format(length, force_grouping=True),
                },
            )


_DATE_ATTRS = {
    "date": (f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31"),
    "datetime-local": (f"{FIRST_YEAR}-01-01T00:00", f"{LAST_YEAR}-12-31T23:59"),
}


def limit_field(field: forms.Field) -> None:
    """Give one field the shared limits (idempotent)."""
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        if require_sensible_date not in field.validators:
            field.validators.append(require_sensible_date)
        kind = field.widget.attrs.get("type") or getattr(field.widget, "input_type", "")
        bounds = _DATE_ATTRS.get(kind)
        if bounds:
            field.widget.attrs.setdefault("min", bounds[0])
            field.widget.attrs.setdefault("max", bounds[1])
    elif isinstance(field.widget, forms.SelectMultiple):
        hint = str(MULTI_SELECT_HINT)
        if hint not in str(field.help_text):
            field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
    elif isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = LONG_TEXT_MAX
        field.validators.append(TextLengthValidator(LONG_TEXT_MAX))
        field.widget.attrs.setdefault("maxlength", str(LONG_TEXT_MAX))


class LimitedInputMixin:
    """Put first in a form's bases: every field gets the shared date and length limits."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_fields()

    def limit_fields(self) -> None:
        for field in self.fields.values():
            limit_field(field)

    def full_clean(self) -> None:
        # Fields a form adds in its own __init__, after this mixin's, are limited here.
        self.limit_fields()
        super().full_clean()
