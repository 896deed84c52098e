"""Upper bounds on the weight any feasible schedule can place.

Two linear relaxations, solved with SciPy's HiGHS (imported lazily; the `highspy` wheel is
avoided because it crashes when OR-Tools is in the same process):

* aggregate: one variable per request; each person takes at most as many of their requests as
  fit their own slots (a small bipartite matching per person, capped by `max_meetings`), and
  all meetings together at most the number of tables. On B2B instances this is the
  b-matching (flow) bound; it is cheap even at 40,000 requests.
* time-indexed: one variable per request and common slot, with one meeting per person and
  slot and `tables` per slot. Tighter when availability is fragmented, but it grows with
  requests x slots, so it is only built below `TIME_INDEXED_LIMIT` variables.

Locked meetings are fixed to 1 in both (every feasible schedule holds them). Weights are
integers, so the floor of an LP value is still a bound.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .indexed import Problem, slot_bits

TIME_INDEXED_LIMIT = 20_000


def person_capacity(problem: Problem, person: int) -> int:
    """Most of the person's requests that can get distinct slots they share (Kuhn's matching)."""
    requests = [r for r in problem.requests_of[person] if problem.common[r]]
    owner: dict[int, int] = {}

    def augment(request: int, seen: set[int]) -> bool:
        for slot in slot_bits(problem.common[request]):
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in owner or augment(owner[slot], seen):
                owner[slot] = request
                return True
        return False

    usable = 0
    for request in requests:
        usable |= problem.common[request]
    most = usable.bit_count()
    matched = 0
    for request in requests:
        if matched == most:
            break
        if augment(request, set()):
            matched += 1
    limit = problem.limit[person]
    return matched if limit is None else min(matched, limit)


def _solve_lp(
    weights: list[float],
    rows: list[int],
    columns: list[int],
    right: list[float],
    time_limit: float | None = None,
    forced: list[int] = (),
) -> tuple[float, list[float]]:
    """max weights·x subject to A x <= right, 0 <= x <= 1, where A has ones at (rows, columns).

    Uses HiGHS's interior point method: on these degenerate LPs it is several times faster
    than dual simplex. Columns in `forced` are fixed to 1 (locked meetings). Returns the
    optimum and the solution. Raises RuntimeError when HiGHS fails or runs out of time.
    """
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    if not weights:
        return 0.0, []
    matrix = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(right), len(weights)))
    bounds = np.zeros((len(weights), 2))
    bounds[:, 1] = 1
    bounds[list(forced), 0] = 1
    result = linprog(
        -np.asarray(weights, dtype=float),
        A_ub=matrix,
        b_ub=np.asarray(right, dtype=float),
        bounds=bounds,
        method="highs-ipm",
        options={} if time_limit is None else {"time_limit": time_limit},
    )
    if result.status != 0:
        raise RuntimeError(f"LP bound failed: {result.message}")
    return -result.fun, result.x.tolist()


def aggregate_bound(problem: Problem) -> tuple[float, list[float]]:
    """The aggregate LP relaxation described in the module docstring, and its solution.

    The solution has one value per request (0 for requests with no common slot): a
    fractional choice of requests that the construction uses as its first preference.
    """
    capacity = [person_capacity(problem, p) for p in range(len(problem.person_ids))]
    columns_of = [
        r
        for r in range(problem.request_count)
        if problem.common[r] and (problem.weight[r] > 0 or r in problem.locked)
    ]
    rows: list[int] = []
    columns: list[int] = []
    right: list[float] = []
    row_of_person: dict[int, int] = {}
    for column, request in enumerate(columns_of):
        for person in problem.members[request]:
            if person not in row_of_person:
                row_of_person[person] = len(right)
                right.append(capacity[person])
            rows.append(row_of_person[person])
            columns.append(column)
    total = len(right)
    right.append(sum(problem.tables))
    rows.extend([total] * len(columns_of))
    columns.extend(range(len(columns_of)))
    forced = [column for column, request in enumerate(columns_of) if request in problem.locked]
    value, solution = _solve_lp(
        [problem.weight[r] for r in columns_of], rows, columns, right, forced=forced
    )
    choice = [0.0] * problem.request_count
    for column, request in enumerate(columns_of):
        choice[request] = solution[column]
    return value, choice


def time_indexed_size(problem: Problem) -> int:
    """Number of variables the time-indexed LP would have."""
    return sum(mask.bit_count() for mask in problem.common)


def time_indexed_bound(problem: Problem, time_limit: float | None = None) -> float:
    """The time-indexed LP relaxation, strengthened by the per-person capacities."""
    capacity = [person_capacity(problem, p) for p in range(len(problem.person_ids))]
    rows: list[int] = []
    columns: list[int] = []
    right: list[float] = []
    weights: list[float] = []
    by_person_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_slot: dict[int, list[int]] = defaultdict(list)
    by_person: dict[int, list[int]] = defaultdict(list)
    forced: list[int] = []
    for request in range(problem.request_count):
        locked = problem.locked.get(request)
        if (problem.weight[request] <= 0 and locked is None) or not problem.common[request]:
            continue
        row = len(right)
        right.append(1)
        slots = [locked[0]] if locked else slot_bits(problem.common[request])
        for slot in slots:
            if locked:
                forced.append(len(weights))
            column = len(weights)
            weights.append(problem.weight[request])
            rows.append(row)
            columns.append(column)
            by_slot[slot].append(column)
            for person in problem.members[request]:
                by_person_slot[(person, slot)].append(column)
                by_person[person].append(column)

    def add(group: list[int], limit: float) -> None:
        row = len(right)
        right.append(limit)
        rows.extend([row] * len(group))
        columns.extend(group)

    for group in by_person_slot.values():
        if len(group) > 1:
            add(group, 1)
    for slot, group in by_slot.items():
        if len(group) > problem.tables[slot]:
            add(group, problem.tables[slot])
    for person, group in by_person.items():
        add(group, capacity[person])
    return _solve_lp(weights, rows, columns, right, time_limit, forced)[0]


def upper_bound(
    problem: Problem, *, time_indexed: bool | None = None, time_limit: float = 10.0
) -> tuple[int, str, list[float]]:
    """The tightest bound affordable here, as (integer bound, kind, aggregate LP solution).

    `time_indexed` None decides by size (see `TIME_INDEXED_LIMIT`); the time-indexed LP is
    given `time_limit` seconds and skipped when HiGHS does not finish in them.
    """
    value, choice = aggregate_bound(problem)
    best = math.floor(value + 1e-6)
    kind = "aggregate-lp"
    if time_indexed is None:
        time_indexed = time_indexed_size(problem) <= TIME_INDEXED_LIMIT
    if time_indexed:
        try:
            tighter = math.floor(time_indexed_bound(problem, time_limit) + 1e-6)
        except RuntimeError:
            tighter = best
        if tighter < best:
            best, kind = tighter, "time-indexed-lp"
    return best, kind, choice
