"""Upper bounds: never below what a schedule can place, and tight where they should be."""

from __future__ import annotations

import random

import pytest

from matchmaking.scheduling.bound import (
    aggregate_bound,
    person_capacity,
    time_indexed_bound,
    upper_bound,
)
from matchmaking.scheduling.indexed import Problem


@pytest.mark.parametrize("seed", range(12))
def test_upper_bound_never_below_brute_force_optimum(seed, random_build, brute_force_optimum):
    rng = random.Random(1000 + seed)
    instance = random_build(
        rng,
        people=rng.randint(4, 7),
        slots=rng.randint(1, 3),
        requests=rng.randint(4, 9),
        tables=rng.randint(1, 3),
        group_share=0.25,
        limit_share=0.3,
    )
    problem = Problem.from_instance(instance)
    optimum = brute_force_optimum(instance)

    bound, _kind, _choice = upper_bound(problem)

    assert bound >= optimum
    assert time_indexed_bound(problem) >= optimum - 1e-6
    assert aggregate_bound(problem)[0] >= optimum - 1e-6


def test_person_capacity_counts_slots_their_requests_can_share(build):
    # a has three requests but they only share s1 and s2 with a: at most two meetings.
    instance = build(
        {"s1": 9, "s2": 9, "s3": 9},
        {"a": ["s1", "s2", "s3"], "b": ["s1"], "c": ["s1", "s2"], "d": ["s2"]},
        [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 1), ("ad", ["a", "d"], 1)],
        limits={"c": 1},
    )
    problem = Problem.from_instance(instance)

    capacities = {
        problem.person_ids[p]: person_capacity(problem, p) for p in range(len(problem.person_ids))
    }

    assert capacities == {"a": 2, "b": 1, "c": 1, "d": 1}


def test_upper_bound_counts_locked_meetings_even_when_they_cost_weight(build):
    # Locking the light meeting excludes the heavy one: the bound must know.
    instance = build(
        {"s1": 2},
        {"a": ["s1"], "b": ["s1"], "c": ["s1"]},
        [("ab", ["a", "b"], 5), ("bc", ["b", "c"], 1)],
        locked=[("bc", "s1", 1)],
    )

    bound, _kind, choice = upper_bound(Problem.from_instance(instance))

    assert bound == 1
    assert choice == [0.0, 1.0]
