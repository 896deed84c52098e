"""Fast pure-Python construction: greedy placement, then repair by ejection chains.

The greedy alone is what common tools do. The repair is what closes most of the gap to the
bound cheaply: an unplaced request takes a slot where exactly one meeting blocks it, and that
meeting moves on the same way (a short chain), or lighter meetings are displaced when the
request outweighs them together.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from .indexed import State, slot_bits


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def greedy_first_fit(state: State, order: Iterable[int]) -> None:
    """Place each request of `order` in its first slot where it fits; skip it otherwise."""
    for request in order:
        if state.slot_of[request] >= 0 or not state.under_limit(request):
            continue
        free = state.person_free(request) & state.table_for(request)
        if free:
            state.place(request, _lowest(free))


def greedy_order(state: State, preference: list[float], rng: random.Random) -> list[int]:
    """Requests the LP relaxation chose first, then heaviest, then fewest usable slots.

    `preference` is the aggregate LP solution (see `bound.aggregate_bound`): on B2B instances
    it is an optimal b-matching, i.e. which requests each busy person should keep.
    """
    problem = state.problem
    keys = [
        (-round(preference[r]), -problem.weight[r], problem.common[r].bit_count(), rng.random(), r)
        for r in range(problem.request_count)
    ]
    keys.sort()
    return [key[-1] for key in keys]


class Repairer:
    """Ejection-chain repair over a `State`; never moves a request listed in `fixed`."""

    def __init__(
        self, state: State, fixed: set[int], rng: random.Random, preference: list[float]
    ) -> None:
        self.state = state
        self.fixed = fixed
        self.rng = rng
        self.preference = preference

    def _insert(self, request: int, depth: int, visited: set[int], avoid: int) -> bool:
        """Place unplaced `request`, moving at most `depth` others in a chain; undo on failure."""
        state = self.state
        problem = state.problem
        free = state.person_free(request) & ~avoid
        direct = free & state.table_for(request)
        if direct:
            state.place(request, _lowest(direct))
            return True
        if depth == 0:
            return False
        members = problem.members[request]
        at = state.at
        candidates = problem.common[request] & ~avoid
        slots = slot_bits(candidates)
        self.rng.shuffle(slots)
        for slot in slots:
            blocker = -1
            single = True
            for person in members:
                other = at[person][slot]
                if other >= 0:
                    if blocker >= 0 and other != blocker:
                        single = False
                        break
                    blocker = other
            if not single:
                continue
            if blocker < 0:
                # Everyone is free but the tables are full: move one meeting out of this slot.
                if self._make_table(request, slot, depth - 1, visited, avoid):
                    state.place(request, slot)
                    return True
                continue
            if blocker in self.fixed or blocker in visited:
                continue
            # The blocker leaves and the request arrives, so the slot's table count holds
            # (with seats, only when the blocker's table or another free one is big enough).
            visited.add(blocker)
            state.remove(blocker)
            if problem.seated and not (state.table_for(request) >> slot) & 1:
                state.place(blocker, slot)
                continue
            state.place(request, slot)
            if self._insert(blocker, depth - 1, visited, avoid | (1 << slot)):
                return True
            state.remove(request)
            state.place(blocker, slot)
        return False

    def _make_table(
        self, request: int, slot: int, depth: int, visited: set[int], avoid: int
    ) -> bool:
        """Free a table for `request` in `slot` by moving one meeting elsewhere (a few tries)."""
        state = self.state
        occupants = [r for r in state.in_slot[slot] if r not in self.fixed and r not in visited]
        if len(occupants) > 24:
            occupants = self.rng.sample(occupants, 24)
        for other in occupants:
            visited.add(other)
            state.remove(other)
            if not (state.table_for(request) >> slot) & 1:
                state.place(other, slot)
                continue
            if self._insert(other, depth, visited, avoid | (1 << slot)):
                return True
            state.place(other, slot)
        return False

    def insert(self, request: int, depth: int) -> bool:
        """Try to place one unplaced request by a chain of at most `depth` moves."""
        if not self.state.under_limit(request):
            return False
        return self._insert(request, depth, set(), 0)

    def displace(self, request: int, depth: int) -> bool:
        """Place `request` by evicting lighter meetings whose total weight is smaller.

        The evicted meetings are then offered a chain each; the schedule's weight grows
        strictly whenever this returns True.
        """
        state = self.state
        problem = state.problem
        weight = problem.weight[request]
        best_slot, best_loss, best_blockers = -1, weight, ()
        for slot in slot_bits(problem.common[request] & state.table_for(request)):
            blockers = {state.at[p][slot] for p in problem.members[request]} - {-1}
            if blockers & self.fixed:
                continue
            loss = sum(problem.weight[b] for b in blockers)
            if loss < best_loss:
                best_slot, best_loss, best_blockers = slot, loss, tuple(blockers)
        if best_slot < 0:
            return False
        for blocker in best_blockers:
            state.remove(blocker)
        if not state.under_limit(request):
            for blocker in best_blockers:
                state.place(blocker, best_slot)
            return False
        state.place(request, best_slot)
        for blocker in best_blockers:
            self.insert(blocker, depth)
        return True

    def run(self, deadline: float, depth: int = 3) -> None:
        """Repeat chains and displacements over the unplaced requests until nothing improves."""
        state = self.state
        problem = state.problem
        while time.monotonic() < deadline:
            before = state.weight
            unplaced = [
                r
                for r in range(problem.request_count)
                if state.slot_of[r] < 0 and problem.common[r]
            ]
            unplaced.sort(key=lambda r: (-round(self.preference[r]), -problem.weight[r]))
            for step, request in enumerate(unplaced):
                if step % 64 == 0 and time.monotonic() >= deadline:
                    return
                if state.slot_of[request] >= 0:
                    continue
                if not self.insert(request, depth):
                    self.displace(request, depth)
            if state.weight <= before:
                return
