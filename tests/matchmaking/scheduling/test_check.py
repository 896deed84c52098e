"""The project's checker: it accepts what the solver returns and agrees with the shared one."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from matchmaking.scheduling.check import schedule_violations, schedule_weight
from matchmaking.scheduling.io import instance_loads, schedule_to_dict
from matchmaking.scheduling.model import Meeting, Schedule


def the_instance(build):
    return build(
        {"s1": 2, "s2": 1},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1"], "d": ["s2"]},
        [
            ("ab", ["a", "b"], 2),
            ("bc", ["b", "c"], 1),
            ("ad", ["a", "d"], 1),
            ("abc", ["a", "b", "c"], 1),
        ],
        limits={"d": 1},
        locked=[("bc", "s1", 2)],
    )


FEASIBLE = (Meeting("bc", "s1", 2), Meeting("ab", "s2", 1))
CASES = {
    "feasible": (FEASIBLE, None),
    "table used twice": ((Meeting("bc", "s1", 2), Meeting("ad", "s1", 2)), "already used"),
    "table out of range": ((Meeting("bc", "s1", 2), Meeting("ab", "s2", 2)), "outside 1..1"),
    "outside availability": (
        (Meeting("bc", "s1", 2), Meeting("ad", "s1", 1)),
        "d is not available",
    ),
    "double-booked attendee": (
        (Meeting("bc", "s1", 2), Meeting("ab", "s1", 1)),
        "b has two meetings",
    ),
    "group attendee double-booked": (
        (Meeting("bc", "s1", 2), Meeting("abc", "s1", 1)),
        "has two meetings",
    ),
    "placed twice": (
        (Meeting("bc", "s1", 2), Meeting("ab", "s2", 1), Meeting("ab", "s1", 1)),
        "placed twice",
    ),
    "locked moved": ((Meeting("bc", "s1", 1),), "is missing or moved"),
    "locked missing": ((Meeting("ab", "s2", 1),), "is missing or moved"),
    "unknown request": ((Meeting("bc", "s1", 2), Meeting("zz", "s2", 1)), "unknown request"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_violations_agrees_with_shared_checker(case, build, shared_check):
    instance = the_instance(build)
    meetings, expected = CASES[case]
    schedule = Schedule(meetings=meetings)

    ours = schedule_violations(instance, schedule)
    theirs = shared_check(instance, schedule)

    if expected is None:
        assert ours == []
        assert theirs.startswith("ok placed=2 weight=3")
    else:
        assert any(expected in problem for problem in ours), ours
        assert theirs.startswith("infeasible: ")
        assert expected in theirs


def test_schedule_violations_limit_exceeded_agrees_with_shared_checker(build, shared_check):
    instance = build(
        {"s1": 3, "s2": 3},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1", "s2"]},
        [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 1)],
        limits={"a": 1},
    )
    schedule = Schedule(meetings=(Meeting("ab", "s1", 1), Meeting("ac", "s2", 1)))

    assert schedule_violations(instance, schedule) == ["a has 2 meetings, more than max_meetings=1"]
    assert shared_check(instance, schedule) == (
        "infeasible: a has 2 meetings, more than max_meetings=1"
    )


@pytest.mark.parametrize("seed", range(3))
def test_solver_schedules_pass_both_checkers(seed, random_build, solve, shared_check):
    rng = random.Random(500 + seed)
    instance = random_build(
        rng, people=25, slots=5, requests=70, tables=6, group_share=0.2, limit_share=0.2
    )

    result = solve(instance, time_limit=2)

    verdict = shared_check(instance, result.schedule)
    assert verdict.startswith(f"ok placed={len(result.schedule.meetings)} weight={result.weight} ")
    assert schedule_weight(instance, result.schedule) == result.weight


def test_solver_proves_shared_small_instance_optimal(shared_bench, tmp_path, solve, shared_check):
    # The shared generator's small size is the reference for "proven optimal".
    path = tmp_path / "small.json"
    subprocess.run(
        [sys.executable, str(shared_bench / "generate.py"), "small", "c2c70", "1", str(path)],
        check=True,
    )
    instance = instance_loads(path.read_text())

    result = solve(instance, time_limit=20)

    assert result.proven_optimal
    assert result.weight == result.bound == 329
    (tmp_path / "schedule.json").write_text(json.dumps(schedule_to_dict(result.schedule)))
    assert shared_check(instance, result.schedule).startswith("ok placed=")
