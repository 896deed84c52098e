"""Seats at tables, delegations of several people, and meeting kinds per slot."""

from __future__ import annotations

import random

import pytest

from matchmaking.scheduling.bound import upper_bound
from matchmaking.scheduling.check import schedule_violations
from matchmaking.scheduling.indexed import Problem
from matchmaking.scheduling.io import InvalidInstance, instance_from_dict, instance_to_dict
from matchmaking.scheduling.model import Meeting, Reason, Schedule


def test_schedule_solve_three_people_never_sit_at_a_two_seat_table(build, solve):
    # a brings two people, b one: their C2C meeting needs three seats; s1 has only 2-seat
    # tables, s2 has one 4-seat table.
    instance = build(
        {"s1": 3, "s2": 2},
        {"a": ["s1", "s2"], "b": ["s1", "s2"]},
        [("ab", ["a", "b"], 1)],
        seats={"s1": [2, 2, 2], "s2": [2, 4]},
        sizes={"a": 2},
    )

    result = solve(instance)

    assert result.schedule.meetings == (Meeting("ab", "s2", 2),)


def test_schedule_solve_no_table_big_enough_is_the_reason(build, solve):
    instance = build(
        {"s1": 3},
        {"a": ["s1"], "b": ["s1"], "c": ["s1"]},
        [("abc", ["a", "b", "c"], 5), ("ab", ["a", "b"], 1)],
        seats={"s1": [2, 2, 2]},
    )

    result = solve(instance)

    assert result.schedule.meetings == (Meeting("ab", "s1", 1),)
    assert result.unplaced == {"abc": Reason.NO_TABLE_BIG_ENOUGH}


def test_schedule_solve_small_meeting_leaves_the_big_table_to_the_group(
    build, solve, brute_force_optimum
):
    # One 2-seat and one 4-seat table: the pair must take the small one so the group of
    # three fits at the big one.
    instance = build(
        {"s1": 2},
        {name: ["s1"] for name in "abcde"},
        [("ab", ["a", "b"], 1), ("cde", ["c", "d", "e"], 1)],
        seats={"s1": [4, 2]},
    )

    result = solve(instance)

    assert set(result.schedule.meetings) == {Meeting("ab", "s1", 2), Meeting("cde", "s1", 1)}
    assert result.weight == brute_force_optimum(instance) == 2


def test_schedule_solve_group_needing_big_tables_is_limited_by_them(build, solve):
    # Two groups of four but a single 4-seat table per slot: one slot each, never both in one.
    people = {name: ["s1", "s2"] for name in "abcdefgh"}
    instance = build(
        {"s1": 3, "s2": 3},
        people,
        [("abcd", ["a", "b", "c", "d"], 1), ("efgh", ["e", "f", "g", "h"], 1)],
        seats={"s1": [2, 4, 2], "s2": [4, 2, 2]},
    )

    result = solve(instance)

    assert {(m.slot, m.table) for m in result.schedule.meetings} == {("s1", 2), ("s2", 1)}


def test_schedule_solve_c2c_request_not_placed_in_b2b_slot(build, solve):
    instance = build(
        {"s1": 5, "s2": 5},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1"], "d": ["s1"]},
        [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 1)],
        slot_kinds={"s1": ["b2b"], "s2": ["c2c"]},
        kinds={"ab": "c2c", "cd": "c2c"},
    )

    result = solve(instance)

    assert result.schedule.meetings == (Meeting("ab", "s2", 1),)
    assert result.unplaced == {"cd": Reason.NO_SLOT_FOR_KIND}


def test_schedule_solve_request_without_kind_goes_anywhere(build, solve):
    instance = build(
        {"s1": 1},
        {"a": ["s1"], "b": ["s1"]},
        [("ab", ["a", "b"], 1)],
        slot_kinds={"s1": ["b2b"]},
    )

    assert solve(instance).schedule.meetings == (Meeting("ab", "s1", 1),)


def test_schedule_solve_previous_tables_kept_when_seats_allow(build, solve):
    instance = build(
        {"s1": 3},
        {name: ["s1"] for name in "abcdefg"},
        [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 1), ("efg", ["e", "f", "g"], 1)],
        seats={"s1": [2, 4, 2]},
    )
    previous = Schedule(meetings=(Meeting("ab", "s1", 3), Meeting("cd", "s1", 1)))

    result = solve(instance, previous=previous)

    assert set(result.schedule.meetings) == {
        Meeting("ab", "s1", 3),
        Meeting("cd", "s1", 1),
        Meeting("efg", "s1", 2),
    }
    assert (result.moved, result.dropped) == (0, 0)


def test_schedule_solve_previous_small_meeting_at_big_table_moves_for_the_group(build, solve):
    instance = build(
        {"s1": 2},
        {name: ["s1"] for name in "abcde"},
        [("ab", ["a", "b"], 1), ("cde", ["c", "d", "e"], 1)],
        seats={"s1": [2, 4]},
    )
    previous = Schedule(meetings=(Meeting("ab", "s1", 2),))

    result = solve(instance, previous=previous)

    assert set(result.schedule.meetings) == {Meeting("ab", "s1", 1), Meeting("cde", "s1", 2)}
    assert (result.moved, result.dropped) == (1, 0)


