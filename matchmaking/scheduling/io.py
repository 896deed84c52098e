"""JSON at the edge: read and validate instances and schedules, write schedules.

The format is the scheduling benchmark's shared JSON (every id a string): `slots` (`id`,
`tables`, optional `start`, `end`, `table_seats`: seats at tables 1..tables, `kinds`),
`participants` (`id`, `available` slot ids, optional `max_meetings`, `side`, `people`:
persons attending for it, default 1), `requests` (`id`, `participants`, optional `weight`,
default 1, and `kind`) and optional `locked` meetings (`request`, `slot`, `table`); a
schedule is `{"meetings": [{"request", "slot", "table"}]}`. Reading validates everything
the solver relies on and raises `InvalidInstance` naming the first problem, so the solver
itself never has to guess what malformed data means.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from .model import Instance, LockedMeeting, Meeting, Participant, Request, Schedule, Slot


class InvalidInstance(ValueError):
    """The instance (or previous schedule) cannot be scheduled; the message names why."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidInstance(message)


def _list_of(data: dict, key: str, where: str, required: bool = True) -> list:
    if key not in data:
        _require(not required, f"{where}: missing {key!r}")
        return []
    value = data[key]
    _require(isinstance(value, list), f"{where}: {key!r} must be a list")
    return value


def _object(value: Any, where: str) -> dict:
    _require(isinstance(value, dict), f"{where} must be a JSON object")
    return value


def _identifier(data: dict, where: str, seen: set[str]) -> str:
    identifier = data.get("id")
    _require(isinstance(identifier, str) and identifier != "", f"{where}: 'id' must be a string")
    _require(identifier not in seen, f"{where}: duplicate id {identifier!r}")
    seen.add(identifier)
    return identifier


