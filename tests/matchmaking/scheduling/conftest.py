"""Builders and the shared-checker fixture for the scheduling core's tests.

The core is pure Python, so nothing here touches the database.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from matchmaking.scheduling.check import schedule_violations
from matchmaking.scheduling.io import instance_from_dict, instance_to_dict, schedule_to_dict
from matchmaking.scheduling.model import Instance, Result, Schedule
from matchmaking.scheduling.solve import schedule_solve

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def shared_bench() -> Path:
    """The benchmark's generate.py/check.py directory, named by CLUSTERMISSIONS_SHARED_BENCH
    (the repository points nowhere outside itself, so a fresh clone has no such tools).

    Unset: the cross-checks skip, under CI too. Set to a directory without check.py: a
    skip, and a failure under CI (a misconfigured run must not pass silently).
    """
    named = os.environ.get("CLUSTERMISSIONS_SHARED_BENCH", "")
    if not named:
        pytest.skip("set CLUSTERMISSIONS_SHARED_BENCH to cross-check with the shared check.py")
    path = Path(named)
    if not (path / "check.py").exists():
        reason = f"no check.py in CLUSTERMISSIONS_SHARED_BENCH={path}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def shared_check(shared_bench: Path, tmp_path: Path) -> Callable[[Instance, Schedule], str]:
    """Run the shared check.py on an instance and schedule; returns 'ok ...' or its violation."""

    def run(instance: Instance, schedule: Schedule) -> str:
        instance_path = tmp_path / "instance.json"
        schedule_path = tmp_path / "schedule.json"
        instance_path.write_text(json.dumps(instance_to_dict(instance)))
        schedule_path.write_text(json.dumps(schedule_to_dict(schedule)))
        # The aggregate bound keeps the shared checker fast; the verdict does not depend on it.
        done = subprocess.run(
            [
                sys.executable,
                str(shared_bench / "check.py"),
                str(instance_path),
                str(schedule_path),
                "--bound",
                "aggregate",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        return ("ok " if done.returncode == 0 else "") + done.stdout.strip()

    return run


def build_instance(
    slots: dict[str, int],
    people: dict[str, list[str]],
    requests: list[tuple[str, list[str], int]],
    *,
    limits: dict[str, int] | None = None,
    locked: list[tuple[str, str, int]] | None = None,
    seats: dict[str, list[int]] | None = None,
    slot_kinds: dict[str, list[str]] | None = None,
    sizes: dict[str, int] | None = None,
    kinds: dict[str, str] | None = None,
) -> Instance:
    """An instance from compact literals: slot -> tables, person -> slots, (id, people, weight).

    Optional: `seats` (slot -> seats per table), `slot_kinds` (slot -> kinds it takes),
    `sizes` (person -> people attending) and `kinds` (request -> kind).
    """
    limits, seats, slot_kinds = limits or {}, seats or {}, slot_kinds or {}
    sizes, kinds = sizes or {}, kinds or {}
    data = {
        "name": "test",
        "slots": [
            {
                "id": slot,
                "tables": tables,
                **({"table_seats": seats[slot]} if slot in seats else {}),
                **({"kinds": slot_kinds[slot]} if slot in slot_kinds else {}),
            }
            for slot, tables in slots.items()
        ],
        "participants": [
            {
                "id": person,
                "available": available,
                **({"max_meetings": limits[person]} if person in limits else {}),
                **({"people": sizes[person]} if person in sizes else {}),
            }
            for person, available in people.items()
        ],
        "requests": [
            {
                "id": request,
                "participants": members,
                "weight": weight,
                **({"kind": kinds[request]} if request in kinds else {}),
            }
            for request, members, weight in requests
        ],
        "locked": [
            {"request": request, "slot": slot, "table": table}
            for request, slot, table in (locked or [])
        ],
    }
    return instance_from_dict(data)


def random_instance(
    rng: random.Random,
    *,
    people: int,
    slots: int,
    requests: int,
    tables: int,
    group_share: float = 0.0,
    limit_share: float = 0.0,
    availability: float = 0.7,
    seated: bool = False,
    kinded: bool = False,
) -> Instance:
    """A random instance; group requests have three attendees.

    `seated` gives persons 1-3 people and tables 2-6 seats; `kinded` makes group requests
    "c2c" and pairs "b2b", "c2c" or kindless, and some slots take only one kind.
    """
    slot_ids = [f"s{index}" for index in range(slots)]
    person_ids = [f"p{index}" for index in range(people)]
    available = {
        person: [slot for slot in slot_ids if rng.random() < availability] for person in person_ids
    }
    limits = {person: rng.randint(0, 2) for person in person_ids if rng.random() < limit_share}
    seen, chosen = set(), []
    attempts = 0
    while len(chosen) < requests and attempts < 1000:
        attempts += 1
        size = 3 if rng.random() < group_share else 2
        members = tuple(sorted(rng.sample(person_ids, size)))
        if members not in seen:
            seen.add(members)
            chosen.append((f"r{len(chosen)}", list(members), rng.randint(1, 3)))
    seats, slot_kinds, sizes, kinds = {}, {}, {}, {}
    if seated:
        sizes = {person: rng.choice((1, 1, 2, 3)) for person in person_ids}
        seats = {slot: [rng.choice((2, 3, 4, 6)) for _ in range(tables)] for slot in slot_ids}
    if kinded:
        for slot in slot_ids:
            if rng.random() < 0.6:
                slot_kinds[slot] = [rng.choice(("b2b", "c2c"))]
        for request, members, _weight in chosen:
            kind = "c2c" if len(members) > 2 else rng.choice(("b2b", "c2c", ""))
            if kind:
                kinds[request] = kind
    return build_instance(
        dict.fromkeys(slot_ids, tables),
        available,
        chosen,
        limits=limits,
        seats=seats,
        slot_kinds=slot_kinds,
        sizes=sizes,
        kinds=kinds,
    )


def solve_checked(instance: Instance, **options) -> Result:
    """Solve and assert the project's checker finds the schedule feasible."""
    result = schedule_solve(instance, **options)
    assert schedule_violations(instance, result.schedule) == []
    return result