def test_schedule_solve_locked_meeting_holds_its_big_table(build, solve):
    # The pair is locked at the only 4-seat table: the group cannot sit anywhere.
    instance = build(
        {"s1": 2},
        {name: ["s1"] for name in "abcde"},
        [("ab", ["a", "b"], 1), ("cde", ["c", "d", "e"], 3)],
        seats={"s1": [4, 2]},
        locked=[("ab", "s1", 1)],
    )

    result = solve(instance)

    assert result.schedule.meetings == (Meeting("ab", "s1", 1),)
    assert result.unplaced == {"cde": Reason.NO_TABLE_FREE}


@pytest.mark.parametrize("seed", range(30))
def test_schedule_solve_random_tiny_with_seats_and_kinds_matches_brute_force(
    seed, random_build, solve, brute_force_optimum
):
    rng = random.Random(7000 + seed)
    instance = random_build(
        rng,
        people=rng.randint(4, 7),
        slots=rng.randint(1, 3),
        requests=rng.randint(4, 9),
        tables=rng.randint(1, 3),
        group_share=0.3,
        limit_share=0.3,
        seated=True,
        kinded=seed % 2 == 0,
    )

    result = solve(instance, time_limit=10)

    assert result.weight == brute_force_optimum(instance)
    assert result.proven_optimal
    bound, _kind, _choice = upper_bound(Problem.from_instance(instance))
    assert bound >= result.weight


@pytest.mark.parametrize("seed", range(2))
def test_schedule_solve_medium_random_with_seats_and_kinds_is_feasible(seed, random_build, solve):
    rng = random.Random(8100 + seed)
    instance = random_build(
        rng,
        people=60,
        slots=8,
        requests=250,
        tables=10,
        group_share=0.2,
        limit_share=0.2,
        seated=True,
        kinded=True,
    )

    result = solve(instance, time_limit=3)

    assert 0 < result.weight <= result.bound
    assert set(result.unplaced) | {m.request for m in result.schedule.meetings} == {
        r.id for r in instance.requests
    }


def the_seated_instance(build):
    return build(
        {"s1": 2, "s2": 1},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1", "s2"]},
        [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 1)],
        seats={"s1": [2, 4]},
        slot_kinds={"s2": ["b2b"]},
        sizes={"a": 2},
        kinds={"ab": "c2c", "bc": "b2b"},
    )


def test_schedule_violations_names_a_table_too_small(build):
    instance = the_seated_instance(build)

    problems = schedule_violations(instance, Schedule(meetings=(Meeting("ab", "s1", 1),)))

    assert problems == ["request ab: 3 people at table 1 of slot s1, which seats 2"]


def test_schedule_violations_names_a_kind_the_slot_does_not_take(build):
    instance = the_seated_instance(build)

    problems = schedule_violations(instance, Schedule(meetings=(Meeting("ab", "s2", 1),)))

    assert problems == ["request ab: a c2c meeting in slot s2, which takes ['b2b']"]


def test_schedule_violations_accepts_seats_and_kinds_respected(build):
    instance = the_seated_instance(build)
    schedule = Schedule(meetings=(Meeting("ab", "s1", 2), Meeting("bc", "s2", 1)))

    assert schedule_violations(instance, schedule) == []


def test_instance_round_trip_keeps_seats_kinds_and_people(build):
    instance = the_seated_instance(build)

    assert instance_from_dict(instance_to_dict(instance)) == instance


def valid_data() -> dict:
    return {
        "slots": [{"id": "s1", "tables": 2, "table_seats": [2, 4], "kinds": ["b2b"]}],
        "participants": [
            {"id": "a", "available": ["s1"], "people": 2},
            {"id": "b", "available": ["s1"]},
        ],
        "requests": [{"id": "ab", "participants": ["a", "b"], "kind": "b2b"}],
    }


INVALID = {
    "seats not one per table": (
        lambda d: d["slots"][0].update(table_seats=[2]),
        "'table_seats' must be a list of 2 seat counts",
    ),
    "negative seats": (
        lambda d: d["slots"][0].update(table_seats=[2, -1]),
        "seat counts must be non-negative integers",
    ),
    "kinds not strings": (
        lambda d: d["slots"][0].update(kinds=["b2b", 3]),
        "'kinds' must be a list of non-empty strings",
    ),
    "people zero": (
        lambda d: d["participants"][0].update(people=0),
        "'people' must be a positive integer",
    ),
    "people not an integer": (
        lambda d: d["participants"][0].update(people="2"),
        "'people' must be a positive integer",
    ),
    "kind not a string": (
        lambda d: d["requests"][0].update(kind=["b2b"]),
        "'kind' must be a string",
    ),
    "locked at a table too small": (
        lambda d: d.update(locked=[{"request": "ab", "slot": "s1", "table": 1}]),
        "3 people at a table that seats 2",
    ),
    "locked in a slot of another kind": (
        lambda d: (
            d["requests"][0].update(kind="c2c")
            or d.update(locked=[{"request": "ab", "slot": "s1", "table": 2}])
        ),
        "a c2c meeting in a slot that takes only b2b",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_instance_from_dict_rejects_bad_seats_kinds_and_people(case):
    data = valid_data()
    change, message = INVALID[case]
    change(data)

    with pytest.raises(InvalidInstance, match=message):
        instance_from_dict(data)


def test_instance_from_dict_accepts_locked_meeting_at_a_big_enough_table():
    data = valid_data()
    data["locked"] = [{"request": "ab", "slot": "s1", "table": 2}]

    assert instance_from_dict(data).locked == (Meeting("ab", "s1", 2),)
