"""The selection optimiser: every limit respected, optimal against brute force."""

from __future__ import annotations

import random

import pytest

from missions.calls.selection import (
    Candidate,
    Limits,
    Promotion,
    Violation,
    brute_force,
    check,
    promotion,
    propose,
)

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


# --- Promotion from the waiting list ---------------------------------------------------------


def _promotion(candidates, *, before, waitlist, limits):
    return promotion(
        candidates,
        before_ids=before,
        selected_ids=set(before) - {1},  # candidate 1 is the one who withdraws
        waitlist_ids=waitlist,
        limits=limits,
    )


def test_promotion_prefers_the_candidate_who_keeps_a_sector_minimum():
    candidates = [
        Candidate(1, 90, organization=1, state="Texas", sectors=frozenset({"mobility"})),
        Candidate(2, 80, organization=2, state="Ohio", sectors=frozenset({"energy"})),
        Candidate(3, 70, organization=3, state="Utah", sectors=frozenset({"energy"})),
        Candidate(4, 60, organization=4, state="Iowa", sectors=frozenset({"mobility"})),
    ]
    limits = Limits(max_selected=2, sector_min={"mobility": 1, "energy": 1})
    result = _promotion(candidates, before={1, 2}, waitlist=[3, 4], limits=limits)
    assert result.chosen == 4
    assert result.passed_over == ((3, (Violation("sector", "mobility", 1, 0),)),)


def test_promotion_takes_the_best_ranked_when_the_sector_is_still_covered():
    candidates = [
        Candidate(1, 90, organization=1, sectors=frozenset({"mobility"})),
        Candidate(2, 80, organization=2, sectors=frozenset({"mobility"})),
        Candidate(3, 70, organization=3, sectors=frozenset({"energy"})),
        Candidate(4, 60, organization=4, sectors=frozenset({"mobility"})),
    ]
    limits = Limits(max_selected=2, sector_min={"mobility": 1})
    result = _promotion(candidates, before={1, 2}, waitlist=[3, 4], limits=limits)
    assert result == Promotion(3)


def test_promotion_skips_who_would_exceed_a_state_or_organisation_maximum():
    candidates = [
        Candidate(1, 90, organization=1, state="Ohio"),
        Candidate(2, 80, organization=2, state="Texas"),
        Candidate(3, 70, organization=3, state="Texas"),
        Candidate(4, 60, organization=2, state="Ohio"),
        Candidate(5, 50, organization=5, state="Ohio"),
    ]
    limits = Limits(max_selected=2, max_per_organization=1, state_max={"*": 1})
    result = _promotion(candidates, before={1, 2}, waitlist=[3, 4, 5], limits=limits)
    assert result.chosen == 5
    assert result.passed_over == (
        (3, (Violation("state", "Texas", 1, 2),)),
        (4, (Violation("organization", "2", 1, 2),)),
    )


def test_promotion_of_nobody_says_what_each_candidate_would_break():
    candidates = [
        Candidate(1, 90, organization=1, state="Ohio", sectors=frozenset({"mobility"})),
        Candidate(2, 80, organization=2, state="Texas"),
        Candidate(3, 70, organization=3, state="Texas", sectors=frozenset({"mobility"})),
        Candidate(4, 60, organization=4, state="Iowa"),
    ]
    limits = Limits(max_selected=2, state_max={"Texas": 1}, sector_min={"mobility": 1})
    result = _promotion(candidates, before={1, 2}, waitlist=[3, 4], limits=limits)
    assert result.chosen is None
    assert result.passed_over == (
        (3, (Violation("state", "Texas", 1, 2),)),
        (4, (Violation("sector", "mobility", 1, 0),)),
    )
    assert _promotion(candidates, before={1, 2}, waitlist=[], limits=limits) == Promotion(None)


def test_promotion_does_not_worsen_what_the_organiser_accepted():
    # Two from Texas (at most 1) were accepted; a third Texan may not join, an Iowan may.
    # The sector was already short (1 of 2); it may not fall to 0.
    candidates = [
        Candidate(1, 90, organization=1, state="Ohio", sectors=frozenset({"mobility"})),
        Candidate(2, 80, organization=2, state="Texas"),
        Candidate(3, 70, organization=3, state="Texas"),
        Candidate(4, 60, organization=4, state="Texas", sectors=frozenset({"mobility"})),
        Candidate(5, 50, organization=5, state="Iowa"),
        Candidate(6, 40, organization=6, state="Iowa", sectors=frozenset({"mobility"})),
    ]
    limits = Limits(max_selected=4, state_max={"Texas": 1}, sector_min={"mobility": 2})
    result = _promotion(candidates, before={1, 2, 3}, waitlist=[4, 5, 6], limits=limits)
    assert result.chosen == 6
    assert [pk for pk, _violations in result.passed_over] == [4, 5]
    # Without the sector in play, the Iowan without it is fine.
    limits = Limits(max_selected=4, state_max={"Texas": 1})
    result = _promotion(candidates, before={1, 2, 3}, waitlist=[4, 5, 6], limits=limits)
    assert result.chosen == 5
