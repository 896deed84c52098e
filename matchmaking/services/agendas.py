"""Agendas: each participant's meetings (web page, iCalendar feed, PDF), every agenda in one
print file, and the per-table sheet. Reads only; each in a fixed number of queries.

A participant sees the meetings the organisers published; organisers see every placed
meeting (so they can print before they publish).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from common.pdf import RenderedPdf, render_pdf
from missions.timezones import local

from ..models import Meeting, Participant, Session

SHOWN = (Meeting.Status.SCHEDULED, Meeting.Status.HELD, Meeting.Status.NO_SHOW)


@dataclass(frozen=True)
class AgendaEntry:
    """One meeting as a participant's agenda shows it: when, where, and with whom."""

    meeting: Meeting
    partner: Participant

    @property
    def slot(self):
        return self.meeting.slot

    @property
    def table(self):
        return self.meeting.table


def _participant_prefetch(prefix: str) -> list:
    return [
        f"{prefix}__user",
        f"{prefix}__organization",
    ]


def placed_meetings(session: Session, *, published_only: bool) -> QuerySet[Meeting]:
    """The session's placed meetings with everything an agenda shows (3 queries)."""
    meetings = (
        Meeting.objects.filter(session=session, status__in=SHOWN, slot__isnull=False)
        .select_related(
            "slot__session",
            "table",
            "request",
            *_participant_prefetch("request__sender"),
            *_participant_prefetch("request__receiver"),
        )
        .prefetch_related("request__sender__sectors", "request__receiver__sectors")
        .order_by("slot__starts_at", "table__name", "pk")
    )
    if published_only:
        meetings = meetings.filter(published_at__isnull=False)
    return meetings


def agenda_for(participant: Participant, *, published_only: bool = True) -> list[AgendaEntry]:
    """A participant's meetings in time order, each with the other side (3 queries)."""
    meetings = placed_meetings(participant.session, published_only=published_only).filter(
        Q(request__sender=participant) | Q(request__receiver=participant)
    )
    return [
        AgendaEntry(meeting=meeting, partner=meeting.request.other_side(participant))
        for meeting in meetings
    ]


def all_agendas(
    session: Session, *, published_only: bool = False
) -> list[tuple[Participant, list[AgendaEntry]]]:
    """Every participant with a meeting and their agenda, by name (4 queries)."""
    by_person: dict[int, list[AgendaEntry]] = defaultdict(list)
    people: dict[int, Participant] = {}
    for meeting in placed_meetings(session, published_only=published_only):
        request = meeting.request
        for me, other in ((request.sender, request.receiver), (request.receiver, request.sender)):
            people[me.pk] = me
            by_person[me.pk].append(AgendaEntry(meeting=meeting, partner=other))
    ordered = sorted(people.values(), key=lambda p: (p.display_name.lower(), p.pk))
    return [(person, by_person[person.pk]) for person in ordered]


@dataclass(frozen=True)
class SheetRow:
    """One slot of the table sheet: the meeting at each table (None: free)."""

    slot: object
    cells: list[Meeting | None]


def table_sheet(session: Session) -> tuple[list, list[SheetRow]]:
    """Who sits where, slot by slot: (tables, one row per slot) (4 queries)."""
    tables = list(session.tables.order_by("name", "pk"))
    slots = list(session.slots.select_related("session").order_by("starts_at", "pk"))
    at: dict[tuple[int, int], Meeting] = {}
    for meeting in placed_meetings(session, published_only=False).filter(table__isnull=False):
        at[(meeting.slot_id, meeting.table_id)] = meeting
    rows = [SheetRow(slot=slot, cells=[at.get((slot.pk, t.pk)) for t in tables]) for slot in slots]
    return tables, rows


def participant_by_feed_token(token: str) -> Participant | None:
    """The participant whose private agenda feed this secret opens (None if none)."""
    if not token or len(token) > 64:
        return None
    return (
        Participant.objects.select_related("session", "user", "organization")
        .filter(agenda_token=token)
        .first()
    )


def agenda_calendar(participant: Participant, entries: list[AgendaEntry]) -> bytes:
    """The participant's meetings as an iCalendar feed, in the venue's zone."""
    session = participant.session
    calendar = Calendar()
    calendar.add("prodid", "-//clustermissions//matchmaking//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Meetings at %(title)s") % {"title": session.title})
    for entry in entries:
        meeting, slot = entry.meeting, entry.slot
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}-{participant.pk}@matchmaking.clustermissions")
        event.add("dtstamp", meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        event.add("dtstart", local(slot.starts_at, session.time_zone))
        event.add("dtend", local(slot.ends_at, session.time_zone))
        event.add("summary", _("Meeting with %(name)s") % {"name": entry.partner.display_name})
        if entry.table is not None:
            event.add("location", entry.table.name)
        if entry.partner.summary:
            event.add("description", entry.partner.summary)
        event.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.NO_SHOW else "CONFIRMED"
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def agendas_html(session: Session, agendas) -> str:
    """The print template for one or many agendas (one per page), times in the venue's zone
    and each participant's own home zone."""
    return render_to_string(
        "matchmaking/agenda_print.html", {"session": session, "agendas": agendas}
    )


def agenda_pdf(participant: Participant, entries: list[AgendaEntry]) -> RenderedPdf:
    """One participant's agenda, with their own home zone beside the venue's."""
    return render_pdf(agendas_html(participant.session, [(participant, entries)]))


def agendas_pdf(session: Session) -> RenderedPdf:
    """Every agenda of the session in one print file (one participant per page)."""
    return render_pdf(agendas_html(session, all_agendas(session)))


def table_sheet_pdf(session: Session) -> RenderedPdf:
    tables, rows = table_sheet(session)
    html = render_to_string(
        "matchmaking/table_sheet_print.html", {"session": session, "tables": tables, "rows": rows}
    )
    return render_pdf(html)


__all__ = [
    "AgendaEntry",
    "agenda_calendar",
    "agenda_for",
    "agenda_pdf",
    "agendas_pdf",
    "all_agendas",
    "participant_by_feed_token",
    "placed_meetings",
    "table_sheet",
    "table_sheet_pdf",
]