def loads_json(text: str, what: str = "instance") -> Any:
    """Parse JSON text, turning a syntax error into `InvalidInstance`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInstance(f"malformed JSON in {what}: {error}") from error


def instance_from_dict(data: Any) -> Instance:
    """Build a validated `Instance` from the decoded JSON of the shared format.

    Raises `InvalidInstance` for unknown ids, duplicate ids, negative or non-integer weights,
    table counts or limits, `people` below 1, `table_seats` that are not one non-negative
    count per table, `kinds` or `kind` that are not strings, requests with fewer than two
    distinct participants, and locked meetings that are outside availability, out of table
    range, at a table with too few seats, in a slot that does not take their kind, sharing a
    table or a participant in one slot, locked twice, or beyond a participant's limit.
    """
    data = _object(data, "instance")
    name = data.get("name", "")
    _require(isinstance(name, str), "instance: 'name' must be a string")

    slots: list[Slot] = []
    seen: set[str] = set()
    for index, raw in enumerate(_list_of(data, "slots", "instance")):
        raw = _object(raw, f"slot #{index}")
        slot_id = _identifier(raw, f"slot #{index}", seen)
        tables = raw.get("tables")
        _require(
            _is_int(tables) and tables >= 0,
            f"slot {slot_id}: 'tables' must be a non-negative integer, got {tables!r}",
        )
        seats = raw.get("table_seats")
        if seats is not None:
            _require(
                isinstance(seats, list) and len(seats) == tables,
                f"slot {slot_id}: 'table_seats' must be a list of {tables} seat counts"
                f" (one per table), got {seats!r}",
            )
            for count in seats:
                _require(
                    _is_int(count) and count >= 0,
                    f"slot {slot_id}: seat counts must be non-negative integers, got {count!r}",
                )
            seats = tuple(seats)
        kinds = raw.get("kinds")
        if kinds is not None:
            _require(
                isinstance(kinds, list) and all(isinstance(kind, str) and kind for kind in kinds),
                f"slot {slot_id}: 'kinds' must be a list of non-empty strings, got {kinds!r}",
            )
            kinds = tuple(dict.fromkeys(kinds))
        slots.append(
            Slot(
                id=slot_id,
                tables=tables,
                start=str(raw.get("start", "")),
                end=str(raw.get("end", "")),
                table_seats=seats,
                kinds=kinds,
            )
        )
    slot_by_id = {slot.id: slot for slot in slots}

    participants: list[Participant] = []
    seen = set()
    for index, raw in enumerate(_list_of(data, "participants", "instance")):
        raw = _object(raw, f"participant #{index}")
        person_id = _identifier(raw, f"participant #{index}", seen)
        available = _list_of(raw, "available", f"participant {person_id}")
        for slot_id in available:
            _require(
                isinstance(slot_id, str) and slot_id in slot_by_id,
                f"participant {person_id}: unknown slot {slot_id!r} in 'available'",
            )
        limit = raw.get("max_meetings")
        _require(
            limit is None or (_is_int(limit) and limit >= 0),
            f"participant {person_id}: 'max_meetings' must be a non-negative integer,"
            f" got {limit!r}",
        )
        people = raw.get("people", 1)
        _require(
            _is_int(people) and people >= 1,
            f"participant {person_id}: 'people' must be a positive integer, got {people!r}",
        )
        participants.append(
            Participant(
                id=person_id,
                available=frozenset(available),
                max_meetings=limit,
                side=str(raw.get("side", "")),
                people=people,
            )
        )
    person_by_id = {person.id: person for person in participants}

    requests: list[Request] = []
    seen = set()
    for index, raw in enumerate(_list_of(data, "requests", "instance")):
        raw = _object(raw, f"request #{index}")
        request_id = _identifier(raw, f"request #{index}", seen)
        members = _list_of(raw, "participants", f"request {request_id}")
        for person_id in members:
            _require(
                isinstance(person_id, str) and person_id in person_by_id,
                f"request {request_id}: unknown participant {person_id!r}",
            )
        _require(
            len(set(members)) == len(members),
            f"request {request_id}: a participant is listed twice",
        )
        _require(len(members) >= 2, f"request {request_id}: needs at least two participants")
        weight = raw.get("weight", 1)
        _require(
            _is_int(weight), f"request {request_id}: weight must be an integer, got {weight!r}"
        )
        _require(weight >= 0, f"request {request_id}: negative weight {weight}")
        kind = raw.get("kind", "")
        _require(
            isinstance(kind, str), f"request {request_id}: 'kind' must be a string, got {kind!r}"
        )
        requests.append(
            Request(id=request_id, participants=tuple(members), weight=weight, kind=kind)
        )
    request_by_id = {request.id: request for request in requests}

    locked: list[LockedMeeting] = []
    table_taken: dict[tuple[str, int], str] = {}
    person_busy: dict[tuple[str, str], str] = {}
    locked_requests: set[str] = set()
    locked_count: dict[str, int] = defaultdict(int)
    for index, raw in enumerate(_list_of(data, "locked", "instance", required=False)):
        raw = _object(raw, f"locked meeting #{index}")
        request_id, slot_id, table = raw.get("request"), raw.get("slot"), raw.get("table")
        where = f"locked meeting #{index} ({request_id!r} in {slot_id!r} at table {table!r})"
        _require(
            isinstance(request_id, str) and request_id in request_by_id,
            f"{where}: unknown request {request_id!r}",
        )
        _require(
            isinstance(slot_id, str) and slot_id in slot_by_id, f"{where}: unknown slot {slot_id!r}"
        )
        _require(request_id not in locked_requests, f"{where}: request locked twice")
        locked_requests.add(request_id)
        tables = slot_by_id[slot_id].tables
        _require(
            _is_int(table) and 1 <= table <= tables, f"{where}: table out of range 1..{tables}"
        )
        slot = slot_by_id[slot_id]
        request = request_by_id[request_id]
        _require(
            slot.takes(request.kind),
            f"{where}: a {request.kind} meeting in a slot that takes only"
            f" {', '.join(slot.kinds or ())}",
        )
        seats = slot.seats_at(table)
        need = sum(person_by_id[person_id].people for person_id in request.participants)
        _require(
            seats is None or need <= seats,
            f"{where}: {need} people at a table that seats {seats}",
        )
        other = table_taken.get((slot_id, table))
        _require(other is None, f"{where}: two locked meetings at one table (also {other!r})")
        table_taken[(slot_id, table)] = request_id
        for person_id in request_by_id[request_id].participants:
            _require(
                slot_id in person_by_id[person_id].available,
                f"{where}: outside availability of {person_id}",
            )
        for person_id in request_by_id[request_id].participants:
            other = person_busy.get((person_id, slot_id))
            _require(
                other is None,
                f"{where}: {person_id} is also in locked meeting {other!r} in that slot",
            )
            person_busy[(person_id, slot_id)] = request_id
            locked_count[person_id] += 1
            limit = person_by_id[person_id].max_meetings
            _require(
                limit is None or locked_count[person_id] <= limit,
                f"{where}: locked meetings exceed max_meetings={limit} of {person_id}",
            )
        locked.append(LockedMeeting(request=request_id, slot=slot_id, table=table))

    return Instance(
        name=name,
        slots=tuple(slots),
        participants=tuple(participants),
        requests=tuple(requests),
        locked=tuple(locked),
    )


def instance_loads(text: str) -> Instance:
    """Parse and validate an instance from JSON text."""
    return instance_from_dict(loads_json(text, "instance"))


def schedule_from_dict(data: Any) -> Schedule:
    """Read a schedule's meetings; it is checked against an instance elsewhere, not here."""
    data = _object(data, "schedule")
    meetings = []
    for index, raw in enumerate(_list_of(data, "meetings", "schedule")):
        raw = _object(raw, f"schedule meeting #{index}")
        request_id, slot_id, table = raw.get("request"), raw.get("slot"), raw.get("table")
        _require(
            isinstance(request_id, str) and isinstance(slot_id, str) and _is_int(table),
            f"schedule meeting #{index}: needs string 'request' and 'slot', integer 'table'",
        )
        meetings.append(Meeting(request=request_id, slot=slot_id, table=table))
    return Schedule(meetings=tuple(meetings))


