"""Matchmaking sessions: participants' profiles, their marketplace items, meeting requests,
the meetings the solver places into slots and tables, their outcomes, and schedule runs.

A session belongs to an event, a mission or stands alone. Its days carry time windows in
the venue's wall clock; slots are generated from them (and may be edited by organisers) and
stored as aware UTC instants, like every other instant in the portal.

Why a request always stands behind a meeting: the solver schedules accepted requests, and an
organiser who adds a meeting on behalf of two participants creates an accepted request too,
so the dashboard counts, the reasons for leaving a request out and the outcomes all read one
chain: request → meeting → outcome.

Why a request stores its pair twice (sender/receiver and participant_low/participant_high):
"at most one live request between two participants, whoever sent it" is an invariant on an
unordered pair; the database can only hold it on an ordered pair, so the services fill the
ordered pair and a partial unique constraint on it refuses the second live request.

The models live in three modules: ``sessions`` (sessions, days, slots, tables,
invitations), ``participants`` (profiles, marketplace items) and ``meetings`` (requests,
meetings, outcomes, schedule runs).
"""

from .meetings import Meeting, MeetingOutcome, MeetingRequest, ScheduleRun
from .participants import MarketplaceItem, Participant, new_agenda_token
from .sessions import MeetingKind, Session, SessionDay, SessionInvitation, Slot, Table

__all__ = [
    "MarketplaceItem",
    "Meeting",
    "MeetingKind",
    "MeetingOutcome",
    "MeetingRequest",
    "Participant",
    "ScheduleRun",
    "Session",
    "SessionDay",
    "SessionInvitation",
    "Slot",
    "Table",
    "new_agenda_token",
]
