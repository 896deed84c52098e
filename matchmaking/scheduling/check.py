"""The project's own feasibility checker for a schedule against its instance.

It states the rules of FORMAT.md once, independently of the solver, so tests can hold every
schedule the solver returns against it (and hold it against the shared `check.py`).
"""

from __future__ import annotations

from collections import defaultdict

from .model import Instance, Schedule


def schedule_violations(instance: Instance, schedule: Schedule) -> list[str]:
    """Every rule the schedule breaks, one message each; an empty list means feasible."""
    slots = {slot.id: slot for slot in instance.slots}
    people = {person.id: person for person in instance.participants}
    requests = {request.id: request for request in instance.requests}
    problems: list[str] = []
    placed_requests: set[str] = set()
    tables_used: set[tuple[str, int]] = set()
    busy: set[tuple[str, str]] = set()
    meeting_count: dict[str, int] = defaultdict(int)
    for meeting in schedule.meetings:
        request = requests.get(meeting.request)
        if request is None:
            problems.append(f"unknown request {meeting.request!r}")
            continue
        if meeting.request in placed_requests:
            problems.append(f"request {meeting.request} placed twice")
        placed_requests.add(meeting.request)
        slot = slots.get(meeting.slot)
        if slot is None:
            problems.append(f"request {meeting.request}: unknown slot {meeting.slot!r}")
            continue
        if not 1 <= meeting.table <= slot.tables:
            problems.append(
                f"request {meeting.request}: table {meeting.table} outside "
                f"1..{slot.tables} in slot {slot.id}"
            )
        if (slot.id, meeting.table) in tables_used:
            problems.append(
                f"request {meeting.request}: table {meeting.table} already used in slot {slot.id}"
            )
        tables_used.add((slot.id, meeting.table))
        seats = slot.seats_at(meeting.table)
        if seats is not None:
            need = sum(people[person_id].people for person_id in request.participants)
            if need > seats:
                problems.append(
                    f"request {meeting.request}: {need} people at table {meeting.table} of "
                    f"slot {slot.id}, which seats {seats}"
                )
        if not slot.takes(request.kind):
            problems.append(
                f"request {meeting.request}: a {request.kind} meeting in slot {slot.id}, "
                f"which takes {list(slot.kinds or ())}"
            )
        for person_id in request.participants:
            if slot.id not in people[person_id].available:
                problems.append(
                    f"request {meeting.request}: {person_id} is not available in slot {slot.id}"
                )
            if (person_id, slot.id) in busy:
                problems.append(
                    f"request {meeting.request}: {person_id} has two meetings in slot {slot.id}"
                )
            busy.add((person_id, slot.id))
            meeting_count[person_id] += 1
    for person_id, count in meeting_count.items():
        limit = people[person_id].max_meetings
        if limit is not None and count > limit:
            problems.append(f"{person_id} has {count} meetings, more than max_meetings={limit}")
    placed = set(schedule.meetings)
    for locked in instance.locked:
        if locked not in placed:
            problems.append(
                f"locked meeting {locked.request} in {locked.slot} at table "
                f"{locked.table} is missing or moved"
            )
    return problems


def schedule_weight(instance: Instance, schedule: Schedule) -> int:
    """Total weight of the requests a schedule places."""
    weight_of = {request.id: request.weight for request in instance.requests}
    return sum(weight_of[meeting.request] for meeting in schedule.meetings)
