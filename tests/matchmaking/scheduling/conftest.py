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

REPO_ROOT = Path(__file__).resolve().parents[3]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _shared_bench() -> Path:
    override = os.environ.get("CLUSTERMISSIONS_SHARED_BENCH")
    if override:
        return Path(override)
    for candidate in (REPO_ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "bench" / "matchmaking" / "check.py").exists():
            return candidate / "bench" / "matchmaking"
    return REPO_ROOT.parent / "shared" / "bench" / "matchmaking"


@pytest.fixture
def shared_bench() -> Path:
    """The shared generate.py/check.py directory; a skip when absent, a failure under CI."""
    path = _shared_bench()
    if not (path / "check.py").exists():
        reason = f"shared bench tools not found at {path} (set CLUSTERMISSIONS_SHARED_BENCH)"
        if IN_CI:
            pytest.fail(f"CI must provide this: {reason}")
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
) -> Instance:
    """An instance from compact literals: slot -> tables, person -> slots, (id, people, weight)."""
    limits = limits or {}
    data = {
        "name": "test",
        "slots": [{"id": slot, "tables": tables} for slot, tables in slots.items()],
        "participants": [
            {
                "id": person,
                "available": available,
                **({"max_meetings": limits[person]} if person in limits else {}),
            }
            for person, available in people.items()
        ],
        "requests": [
            {"id": request, "participants": members, "weight": weight}
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
) -> Instance:
    """A random instance; group requests have three attendees."""
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
    return build_instance(dict.fromkeys(slot_ids, tables), available, chosen, limits=limits)


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
    """The best weight by exhaustive search with a simple remaining-weight cut."""
    slots = {slot.id: slot.tables for slot in instance.slots}
    available = {person.id: person.available for person in instance.participants}
    limits = {person.id: person.max_meetings for person in instance.participants}
    locked = {meeting.request: meeting.slot for meeting in instance.locked}
    requests = sorted(instance.requests, key=lambda request: request.id not in locked)
    suffix = [0] * (len(requests) + 1)
    for index in range(len(requests) - 1, -1, -1):
        suffix[index] = suffix[index + 1] + requests[index].weight
    busy: set[tuple[str, str]] = set()
    used = dict.fromkeys(slots, 0)
    count = dict.fromkeys(available, 0)
    best = -1

    def fits(request, slot) -> bool:
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
                for person in request.participants:
                    busy.add((person, slot))
                    count[person] += 1
                visit(index + 1, weight + request.weight)
                used[slot] -= 1
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