@pytest.fixture
def build() -> Callable[..., Instance]:
    return build_instance


@pytest.fixture
def random_build() -> Callable[..., Instance]:
    return random_instance


@pytest.fixture
def solve() -> Callable[..., Result]:
    return solve_checked


def brute_force(instance: Instance) -> int:
    """The best weight by exhaustive search with a simple remaining-weight cut.

    Seats are checked directly: the meetings of a slot fit when, largest first, each can
    sit at the next largest table not held by a locked meeting.
    """
    slots = {slot.id: slot.tables for slot in instance.slots}
    slot_of_id = {slot.id: slot for slot in instance.slots}
    available = {person.id: person.available for person in instance.participants}
    limits = {person.id: person.max_meetings for person in instance.participants}
    locked = {meeting.request: meeting.slot for meeting in instance.locked}
    locked_tables: dict[str, set[int]] = {slot: set() for slot in slots}
    for meeting in instance.locked:
        locked_tables[meeting.slot].add(meeting.table)
    open_seats = {
        slot.id: sorted(
            (
                slot.seats_at(table) or 10**9
                for table in range(1, slot.tables + 1)
                if table not in locked_tables[slot.id]
            ),
            reverse=True,
        )
        for slot in instance.slots
    }
    need = {request.id: instance.people_in(request) for request in instance.requests}
    placed_needs: dict[str, list[int]] = {slot: [] for slot in slots}

    def seats_fit(request, slot) -> bool:
        if request.id in locked:
            return True
        needs = sorted([*placed_needs[slot], need[request.id]], reverse=True)
        tables = open_seats[slot]
        return len(needs) <= len(tables) and all(
            n <= t for n, t in zip(needs, tables, strict=False)
        )

    requests = sorted(instance.requests, key=lambda request: request.id not in locked)
    suffix = [0] * (len(requests) + 1)
    for index in range(len(requests) - 1, -1, -1):
        suffix[index] = suffix[index + 1] + requests[index].weight
    busy: set[tuple[str, str]] = set()
    used = dict.fromkeys(slots, 0)
    count = dict.fromkeys(available, 0)
    best = -1

    def fits(request, slot) -> bool:
        if not slot_of_id[slot].takes(request.kind) or not seats_fit(request, slot):
            return False
        return used[slot] < slots[slot] and all(
            slot in available[p]
            and (p, slot) not in busy
            and (limits[p] is None or count[p] < limits[p])
            for p in request.participants
        )

    def visit(index: int, weight: int) -> None:
        nonlocal best
        if weight + suffix[index] <= best:
            return
        if index == len(requests):
            best = weight
            return
        request = requests[index]
        choices = [locked[request.id]] if request.id in locked else list(slots)
        for slot in choices:
            if fits(request, slot):
                used[slot] += 1
                if request.id not in locked:
                    placed_needs[slot].append(need[request.id])
                for person in request.participants:
                    busy.add((person, slot))
                    count[person] += 1
                visit(index + 1, weight + request.weight)
                used[slot] -= 1
                if request.id not in locked:
                    placed_needs[slot].remove(need[request.id])
                for person in request.participants:
                    busy.discard((person, slot))
                    count[person] -= 1
        if request.id not in locked:
            visit(index + 1, weight)

    visit(0, 0)
    return best


@pytest.fixture(name="brute_force_optimum")
def brute_force_fixture() -> Callable[[Instance], int]:
    return brute_force
