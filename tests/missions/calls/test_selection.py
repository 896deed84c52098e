"""The selection optimiser: every limit respected, optimal against brute force."""

from __future__ import annotations

import random

import pytest

from missions.calls.selection import Candidate, Limits, brute_force, check, propose

STATES = ["Texas", "Ohio", "Colorado"]
SECTORS = ["energy", "mobility", "cities"]


def random_case(rng: random.Random) -> tuple[list[Candidate], Limits]:
    size = rng.randint(1, 10)
    candidates = [
        Candidate(
            id=i + 1,
            score=round(rng.uniform(0, 100), 3),
            organization=rng.randint(1, 6),
            state=rng.choice(STATES + [""]),
            sectors=frozenset(rng.sample(SECTORS, rng.randint(0, 2))),
        )
        for i in range(size)
    ]
    state_max = {"*": rng.randint(1, 3)} if rng.random() < 0.6 else {}
    if rng.random() < 0.4:
        state_max[rng.choice(STATES)] = rng.randint(0, 2)
    sector_min = {rng.choice(SECTORS): rng.randint(1, 2)} if rng.random() < 0.5 else {}
    limits = Limits(
        max_selected=rng.randint(1, 6),
        max_per_organization=rng.choice([None, 1, 2]),
        state_max=state_max,
        sector_min=sector_min,
    )
    return candidates, limits


@pytest.mark.parametrize("seed", range(60))
def test_propose_equals_brute_force_on_small_random_cases(seed):
    candidates, limits = random_case(random.Random(seed))
    expected = brute_force(candidates, limits)
    proposal = propose(candidates, limits)
    assert proposal.status == expected.status
    if expected.is_feasible:
        assert proposal.points == expected.points
        assert check(candidates, proposal.selected, limits) == []


def test_propose_respects_every_limit():
    candidates = [
        Candidate(1, 90, organization="A", state="Texas", sectors=frozenset({"energy"})),
        Candidate(2, 85, organization="A", state="Texas", sectors=frozenset({"energy"})),
        Candidate(3, 80, organization="B", state="Texas", sectors=frozenset({"energy"})),
        Candidate(4, 40, organization="C", state="Ohio", sectors=frozenset({"mobility"})),
        Candidate(5, 30, organization="D", state="Ohio", sectors=frozenset({"energy"})),
        Candidate(6, 10, organization="E", state="Colorado", sectors=frozenset({"mobility"})),
    ]
    limits = Limits(
        max_selected=3,
        max_per_organization=1,
        state_max={"*": 1},
        sector_min={"mobility": 2},
    )
    proposal = propose(candidates, limits)
    # One per organisation and per state, two in mobility: 1 (Texas), 4 (Ohio), 6 (Colorado).
    assert proposal.status == "optimal"
    assert proposal.selected == (1, 4, 6)
    assert check(candidates, proposal.selected, limits) == []


def test_propose_says_infeasible_when_a_minimum_cannot_be_met():
    candidates = [Candidate(1, 50, organization=1, sectors=frozenset({"energy"}))]
    proposal = propose(candidates, Limits(max_selected=3, sector_min={"cities": 1}))
    assert proposal.status == "infeasible"
    assert proposal.selected == ()


def test_check_lists_each_violation():
    candidates = [
        Candidate(1, 1, organization=1, state="Texas"),
        Candidate(2, 1, organization=1, state="Texas"),
        Candidate(3, 1, organization=2, state="Ohio"),
    ]
    limits = Limits(
        max_selected=2,
        max_per_organization=1,
        state_max={"Texas": 1},
        sector_min={"energy": 1},
    )
    kinds = [(v.kind, v.key, v.limit, v.actual) for v in check(candidates, [1, 2, 3], limits)]
    assert kinds == [
        ("total", "", 2, 3),
        ("organization", "1", 1, 2),
        ("state", "Texas", 1, 2),
        ("sector", "energy", 1, 0),
    ]