def schedule_loads(text: str) -> Schedule:
    """Parse a schedule from JSON text."""
    return schedule_from_dict(loads_json(text, "schedule"))


def schedule_to_dict(schedule: Schedule) -> dict:
    """The shared JSON shape of a schedule."""
    return {
        "meetings": [
            {"request": meeting.request, "slot": meeting.slot, "table": meeting.table}
            for meeting in schedule.meetings
        ]
    }


def instance_to_dict(instance: Instance) -> dict:
    """The shared JSON shape of an instance (used by tests and the benchmark)."""
    return {
        "name": instance.name,
        "slots": [
            {
                "id": slot.id,
                "start": slot.start,
                "end": slot.end,
                "tables": slot.tables,
                **({} if slot.table_seats is None else {"table_seats": list(slot.table_seats)}),
                **({} if slot.kinds is None else {"kinds": list(slot.kinds)}),
            }
            for slot in instance.slots
        ],
        "participants": [
            {
                "id": person.id,
                "side": person.side,
                "available": [slot.id for slot in instance.slots if slot.id in person.available],
                **({} if person.max_meetings is None else {"max_meetings": person.max_meetings}),
                **({} if person.people == 1 else {"people": person.people}),
            }
            for person in instance.participants
        ],
        "requests": [
            {
                "id": request.id,
                "participants": list(request.participants),
                "weight": request.weight,
                **({"kind": request.kind} if request.kind else {}),
            }
            for request in instance.requests
        ],
        "locked": [
            {"request": meeting.request, "slot": meeting.slot, "table": meeting.table}
            for meeting in instance.locked
        ],
    }
