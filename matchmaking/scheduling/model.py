"""Plain data the scheduling core takes and returns.

Everything here is immutable and free of Django, so the Celery task, the organiser's page,
the command line and the benchmark all hand the solver the same objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """A time slot in which `tables` meetings can run side by side (tables 1..tables).

    `table_seats` (None: unlimited) gives the seats at tables 1..tables: a meeting fits at a
    table only when its attendees' `people` add up to at most that many. `kinds` (None: any)
    lists the kinds of meetings the slot takes; a request without a kind goes anywhere.
    """

    id: str
    tables: int
    start: str = ""
    end: str = ""
    table_seats: tuple[int, ...] | None = None
    kinds: tuple[str, ...] | None = None

    def seats_at(self, table: int) -> int | None:
        """Seats at table `table` (1-based); None when the slot does not limit seats."""
        if self.table_seats is None or not 1 <= table <= len(self.table_seats):
            return None
        return self.table_seats[table - 1]

    def takes(self, kind: str) -> bool:
        """Whether a request of `kind` may be placed here."""
        return not kind or self.kinds is None or kind in self.kinds


@dataclass(frozen=True)
class Participant:
    """Someone who attends meetings; `max_meetings` None means no limit."""

    id: str
    available: frozenset[str]
    max_meetings: int | None = None
    side: str = ""
    people: int = 1


@dataclass(frozen=True)
class Request:
    """An accepted meeting request: every listed participant attends (two for B2B, more for C2C)."""

    id: str
    participants: tuple[str, ...]
    weight: int = 1
    kind: str = ""


@dataclass(frozen=True)
class Meeting:
    """A request placed at a table in a slot."""

    request: str
    slot: str
    table: int


# A locked meeting has exactly the shape of a meeting; the name says it must not move.
LockedMeeting = Meeting


@dataclass(frozen=True)
class Instance:
    """A validated scheduling problem (build it with `io.instance_from_dict`)."""

    name: str
    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    locked: tuple[LockedMeeting, ...] = ()

    def people_in(self, request: Request) -> int:
        """How many persons a request's meeting seats (the sum of its attendees' `people`)."""
        people = {person.id: person.people for person in self.participants}
        return sum(people[person_id] for person_id in request.participants)


@dataclass(frozen=True)
class Schedule:
    """The meetings placed, in no particular order."""

    meetings: tuple[Meeting, ...] = ()


class Reason(enum.StrEnum):
    """Why a request was left out of the schedule."""

    NO_COMMON_SLOT = "no_common_slot"
    NO_SLOT_FOR_KIND = "no_slot_for_kind"
    NO_TABLE_BIG_ENOUGH = "no_table_big_enough"
    PARTICIPANT_AT_LIMIT = "participant_at_limit"
    NO_TABLE_FREE = "no_table_free"
    DISPLACED = "displaced_by_higher_weight"


@dataclass(frozen=True)
class Result:
    """A schedule with the evidence of how good it is.

    `bound` is an upper bound on the weight any feasible schedule could place, so
    `weight / bound` is a guaranteed quality ratio; `proven_optimal` means the solver
    proved no schedule places more weight. `moved` and `dropped` count meetings of the
    previous schedule that now sit elsewhere or are no longer placed.
    """

    schedule: Schedule
    weight: int
    bound: float
    bound_kind: str
    proven_optimal: bool
    unplaced: dict[str, Reason] = field(default_factory=dict)
    moved: int = 0
    dropped: int = 0
    seconds: float = 0.0

    @property
    def ratio(self) -> float:
        """Placed weight as a fraction of the upper bound (1.0 when nothing can be placed)."""
        return self.weight / self.bound if self.bound > 0 else 1.0
