"""The solver: optimal on what brute force can check, feasible always, stable when asked."""

from __future__ import annotations

import random

import pytest

from matchmaking.scheduling.check import schedule_weight
from matchmaking.scheduling.model import Meeting, Reason, Schedule


@pytest.mark.parametrize("seed", range(24))
def test_schedule_solve_random_tiny_matches_brute_force(
    seed, random_build, solve, brute_force_optimum
):
    rng = random.Random(seed)
    instance = random_build(
        rng,
        people=rng.randint(4, 7),
        slots=rng.randint(1, 3),
        requests=rng.randint(4, 9),
        tables=rng.randint(1, 3),
        group_share=0.25,
        limit_share=0.3,
    )

    result = solve(instance, time_limit=10)

    assert result.weight == brute_force_optimum(instance)
    assert result.proven_optimal
    assert result.bound == pytest.approx(result.weight)
    assert schedule_weight(instance, result.schedule) == result.weight


def test_schedule_solve_odd_cycle_beats_greedy_choice(build, solve):
    # Three people who all want to meet each other but share only two slots: at most two
    # of the three meetings fit; the heaviest two must be chosen.
    instance = build(
        {"s1": 5, "s2": 5},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1", "s2"]},
        [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 3), ("ac", ["a", "c"], 2)],
    )

    result = solve(instance)

    assert result.weight == 5
    assert {meeting.request for meeting in result.schedule.meetings} == {"bc", "ac"}
    assert result.unplaced == {"ab": Reason.DISPLACED}
    assert result.proven_optimal


def test_schedule_solve_chain_needed_to_place_everything(build, solve, brute_force_optimum):
    # The first-fit placement of ab in s1 blocks bc; the optimum moves ab to s2.
    instance = build(
        {"s1": 2, "s2": 2},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1"], "d": ["s2"]},
        [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 1), ("ad", ["a", "d"], 1)],
    )

    result = solve(instance)

    assert (
        sorted((m.request, m.slot) for m in result.schedule.meetings)
        == [("ab", "s2"), ("ad", "s2")]
        or result.weight == 2
    )
    assert result.weight == brute_force_optimum(instance)


def test_schedule_solve_keeps_locked_meetings(build, solve):
    # Locking bc in s1 at table 2 costs weight (ab would be better there) but must hold.
    instance = build(
        {"s1": 2},
        {"a": ["s1"], "b": ["s1"], "c": ["s1"]},
        [("ab", ["a", "b"], 5), ("bc", ["b", "c"], 1)],
        locked=[("bc", "s1", 2)],
    )

    result = solve(instance)

    assert Meeting(request="bc", slot="s1", table=2) in result.schedule.meetings
    assert result.weight == 1
    assert result.unplaced == {"ab": Reason.DISPLACED}


def test_schedule_solve_locked_table_is_not_reused(build, solve):
    instance = build(
        {"s1": 2},
        {"a": ["s1"], "b": ["s1"], "c": ["s1"], "d": ["s1"]},
        [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 1)],
        locked=[("cd", "s1", 1)],
    )

    result = solve(instance)

    assert sorted((m.request, m.table) for m in result.schedule.meetings) == [("ab", 2), ("cd", 1)]


def test_schedule_solve_group_meeting_blocks_every_attendee(build, solve):
    # One slot: the C2C meeting of a, b and c outweighs the three B2B meetings it excludes
    # together (4 > 3), and none of its attendees may meet anyone else in that slot.
    people = {name: ["s1"] for name in "abcxyz"}
    instance = build(
        {"s1": 10},
        people,
        [
            ("group", ["a", "b", "c"], 4),
            ("ax", ["a", "x"], 1),
            ("by", ["b", "y"], 1),
            ("cz", ["c", "z"], 1),
        ],
    )

    result = solve(instance)

    assert [m.request for m in result.schedule.meetings] == ["group"]
    assert result.unplaced == {
        "ax": Reason.DISPLACED,
        "by": Reason.DISPLACED,
        "cz": Reason.DISPLACED,
    }


def test_schedule_solve_group_meeting_lighter_than_pairs_gives_way(build, solve):
    people = {name: ["s1"] for name in "abcxyz"}
    instance = build(
        {"s1": 10},
        people,
        [
            ("group", ["a", "b", "c"], 2),
            ("ax", ["a", "x"], 1),
            ("by", ["b", "y"], 1),
            ("cz", ["c", "z"], 1),
        ],
    )

    result = solve(instance)

    assert sorted(m.request for m in result.schedule.meetings) == ["ax", "by", "cz"]


def test_schedule_solve_group_meetings_in_two_slots_share_no_attendee(
    build, solve, brute_force_optimum
):
    people = {name: ["s1", "s2"] for name in "abcdxy"}
    instance = build(
        {"s1": 10, "s2": 10},
        people,
        [
            ("g1", ["a", "b", "c"], 1),
            ("g2", ["a", "d", "x"], 1),
            ("g3", ["b", "d", "y"], 1),
            ("cx", ["c", "x"], 1),
        ],
    )

    result = solve(instance)

    slot_of = {m.request: m.slot for m in result.schedule.meetings}
    assert result.weight == brute_force_optimum(instance) == 3
    for first, second in [("g1", "g2"), ("g1", "g3"), ("g2", "g3")]:
        if first in slot_of and second in slot_of:
            assert slot_of[first] != slot_of[second]


