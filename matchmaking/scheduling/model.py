"""Plain data the scheduling core takes and returns.

Everything here is immutable and free of Django, so the Celery task, the organiser's page,
the command line and the benchmark all hand the solver the same objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """A time slot in which `tables` meetings can run side by side (tables 1..tables)."""

    id: str
    tables: int
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class Participant:
    """Someone who attends meetings; `max_meetings` None means no limit."""

    id: str
    available: frozenset[str]
    max_meetings: int | None = None
    side: str = ""


@dataclass(frozen=True)
class Request:
    """An accepted meeting request: every listed participant attends (two for B2B, more for C2C)."""

    id: str
    participants: tuple[str, ...]
    weight: int = 1


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


@dataclass(frozen=True)
class Schedule:
    """The meetings placed, in no particular order."""

    meetings: tuple[Meeting, ...] = ()


class Reason(enum.StrEnum):
    """Why a request was left out of the schedule."""

    NO_COMMON_SLOT = "no_common_slot"
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
