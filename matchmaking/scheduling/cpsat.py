"""CP-SAT (OR-Tools) models: colouring the LP's choice, one model over every free request,
or many small ones (LNS).

One model over everything proves small instances optimal within a second but does not scale
(at 40,000 requests it finds no schedule in a minute and needs gigabytes). Large-neighbourhood
search keeps the rest of the schedule fixed and re-solves a neighbourhood of about 70
requests, accepting the result when it is at least as good; the hint is always the current
placement, so a neighbourhood never gets worse.

OR-Tools is imported inside the functions: importing it is slow and the package must stay
importable where it is not installed.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .indexed import State, slot_bits


@dataclass
class SubResult:
    """Outcome of re-solving a set of requests with everything else fixed."""

    improved_or_equal: bool
    proven_optimal: bool
    objective_bound: float


def resolve(
    state: State,
    requests: list[int],
    *,
    preferred: dict[int, int],
    scale: int,
    time_limit: float,
    workers: int,
    stop_at: float | None = None,
    presolve: bool = True,
) -> SubResult:
    """Re-place `requests` optimally (within `time_limit`) around the rest of `state`.

    The objective is `scale * weight + (1 if a request sits in its preferred slot)`, so
    weight comes first and keeping published meetings in place breaks ties. The search
    stops early once the objective reaches `stop_at` (a value known to be optimal). Turning
    `presolve` off pays for small neighbourhoods: it is most of CP-SAT's fixed cost per call,
    and at the large size it triples the neighbourhoods solved per second. On return the
    state holds a placement at least as good as before for that objective.
    """
    from ortools.sat.python import cp_model

    problem = state.problem
    old_slot = {r: state.slot_of[r] for r in requests}
    for request in requests:
        if state.slot_of[request] >= 0:
            state.remove(request)

    def score(request: int, slot: int) -> int:
        return problem.weight[request] * scale + (1 if preferred.get(request) == slot else 0)

    old_objective = sum(score(r, s) for r, s in old_slot.items() if s >= 0)
    model = cp_model.CpModel()
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    by_person: dict[int, list] = defaultdict(list)
    variables: list[tuple[int, int, object]] = []
    terms = []
    for request in requests:
        if not state.under_limit(request):
            continue
        own = []
        for slot in slot_bits(state.person_free(request) & state.table_for(request)):
            literal = model.new_bool_var("")
            own.append(literal)
            variables.append((request, slot, literal))
            by_slot[slot].append((request, literal))
            for person in problem.members[request]:
                by_person_slot[(person, slot)].append(literal)
                if state.limited[person]:
                    by_person[person].append(literal)
            terms.append(score(request, slot) * literal)
            model.add_hint(literal, old_slot[request] == slot)
        if len(own) > 1:
            model.add_at_most_one(own)
    for literals in by_person_slot.values():
        if len(literals) > 1:
            model.add_at_most_one(literals)
    _add_table_limits(model, state, by_slot)
    for person, literals in by_person.items():
        room = problem.limit[person] - state.count[person]
        if len(literals) > room:
            model.add(sum(literals) <= room)
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.cp_model_presolve = presolve
    status = solver.solve(model, _StopAt(stop_at) if stop_at is not None else None)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value >= old_objective:
        for request, slot, literal in variables:
            if solver.boolean_value(literal):
                state.place(request, slot)
        reached = stop_at is not None and solver.objective_value >= stop_at
        return SubResult(True, status == cp_model.OPTIMAL or reached, solver.best_objective_bound)
    for request, slot in old_slot.items():
        if slot >= 0:
            state.place(request, slot)
    bound = solver.best_objective_bound if status != cp_model.UNKNOWN else float("inf")
    return SubResult(False, False, bound)


def colour(
    state: State, requests: list[int], *, preferred: dict[int, int], time_limit: float, workers: int
) -> bool:
    """Give every one of `requests` (all unplaced) a slot around the rest of `state`, or none.

    This is the second half of the matching-based construction: the LP picks which requests
    to schedule, and this finds slots for all of them, which for the picked set is a pure
    feasibility problem that CP-SAT settles fast. Prefers previous slots when there are
    any. Returns False (state unchanged) when impossible or out of time.
    """
    from ortools.sat.python import cp_model

    problem = state.problem
    model = cp_model.CpModel()
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    by_person: dict[int, list] = defaultdict(list)
    variables: list[tuple[int, int, object]] = []
    kept = []
    for request in requests:
        own = []
        for slot in slot_bits(state.person_free(request) & state.table_for(request)):
            literal = model.new_bool_var("")
            own.append(literal)
            variables.append((request, slot, literal))
            by_slot[slot].append((request, literal))
            for person in problem.members[request]:
                by_person_slot[(person, slot)].append(literal)
                if state.limited[person]:
                    by_person[person].append(literal)
            if preferred.get(request) == slot:
                kept.append(literal)
                model.add_hint(literal, True)
        if not own:
            return False
        model.add_exactly_one(own)
    for literals in by_person_slot.values():
        if len(literals) > 1:
            model.add_at_most_one(literals)
    _add_table_limits(model, state, by_slot)
    for person, literals in by_person.items():
        room = problem.limit[person] - state.count[person]
        if len(literals) > room:
            model.add(sum(literals) <= room)
    if kept:
        model.maximize(sum(kept))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    for request, slot, literal in variables:
        if solver.boolean_value(literal):
            state.place(request, slot)
    return True


def _add_table_limits(model, state: State, by_slot: dict[int, list]) -> None:
    """At most the tables left in each slot; with seats, per level of the tables left.

    `by_slot` maps a slot to its (request, literal) pairs. With seats, the meetings needing
    at least `levels[i]` seats may use only the tables seating that many (see `Problem`).
    """
    problem = state.problem
    for slot, entries in by_slot.items():
        if not problem.seated:
            room = problem.tables[slot] - state.used[slot]
            if len(entries) > room:
                model.add(sum(literal for _request, literal in entries) <= room)
            continue
        for index in range(len(problem.levels)):
            group = [literal for request, literal in entries if problem.level[request] >= index]
            room = problem.capacity[slot][index] - state.used_at[slot][index]
            if len(group) > room:
                model.add(sum(group) <= room)


def _StopAt(target: float):  # noqa: N802 - builds a class lazily, named like one
    """A solution callback that ends the search once the objective reaches `target`."""
    from ortools.sat.python import cp_model

    class StopAt(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if self.objective_value >= target - 1e-9:
                self.stop_search()

    return StopAt()


def neighbourhood(
    state: State, seed_request: int, fixed: set[int], size: int, rng: random.Random
) -> list[int]:
    """About `size` requests around one request: those of its attendees, then of their partners.

    A breadth-first walk over people: each visited person brings all their movable requests
    (in random order, so repeated calls explore different regions), and each placed request
    brings its attendees into the queue.
    """
    problem = state.problem
    chosen: set[int] = set()
    order: list[int] = []
    queue = list(problem.members[seed_request])
    queued = set(queue)
    head = 0
    while head < len(queue) and len(order) < size:
        person = queue[head]
        head += 1
        mine = [
            r
            for r in problem.requests_of[person]
            if r not in chosen and r not in fixed and problem.common[r]
        ]
        rng.shuffle(mine)
        for request in mine[: size - len(order)]:
            chosen.add(request)
            order.append(request)
            if state.slot_of[request] >= 0:
                for other in problem.members[request]:
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
    if seed_request not in chosen and seed_request not in fixed:
        order.append(seed_request)
    return order


def slot_neighbourhood(state: State, fixed: set[int], size: int, rng: random.Random) -> list[int]:
    """The meetings of two or three random slots, plus unplaced requests that could use them.

    When tables are the scarce resource, improving means trading which requests get the
    tables of a slot, which person-centred neighbourhoods rarely see.
    """
    problem = state.problem
    slots = rng.sample(range(problem.slot_count), min(problem.slot_count, rng.choice((2, 3))))
    mask = sum(1 << slot for slot in slots)
    placed = [r for slot in slots for r in state.in_slot[slot] if r not in fixed]
    waiting = [
        r
        for r in range(problem.request_count)
        if state.slot_of[r] < 0 and problem.common[r] & mask and r not in fixed
    ]
    rng.shuffle(placed)
    rng.shuffle(waiting)
    half = size // 2
    chosen = placed[: max(half, size - len(waiting))]
    return chosen + waiting[: size - len(chosen)]


def large_neighbourhood_search(
    state: State,
    *,
    fixed: set[int],
    preferred: dict[int, int],
    scale: int,
    deadline: float,
    target_weight: int,
    rng: random.Random,
    preference: list[float] | None = None,
    size: int = 70,
    workers: int = 1,
    sub_time: float = 0.2,
    on_round: Callable[[], None] | None = None,
) -> None:
    """Re-solve neighbourhoods around unplaced requests until the deadline or the target.

    Seeds are mostly unplaced requests the LP chose (`preference` > 0.5): the gap to the
    bound is made of those, while most other unplaced requests belong to people who are
    rightly full. Among candidates, heavier ones and ones that have not failed yet go
    first. Half of the neighbourhoods are whole slots when most slots have all their tables
    taken, a few otherwise.
    """
    problem = state.problem
    failures: dict[int, int] = defaultdict(int)
    while time.monotonic() < deadline - 0.05 and state.weight < target_weight:
        unplaced = [
            r
            for r in range(problem.request_count)
            if state.slot_of[r] < 0 and problem.common[r] and r not in fixed
        ]
        if not unplaced:
            return
        full = sum(
            1 for slot in range(problem.slot_count) if state.used[slot] >= problem.tables[slot]
        )
        slot_share = 0.5 if 3 * full >= problem.slot_count else 0.1
        chosen_unplaced = [r for r in unplaced if preference and preference[r] > 0.5]
        rounds = max(1, min(200, len(unplaced)))
        for _ in range(rounds):
            if time.monotonic() >= deadline - 0.05 or state.weight >= target_weight:
                return
            if on_round is not None:
                on_round()
            pool = chosen_unplaced if chosen_unplaced and rng.random() < 0.8 else unplaced
            candidates = rng.sample(pool, min(8, len(pool)))
            seed = min(candidates, key=lambda r: (failures[r], -problem.weight[r]))
            if state.slot_of[seed] >= 0:
                continue
            if rng.random() < slot_share:
                requests = slot_neighbourhood(state, fixed, size, rng)
            else:
                requests = neighbourhood(state, seed, fixed, size, rng)
            before = state.weight
            remaining = deadline - time.monotonic()
            resolve(
                state,
                requests,
                preferred=preferred,
                scale=scale,
                time_limit=min(sub_time, remaining),
                workers=workers,
                presolve=False,
            )
            if state.weight <= before:
                failures[seed] += 1
