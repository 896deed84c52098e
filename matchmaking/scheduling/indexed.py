"""Integer-indexed view of an instance and the mutable placement state the solvers share.

Solvers work on slot assignments only: tables within a slot are interchangeable, so a
placement is feasible when each slot holds at most `tables` meetings; table numbers are
handed out once at the end. Sets of slots are Python ints used as bit sets, which keeps the
inner loops of the construction cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Instance


def slot_bits(mask: int) -> list[int]:
    """The slot indices set in a bit mask, lowest first."""
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low.bit_length() - 1)
        mask ^= low
    return bits


@dataclass
class Problem:
    """An instance translated to indices; built once per solve."""

    slot_ids: list[str]
    tables: list[int]
    person_ids: list[str]
    available: list[int]
    limit: list[int | None]
    request_ids: list[str]
    members: list[tuple[int, ...]]
    weight: list[int]
    common: list[int]
    requests_of: list[list[int]]
    locked: dict[int, tuple[int, int]]
    # Seats and kinds (see `Slot`). `seated` is False when no slot limits seats: then
    # tables within a slot are interchangeable and `levels`/`capacity` are unused.
    seated: bool = False
    need: list[int] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    level: list[int] = field(default_factory=list)
    capacity: list[list[int]] = field(default_factory=list)
    available_common: list[int] = field(default_factory=list)
    kind_common: list[int] = field(default_factory=list)
    seats: list[tuple[int, ...] | None] = field(default_factory=list)

    @classmethod
    def from_instance(cls, instance: Instance) -> Problem:
        """Index a validated instance; slots with no tables are never usable."""
        slot_ids = [slot.id for slot in instance.slots]
        slot_index = {slot_id: index for index, slot_id in enumerate(slot_ids)}
        tables = [slot.tables for slot in instance.slots]
        usable = sum(1 << index for index, count in enumerate(tables) if count > 0)
        person_ids = [person.id for person in instance.participants]
        person_index = {person_id: index for index, person_id in enumerate(person_ids)}
        available = [
            sum(1 << slot_index[slot_id] for slot_id in person.available)
            for person in instance.participants
        ]
        limit = [person.max_meetings for person in instance.participants]
        request_ids = [request.id for request in instance.requests]
        request_index = {request_id: index for index, request_id in enumerate(request_ids)}
        members = [
            tuple(person_index[person_id] for person_id in request.participants)
            for request in instance.requests
        ]
        weight = [request.weight for request in instance.requests]
        people_of = [person.people for person in instance.participants]
        need = [sum(people_of[person] for person in people) for people in members]
        seated = any(slot.table_seats is not None for slot in instance.slots)
        # Unlimited seats, as a number larger than any meeting.
        roomy = sum(people_of) + 1
        seats = [
            tuple(slot.table_seats) if slot.table_seats is not None else (roomy,) * slot.tables
            for slot in instance.slots
        ]
        kind_masks: dict[str, int] = {}
        available_common, kind_common, common = [], [], []
        for request, people in zip(instance.requests, members, strict=True):
            mask = usable
            for person in people:
                mask &= available[person]
            available_common.append(mask)
            if request.kind:
                if request.kind not in kind_masks:
                    kind_masks[request.kind] = sum(
                        1 << index
                        for index, slot in enumerate(instance.slots)
                        if slot.takes(request.kind)
                    )
                mask &= kind_masks[request.kind]
            kind_common.append(mask)
            if seated:
                wanted = need[len(common)]
                mask &= sum(
                    1 << index
                    for index in range(len(slot_ids))
                    if seats[index] and max(seats[index]) >= wanted
                )
            common.append(mask)
        requests_of: list[list[int]] = [[] for _ in person_ids]
        for request, people in enumerate(members):
            for person in people:
                requests_of[person].append(request)
        locked = {
            request_index[meeting.request]: (slot_index[meeting.slot], meeting.table)
            for meeting in instance.locked
        }
        levels: list[int] = []
        level: list[int] = []
        capacity: list[list[int]] = []
        if seated:
            # A set of meetings fits the tables of a slot exactly when, for every level v,
            # the meetings needing at least v seats are no more than the tables seating at
            # least v; checking v at the distinct needs suffices. Locked meetings keep their
            # own table, which is taken out of the count.
            levels = sorted(set(need))
            position = {value: index for index, value in enumerate(levels)}
            level = [position[value] for value in need]
            locked_tables: list[set[int]] = [set() for _ in slot_ids]
            for slot, table in locked.values():
                locked_tables[slot].add(table)
            for slot in range(len(slot_ids)):
                free_seats = [
                    count
                    for table, count in enumerate(seats[slot], start=1)
                    if table not in locked_tables[slot]
                ]
                capacity.append([sum(1 for c in free_seats if c >= value) for value in levels])
        return cls(
            slot_ids=slot_ids,
            tables=tables,
            person_ids=person_ids,
            available=available,
            limit=limit,
            request_ids=request_ids,
            members=members,
            weight=weight,
            common=common,
            requests_of=requests_of,
            locked=locked,
            seated=seated,
            need=need,
            levels=levels,
            level=level,
            capacity=capacity,
            available_common=available_common,
            kind_common=kind_common,
            seats=seats,
        )

    @property
    def slot_count(self) -> int:
        return len(self.slot_ids)

    @property
    def request_count(self) -> int:
        return len(self.request_ids)


class State:
    """Which slot each request occupies (-1: unplaced), with the bookkeeping to test moves fast.

    Invariant kept by `place` and `remove`: `busy[p]` has bit s set exactly when person p
    meets in slot s, `at[p][s]` names that request, `used[s]` counts meetings in slot s and
    `table_free` has bit s set exactly when `used[s] < tables[s]`.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        slots = problem.slot_count
        self.slot_of = [-1] * problem.request_count
        self.busy = [0] * len(problem.person_ids)
        self.at = [[-1] * slots for _ in problem.person_ids]
        self.used = [0] * slots
        self.count = [0] * len(problem.person_ids)
        self.table_free = sum(1 << s for s in range(slots) if problem.tables[s] > 0)
        self.in_slot: list[set[int]] = [set() for _ in range(slots)]
        self.weight = 0
        # Persons with a limit, so the common unlimited case costs nothing.
        self.limited = [limit is not None for limit in problem.limit]
        # With seats: `used_at[s][i]` counts the unlocked meetings in slot s that need at
        # least `levels[i]` seats, and `free_at[i]` has bit s set exactly when a meeting of
        # level i still fits in slot s (every level up to i has a table left).
        self.used_at: list[list[int]] = []
        self.free_at: list[int] = []
        if problem.seated:
            self.used_at = [[0] * len(problem.levels) for _ in range(slots)]
            self.free_at = [0] * len(problem.levels)
            for slot in range(slots):
                self._refresh(slot)

    def place(self, request: int, slot: int) -> None:
        problem = self.problem
        self.slot_of[request] = slot
        bit = 1 << slot
        for person in problem.members[request]:
            self.busy[person] |= bit
            self.at[person][slot] = request
            self.count[person] += 1
        self.used[slot] += 1
        if self.used[slot] >= problem.tables[slot]:
            self.table_free &= ~bit
        self.in_slot[slot].add(request)
        self.weight += problem.weight[request]
        if problem.seated and request not in problem.locked:
            used = self.used_at[slot]
            for index in range(problem.level[request] + 1):
                used[index] += 1
            self._refresh(slot)

    def remove(self, request: int) -> int:
        problem = self.problem
        slot = self.slot_of[request]
        self.slot_of[request] = -1
        bit = 1 << slot
        for person in problem.members[request]:
            self.busy[person] &= ~bit
            self.at[person][slot] = -1
            self.count[person] -= 1
        self.used[slot] -= 1
        self.table_free |= bit
        self.in_slot[slot].discard(request)
        self.weight -= problem.weight[request]
        if problem.seated and request not in problem.locked:
            used = self.used_at[slot]
            for index in range(problem.level[request] + 1):
                used[index] -= 1
            self._refresh(slot)
        return slot

    def _refresh(self, slot: int) -> None:
        """Recompute the bits of `slot` in `free_at` from its counts."""
        bit = 1 << slot
        used = self.used_at[slot]
        capacity = self.problem.capacity[slot]
        fits = True
        for index in range(len(used)):
            fits = fits and used[index] < capacity[index]
            if fits:
                self.free_at[index] |= bit
            else:
                self.free_at[index] &= ~bit

    def table_for(self, request: int) -> int:
        """Slots with a table left that `request` fits at (seats counted when they matter)."""
        if self.problem.seated:
            return self.free_at[self.problem.level[request]]
        return self.table_free

    def under_limit(self, request: int) -> bool:
        """Whether every attendee could take one more meeting."""
        limit = self.problem.limit
        return all(
            not self.limited[p] or self.count[p] < limit[p] for p in self.problem.members[request]
        )

    def person_free(self, request: int) -> int:
        """Common slots in which no attendee of `request` meets (tables not considered)."""
        mask = self.problem.common[request]
        for person in self.problem.members[request]:
            mask &= ~self.busy[person]
        return mask