def test_schedule_solve_reasons_name_why_requests_were_left_out(build, solve):
    instance = build(
        {"s1": 1, "s2": 5},
        {
            "a": ["s1"],
            "b": ["s2"],
            "c": ["s1", "s2"],
            "d": ["s1", "s2"],
            "e": ["s1"],
            "f": ["s1"],
            "g": ["s1"],
            "h": ["s1", "s2"],
        },
        [
            ("no_common", ["a", "b"], 3),
            ("limited", ["c", "d"], 1),
            ("limit_taker", ["c", "h"], 2),
            ("table_taker", ["e", "f"], 3),
            ("no_table", ["g", "a"], 1),
        ],
        limits={"c": 1},
    )

    result = solve(instance)

    assert result.unplaced == {
        "no_common": Reason.NO_COMMON_SLOT,
        "limited": Reason.PARTICIPANT_AT_LIMIT,
        "no_table": Reason.NO_TABLE_FREE,
    }


def test_schedule_solve_empty_instance(build, solve):
    instance = build({"s1": 3}, {"a": ["s1"]}, [])

    result = solve(instance)

    assert result.schedule.meetings == ()
    assert result.weight == 0
    assert result.proven_optimal


def test_schedule_solve_previous_unchanged_moves_nothing(random_build, solve):
    instance = random_build(random.Random(7), people=30, slots=6, requests=90, tables=8)
    first = solve(instance, time_limit=10)

    again = solve(instance, time_limit=10, previous=first.schedule, seed=3)

    assert set(again.schedule.meetings) == set(first.schedule.meetings)
    assert (again.moved, again.dropped) == (0, 0)


def test_schedule_solve_previous_kept_when_requests_are_added(random_build, build, solve):
    rng = random.Random(11)
    original = random_build(rng, people=30, slots=6, requests=80, tables=8)
    published = solve(original, time_limit=10)
    people = {person.id: sorted(person.available) for person in original.participants}
    people.update({"new_a": ["s0", "s1"], "new_b": ["s1", "s2"]})
    requests = [(r.id, list(r.participants), r.weight) for r in original.requests]
    grown = build(
        {slot.id: 9 for slot in original.slots}, people, [*requests, ("new", ["new_a", "new_b"], 1)]
    )

    result = solve(grown, time_limit=10, previous=published.schedule)

    assert set(published.schedule.meetings) <= set(result.schedule.meetings)
    assert ("new", "s1") in {(m.request, m.slot) for m in result.schedule.meetings}
    assert (result.moved, result.dropped) == (0, 0)


def test_schedule_solve_previous_moves_one_meeting_for_a_heavier_request(build, solve):
    # ab was published in s1; the new, heavier ac only fits in s1 (c is there only),
    # so ab moves to s2, and nothing else moves.
    instance = build(
        {"s1": 3, "s2": 3},
        {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1"], "d": ["s1", "s2"], "e": ["s1", "s2"]},
        [("ab", ["a", "b"], 1), ("de", ["d", "e"], 1), ("ac", ["a", "c"], 2)],
    )
    previous = Schedule(meetings=(Meeting("ab", "s1", 1), Meeting("de", "s1", 2)))

    result = solve(instance, previous=previous)

    assert set(result.schedule.meetings) == {
        Meeting("ab", "s2", 1),
        Meeting("de", "s1", 2),
        Meeting("ac", "s1", 1),
    }
    assert (result.moved, result.dropped) == (1, 0)


def test_schedule_solve_previous_with_cancelled_request_is_ignored(build, solve):
    instance = build(
        {"s1": 2, "s2": 2}, {"a": ["s1", "s2"], "b": ["s1", "s2"]}, [("ab", ["a", "b"], 1)]
    )
    previous = Schedule(meetings=(Meeting("gone", "s1", 1), Meeting("ab", "s2", 2)))

    result = solve(instance, previous=previous)

    assert result.schedule.meetings == (Meeting("ab", "s2", 2),)
    assert (result.moved, result.dropped) == (0, 0)


@pytest.mark.parametrize("seed", range(2))
def test_schedule_solve_medium_random_is_feasible_and_bounded(seed, random_build, solve):
    rng = random.Random(100 + seed)
    instance = random_build(
        rng, people=60, slots=8, requests=250, tables=12, group_share=0.1, limit_share=0.2
    )

    result = solve(instance, time_limit=2)

    assert 0 < result.weight <= result.bound
    assert set(result.unplaced) | {m.request for m in result.schedule.meetings} == {
        r.id for r in instance.requests
    }


def test_schedule_solve_reports_progress_up_to_done(random_build, solve):
    instance = random_build(random.Random(3), people=30, slots=6, requests=90, tables=8)
    seen: list[float] = []

    solve(instance, time_limit=3, progress=seen.append)

    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert all(0.0 <= fraction <= 1.0 for fraction in seen)
