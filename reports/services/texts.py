"""The free-text sections organisers write for their reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from missions.models import Mission

from ..models import ReportText
from ..permissions import organises


def report_text_update(
    *, target, by, summary: str, roundtable_summary: str, conclusions: str
) -> ReportText:
    """Save the sections of ``target`` (a mission or an event); only its organisers may.
    The next report asked for has new data, hence a new version."""
    if not organises(by, target):
        raise ValidationError(_("Only the organisers may write the report's texts."))
    field = "mission" if isinstance(target, Mission) else "event"
    with transaction.atomic():
        text = ReportText.objects.select_for_update().filter(**{field: target}).first()
        if text is None:
            text = ReportText(**{field: target})
        text.summary = summary
        text.roundtable_summary = roundtable_summary
        text.conclusions = conclusions
        text.updated_by = by
        text.full_clean()
        text.save()
    return text
