"""Printable documents of an event: the participant list and name badges, as PDF.

Their HTML only: ``reports`` renders them in a worker (report jobs of kinds
``participant_list`` and ``badges``) through ``common.pdf``, never in a web request.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .models import Event

# Nine badges of 63 × 90 mm, three rows of three, fill an A4 (or US Letter) sheet.
BADGES_PER_ROW = 3
BADGES_PER_PAGE = 9


def participant_list_html(event: Event) -> str:
    """Everyone with a seat, for the organisers' desk (not only those listed publicly)."""
    return render_to_string(
        "missions/events/print_participants.html",
        {"event": event, "registrations": list(selectors.attendees(event))},
    )


def badges_html(event: Event) -> str:
    registrations = list(selectors.attendees(event))
    sheets = [
        registrations[start : start + BADGES_PER_PAGE]
        for start in range(0, len(registrations), BADGES_PER_PAGE)
    ]
    pages = [
        [sheet[row : row + BADGES_PER_ROW] for row in range(0, len(sheet), BADGES_PER_ROW)]
        for sheet in sheets
    ]
    return render_to_string("missions/events/print_badges.html", {"event": event, "pages": pages})
