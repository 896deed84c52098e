"""The scheduler: upper bound, construction, repair, then CP-SAT.

`schedule_solve` is the one entry point every caller uses. The plan:

1. Locked meetings go in first and never move; meetings of a previous schedule are put back
   where they were whenever they still fit.
2. An LP bound (see `bound.py`) tells when to stop: weights are integers, so reaching its
   floor proves optimality.
3. Greedy (heaviest first) plus ejection-chain repair builds a strong start in pure Python.
4. Small enough instances get one CP-SAT model over every movable request, warm-started from
   that start, which usually proves optimality; larger ones get large-neighbourhood search
   (CP-SAT on ~70 requests at a time) until the time limit.

Tables within a slot are interchangeable, so table numbers are assigned at the end: locked
meetings and meetings that stay in their previous slot keep their table.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from .construct import Repairer, greedy_first_fit, greedy_order
from .cpsat import colour, large_neighbourhood_search, resolve
from .indexed import Problem, State
from .model import Instance, Meeting, Reason, Result, Schedule

# Above this many (request, slot) pairs the single CP-SAT model stops paying off.
FULL_MODEL_LIMIT = 8_000
DEFAULT_TIME_LIMIT = 45.0
# Measured at the large size: 60-80 requests per neighbourhood gain most per second; 150
# solve slower than they gain, 300 mostly time out.
NEIGHBOURHOOD_SIZE = 70
# Above this many (request, slot) pairs colouring the LP's choice in one model is too slow.
COLOUR_LIMIT = 60_000


def schedule_solve(
    instance: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    previous: Schedule | None = None,
    seed: int = 0,
    use_cp_sat: bool = True,
    progress: Callable[[float], None] | None = None,
) -> Result:
    """Place as much request weight as possible; see the module docstring for how.

    `instance` must come validated from `io.instance_from_dict` (or be built just as
    carefully). `previous` may name requests or slots that no longer exist; those meetings
    are ignored. A published meeting moves only when that lets strictly more weight be
    placed. Stops at `time_limit` seconds (wall clock, roughly; the LP bound is computed
    first whatever the limit) or as soon as optimality is proven. `seed` fixes the
    pure-Python randomness; CP-SAT's parallel search may still vary between runs.
    `progress`, when given, is called now and then with the fraction of the work done
    (0..1, by phase and then by time spent), for a progress bar.
    """
    started = time.monotonic()

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, fraction)))

    deadline = started + time_limit
    rng = random.Random(seed)
    problem = Problem.from_instance(instance)
    state = State(problem)
    fixed = set(problem.locked)
    for request, (slot, _table) in problem.locked.items():
        state.place(request, slot)

    previous_place = _previous_places(problem, previous)
    preferred = {r: slot for r, (slot, _table) in previous_place.items() if r not in fixed}
    # Weight counts first; the +1 per meeting kept in its previous slot only breaks ties.
    scale = len(preferred) + 1
    for request in sorted(preferred, key=lambda r: -problem.weight[r]):
        slot = preferred[request]
        free = state.person_free(request) & state.table_for(request)
        if (free >> slot) & 1 and state.under_limit(request):
            state.place(request, slot)

    from .bound import upper_bound

    bound, bound_kind, preference = upper_bound(problem)
    report(0.1)

    if use_cp_sat and not preferred:
        _colour_choice(problem, state, fixed, preference, deadline)

    greedy_first_fit(state, greedy_order(state, preference, rng))
    repair_deadline = min(deadline, time.monotonic() + max(0.5, 0.25 * time_limit))
    # Chains move meetings without counting moves, so published meetings are fixed for them;
    # moving those is left to CP-SAT, whose objective counts every move.
    Repairer(state, fixed | set(preferred), rng, preference).run(repair_deadline)
    report(0.3)

    locked_weight = sum(problem.weight[r] for r in fixed)
    movable = [r for r in range(problem.request_count) if r not in fixed and problem.common[r]]
    whole_model = sum(problem.common[r].bit_count() for r in movable) <= FULL_MODEL_LIMIT
    if use_cp_sat and state.weight < bound:
        # Neighbourhood search first: on small instances it usually reaches the LP bound
        # (which proves optimality) within a second or two; the whole model then only has
        # to prove what is left, starting from the best schedule found.
        lns_deadline = deadline
        if whole_model:
            lns_deadline = min(deadline, time.monotonic() + min(6.0, 0.5 * time_limit))
        if len(movable) <= NEIGHBOURHOOD_SIZE:
            lns_deadline = 0.0  # one neighbourhood would be the whole instance
        large_neighbourhood_search(
            state,
            fixed=fixed,
            preferred=preferred,
            scale=scale,
            deadline=lns_deadline,
            target_weight=bound,
            rng=rng,
            preference=preference,
            size=NEIGHBOURHOOD_SIZE,
            on_round=lambda: report(0.3 + 0.6 * (time.monotonic() - started) / time_limit),
        )
        if whole_model and state.weight < bound and time.monotonic() < deadline:
            outcome = resolve(
                state,
                movable,
                preferred=preferred,
                scale=scale,
                time_limit=deadline - time.monotonic(),
                workers=2,
                stop_at=None if preferred else (bound - locked_weight) * scale,
            )
            model_bound = bound
            if math.isfinite(outcome.objective_bound):
                model_bound = int(outcome.objective_bound + 1e-6) // scale + locked_weight
            if model_bound < bound:
                bound, bound_kind = model_bound, "cp-sat"
    proven = state.weight >= bound
    report(1.0)

    schedule = _assign_tables(problem, state, previous_place)
    now_at = {meeting.request: (meeting.slot, meeting.table) for meeting in schedule.meetings}
    moved = dropped = 0
    for request, (slot, table) in previous_place.items():
        place = now_at.get(problem.request_ids[request])
        if place is None:
            dropped += 1
        elif place != (problem.slot_ids[slot], table):
            moved += 1
    return Result(
        schedule=schedule,
        weight=state.weight,
        bound=float(bound),
        bound_kind=bound_kind,
        proven_optimal=proven,
        unplaced=unplaced_reasons(problem, state),
        moved=moved,
        dropped=dropped,
        seconds=time.monotonic() - started,
    )


def _colour_choice(
    problem: Problem, state: State, fixed: set[int], preference: list[float], deadline: float
) -> bool:
    """Matching-based construction: schedule exactly the requests the aggregate LP chose.

    The LP solution is an optimal b-matching on B2B instances; when CP-SAT finds slots for
    all of it, the schedule reaches the LP bound and is optimal. Skipped when the model would
    be too large to settle in the time at hand; returns whether it succeeded.
    """
    chosen = [
        r
        for r in range(problem.request_count)
        if r not in fixed and preference[r] > 0.5 and problem.common[r]
    ]
    if not chosen or sum(problem.common[r].bit_count() for r in chosen) > COLOUR_LIMIT:
        return False
    budget = min(30.0, 0.4 * (deadline - time.monotonic()))
    return budget > 0.1 and colour(state, chosen, preferred={}, time_limit=budget, workers=2)


def _previous_places(problem: Problem, previous: Schedule | None) -> dict[int, tuple[int, int]]:
    """Previous meetings that still refer to known requests and slots, by request index."""
    if previous is None:
        return {}
    request_index = {request_id: r for r, request_id in enumerate(problem.request_ids)}
    slot_index = {slot_id: s for s, slot_id in enumerate(problem.slot_ids)}
    places = {}
    for meeting in previous.meetings:
        request = request_index.get(meeting.request)
        slot = slot_index.get(meeting.slot)
        if request is not None and slot is not None and request not in places:
            places[request] = (slot, meeting.table)
    return places


def _assign_tables(
    problem: Problem, state: State, previous_place: dict[int, tuple[int, int]]
) -> Schedule:
    """Number the tables: locked first, then previous tables kept, then the lowest free.

    With seats, see `_assign_seated_tables`.
    """
    if problem.seated:
        return _assign_seated_tables(problem, state, previous_place)
    taken: list[set[int]] = [set() for _ in problem.slot_ids]
    table_of: dict[int, int] = {}
    for request, (slot, table) in problem.locked.items():
        taken[slot].add(table)
        table_of[request] = table
    for request, (slot, table) in previous_place.items():
        if (
            request not in table_of
            and state.slot_of[request] == slot
            and 1 <= table <= problem.tables[slot]
            and table not in taken[slot]
        ):
            taken[slot].add(table)
            table_of[request] = table
    next_table = [1] * problem.slot_count
    meetings = []
    for request, slot in enumerate(state.slot_of):
        if slot < 0:
            continue
        if request not in table_of:
            while next_table[slot] in taken[slot]:
                next_table[slot] += 1
            table_of[request] = next_table[slot]
            taken[slot].add(next_table[slot])
        meetings.append(
            Meeting(
                request=problem.request_ids[request],
                slot=problem.slot_ids[slot],
                table=table_of[request],
            )
        )
    return Schedule(meetings=tuple(meetings))


def _assign_seated_tables(
    problem: Problem, state: State, previous_place: dict[int, tuple[int, int]]
) -> Schedule:
    """Tables when seats differ: locked and previous tables kept where the rest still fits.

    The others go largest meeting first to the smallest free table that seats it, which
    finds an assignment whenever one exists (every later meeting is no larger, so leaving
    the big tables free never hurts). When keeping previous tables leaves no room for the
    rest, that slot is renumbered with only the locked tables fixed; the slot counts kept
    by `State` guarantee that this succeeds.
    """
    table_of: dict[int, int] = {}
    for slot in range(problem.slot_count):
        meetings = state.in_slot[slot]
        if not meetings:
            continue
        seats = problem.seats[slot]
        locked = {r: problem.locked[r][1] for r in meetings if r in problem.locked}
        kept = {
            r: previous_place[r][1]
            for r in meetings
            if r not in locked
            and r in previous_place
            and previous_place[r][0] == slot
            and 1 <= previous_place[r][1] <= problem.tables[slot]
            and problem.need[r] <= seats[previous_place[r][1] - 1]
        }
        for fixed in (kept, {}):
            chosen = dict(locked)
            taken = set(locked.values())
            for request, table in sorted(fixed.items(), key=lambda item: -problem.weight[item[0]]):
                if table not in taken:
                    chosen[request] = table
                    taken.add(table)
            rest = sorted(
                (r for r in meetings if r not in chosen), key=lambda r: (-problem.need[r], r)
            )
            free = sorted(
                (table for table in range(1, problem.tables[slot] + 1) if table not in taken),
                key=lambda table: (seats[table - 1], table),
            )
            complete = True
            for request in rest:
                table = next((t for t in free if seats[t - 1] >= problem.need[request]), None)
                if table is None:
                    complete = False
                    break
                free.remove(table)
                chosen[request] = table
            if complete:
                break
        if not complete:
            raise AssertionError(f"no table assignment in slot {problem.slot_ids[slot]}")
        table_of.update(chosen)
    meetings = [
        Meeting(
            request=problem.request_ids[request],
            slot=problem.slot_ids[slot],
            table=table_of[request],
        )
        for request, slot in enumerate(state.slot_of)
        if slot >= 0
    ]
    return Schedule(meetings=tuple(meetings))


def unplaced_reasons(problem: Problem, state: State) -> dict[str, Reason]:
    """Why each request with no slot was left out, judged against the final placement.

    In order: no slot where all attendees are available (with tables); none of those takes
    the request's kind; none of those has a table seating all its people; an attendee
    already at their `max_meetings`; a slot where all attendees are free exists but its
    (big enough) tables are full; otherwise every shared slot is taken by other meetings of
    its attendees, which the solver preferred (heavier, or together heavier).
    """
    reasons = {}
    for request, slot in enumerate(state.slot_of):
        if slot >= 0:
            continue
        request_id = problem.request_ids[request]
        if not problem.available_common[request]:
            reasons[request_id] = Reason.NO_COMMON_SLOT
        elif not problem.kind_common[request]:
            reasons[request_id] = Reason.NO_SLOT_FOR_KIND
        elif not problem.common[request]:
            reasons[request_id] = Reason.NO_TABLE_BIG_ENOUGH
        elif not state.under_limit(request):
            reasons[request_id] = Reason.PARTICIPANT_AT_LIMIT
        elif state.person_free(request):
            reasons[request_id] = Reason.NO_TABLE_FREE
        else:
            reasons[request_id] = Reason.DISPLACED
    return reasons


def greedy_baseline(instance: Instance) -> Schedule:
    """What common tools do: requests in input order, each in the first slot that fits.

    Used by the benchmark as the point of comparison; never by the real scheduler.
    """
    problem = Problem.from_instance(instance)
    state = State(problem)
    for request, (slot, _table) in problem.locked.items():
        state.place(request, slot)
    greedy_first_fit(state, range(problem.request_count))
    return _assign_tables(problem, state, {})
