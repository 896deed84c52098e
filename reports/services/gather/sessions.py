"""The data of a matchmaking session's print files: every agenda in one file, and the
table sheet (who sits where, slot by slot). Read through ``matchmaking.services.agendas``,
the reads the matchmaking pages use, so the files print what the organisers see there.

The data holds what the print templates show (names, home zones, sectors, summaries,
tables, times, statuses): a change to any of it gives a new version, anything else (a
request still pending, a profile's availability) does not.
"""

from __future__ import annotations

from typing import Any

from matchmaking.models import Participant, Session
from matchmaking.services import agendas as agenda_reads

from ...models import ReportJob
from .common import LAYOUT_VERSION


def _session_head(session: Session) -> dict[str, Any]:
    return {"title": session.title, "slug": session.slug, "time_zone": session.time_zone}


def _participant(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.pk,
        "name": participant.display_name,
        "home_zone": participant.user.home_time_zone or "",
        "attendees": participant.attendees,
        "summary": participant.summary,
        "sectors": [sector.name for sector in participant.sectors.all()],
    }


def agendas_data(session: Session) -> dict[str, Any]:
    """Every participant with a placed meeting and their meetings (published or not, as
    the organisers print them): 5 queries whatever the number of meetings."""
    session = Session.objects.get(pk=session.pk)
    agendas = []
    for person, entries in agenda_reads.all_agendas(session):
        agendas.append(
            {
                # Each partner has an agenda of their own here, with their details.
                "participant": _participant(person),
                "meetings": [
                    {
                        "id": entry.meeting.pk,
                        "status": entry.meeting.status,
                        "kind": entry.meeting.request.kind,
                        "starts_at": entry.slot.starts_at.isoformat(),
                        "ends_at": entry.slot.ends_at.isoformat(),
                        "table": entry.table.name if entry.table else "",
                        "partner": entry.partner.pk,
                    }
                    for entry in entries
                ],
            }
        )
    return {
        "layout": LAYOUT_VERSION,
        "kind": ReportJob.Kind.MATCHMAKING_AGENDAS,
        "session": _session_head(session),
        "agendas": agendas,
    }


def table_sheet_data(session: Session) -> dict[str, Any]:
    """The tables, and for each slot who sits at each table: 5 queries."""
    session = Session.objects.get(pk=session.pk)
    tables, rows = agenda_reads.table_sheet(session)
    return {
        "layout": LAYOUT_VERSION,
        "kind": ReportJob.Kind.TABLE_SHEET,
        "session": _session_head(session),
        "tables": [[table.name, table.seats] for table in tables],
        "slots": [
            {
                "starts_at": row.slot.starts_at.isoformat(),
                "ends_at": row.slot.ends_at.isoformat(),
                "meetings": [
                    [
                        meeting.request.sender.display_name,
                        meeting.request.receiver.display_name,
                    ]
                    if meeting
                    else None
                    for meeting in row.cells
                ],
            }
            for row in rows
        ],
    }
