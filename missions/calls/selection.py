"""Choosing a delegation from ranked applications: a pure optimiser, no Django.

Plain data in, plain data out: candidates (an id, a score, an organisation, a US state and
sectors) and limits (how many in all, how many per organisation, at most N per state, at
least M per sector). ``propose`` maximises the total score with OR-Tools CP-SAT, imported
lazily (it is slow to import and only organisers asking for a proposal need it);
``brute_force`` enumerates every subset and exists to check ``propose`` on small cases;
``check`` says how a hand-made selection meets the limits; ``promotion`` chooses who on the
waiting list takes a place that fell free.

Scores are multiplied by ``SCALE`` and rounded to integers before optimising (CP-SAT works
on integers); both optimisers compare totals on that same integer scale.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SCALE = 1000
EVERY_STATE = "*"


@dataclass(frozen=True)
class Candidate:
    id: int
    score: float
    organization: int | str
    state: str = ""
    sectors: frozenset[str] = frozenset()

    @property
    def points(self) -> int:
        return round(self.score * SCALE)


@dataclass(frozen=True)
class Limits:
    max_selected: int
    max_per_organization: int | None = None
    # State name -> at most that many selected; "*" applies to every (non-empty) state
    # that has no entry of its own.
    state_max: Mapping[str, int] = field(default_factory=dict)
    # Sector -> at least that many selected whose organisation works in the sector.
    sector_min: Mapping[str, int] = field(default_factory=dict)

    def state_limit(self, state: str) -> int | None:
        if not state:
            return None
        if state in self.state_max:
            return self.state_max[state]
        return self.state_max.get(EVERY_STATE)


@dataclass(frozen=True)
class Violation:
    """One limit a selection breaks. ``kind``: total, organization, state or sector."""

    kind: str
    key: str
    limit: int
    actual: int


@dataclass(frozen=True)
class Proposal:
    status: str  # "optimal", "feasible" (time limit reached) or "infeasible"
    selected: tuple[int, ...] = ()
    points: int = 0
    # When infeasible: the minimums that cannot be met (``shortfalls``), to name them.
    shortfalls: tuple[Violation, ...] = ()

    @property
    def is_feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def check(
    candidates: Sequence[Candidate], selected_ids: Iterable[int], limits: Limits
) -> list[Violation]:
    """Every limit the selection ``selected_ids`` breaks (empty when it meets them all)."""
    chosen_ids = set(selected_ids)
    chosen = [c for c in candidates if c.id in chosen_ids]
    violations = []
    if len(chosen) > limits.max_selected:
        violations.append(Violation("total", "", limits.max_selected, len(chosen)))
    if limits.max_per_organization is not None:
        per_organization = Counter(c.organization for c in chosen)
        for organization, count in sorted(per_organization.items(), key=lambda i: str(i[0])):
            if count > limits.max_per_organization:
                violations.append(
                    Violation("organization", str(organization), limits.max_per_organization, count)
                )
    per_state = Counter(c.state for c in chosen if c.state)
    states = sorted(set(per_state) | {s for s in limits.state_max if s != EVERY_STATE})
    for state in states:
        limit = limits.state_limit(state)
        if limit is not None and per_state[state] > limit:
            violations.append(Violation("state", state, limit, per_state[state]))
    for sector, minimum in sorted(limits.sector_min.items()):
        count = sum(1 for c in chosen if sector in c.sectors)
        if count < minimum:
            violations.append(Violation("sector", sector, minimum, count))
    return violations


@dataclass(frozen=True)
class Promotion:
    """Who takes a free place: ``chosen`` (None when nobody may), and for every waitlisted
    candidate passed over, best-ranked first, the limits their promotion would break."""

    chosen: int | None
    passed_over: tuple[tuple[int, tuple[Violation, ...]], ...] = ()


def promotion(
    candidates: Sequence[Candidate],
    *,
    before_ids: Iterable[int],
    selected_ids: Iterable[int],
    waitlist_ids: Sequence[int],
    limits: Limits,
) -> Promotion:
    """The best-ranked of ``waitlist_ids`` (best first) who may join ``selected_ids``, the
    selection once a place fell free (``before_ids`` is the selection before that).

    A promotion may not break what the selection kept: no maximum (delegates, per
    organisation, per state) may be exceeded, or exceeded further where the organiser had
    accepted it; and no sector may fall below a minimum it met before, nor further below one
    it already missed. So when the one who left was needed for a sector's minimum, only a
    candidate of that sector can take the place. ``candidates`` must include everyone in
    ``before_ids``.
    """
    selected = set(selected_ids)
    before = set(before_ids)
    sector_before = {
        sector: sum(1 for c in candidates if c.id in before and sector in c.sectors)
        for sector in limits.sector_min
    }
    exceeded_now = {
        (v.kind, v.key): v.actual for v in check(candidates, selected, limits) if v.kind != "sector"
    }
    passed_over = []
    for candidate_id in waitlist_ids:
        broken = []
        for violation in check(candidates, selected | {candidate_id}, limits):
            if violation.kind == "sector":
                floor = min(violation.limit, sector_before[violation.key])
                if violation.actual < floor:
                    broken.append(violation)
            elif violation.actual > exceeded_now.get((violation.kind, violation.key), -1):
                broken.append(violation)
        if not broken:
            return Promotion(candidate_id, tuple(passed_over))
        passed_over.append((candidate_id, tuple(broken)))
    return Promotion(None, tuple(passed_over))


def reachable(candidates: Sequence[Candidate], sector: str, limits: Limits) -> int:
    """How many candidates of ``sector`` can be selected at most, within the maximums (in
    all, per organisation, per state). An organisation lies in one state, so the caps nest
    and filling each organisation, then each state, then the whole is exact."""
    per_organization: Counter = Counter()
    state_of: dict[object, str] = {}
    for c in candidates:
        if sector in c.sectors:
            per_organization[c.organization] += 1
            state_of[c.organization] = c.state
    per_state: Counter = Counter()
    unlimited = 0
    for organization, count in per_organization.items():
        if limits.max_per_organization is not None:
            count = min(count, limits.max_per_organization)
        state = state_of[organization]
        if limits.state_limit(state) is None:
            unlimited += count
        else:
            per_state[state] += count
    capped = sum(min(count, limits.state_limit(state)) for state, count in per_state.items())
    return min(limits.max_selected, unlimited + capped)


def shortfalls(candidates: Sequence[Candidate], limits: Limits) -> list[Violation]:
    """The sector minimums that no selection can meet, as violations whose ``kind`` says why:

    - ``sector``: fewer candidates in the sector than the minimum (``actual``: how many);
    - ``sector_capped``: enough candidates, but the maximums (in all, per organisation, per
      state) let fewer be selected (``actual``: the most that can be);
    - ``sector_together``: each minimum can be met alone, not all at once (every minimum
      is listed, ``actual``: the most that can be selected of its sector alone).
    """
    found = []
    together = []
    for sector, minimum in sorted(limits.sector_min.items()):
        available = sum(1 for c in candidates if sector in c.sectors)
        most = reachable(candidates, sector, limits)
        if available < minimum:
            found.append(Violation("sector", sector, minimum, available))
        elif most < minimum:
            found.append(Violation("sector_capped", sector, minimum, most))
        elif minimum > 0:
            together.append(Violation("sector_together", sector, minimum, most))
    return found or together


def propose(
    candidates: Sequence[Candidate], limits: Limits, *, time_limit: float = 10.0
) -> Proposal:
    """The selection with the highest total score that meets every limit (CP-SAT). When
    none does, the proposal names the minimums that cannot be met (``shortfalls``)."""
    proposal = _propose(candidates, limits, time_limit=time_limit)
    if proposal.is_feasible:
        return proposal
    return Proposal("infeasible", shortfalls=tuple(shortfalls(candidates, limits)))


def _propose(candidates: Sequence[Candidate], limits: Limits, *, time_limit: float) -> Proposal:
    from ortools.sat.python import cp_model  # slow import: only when a proposal is asked

    if not candidates:
        feasible = not check([], [], limits)
        return Proposal("optimal" if feasible else "infeasible")
    model = cp_model.CpModel()
    take = {c.id: model.new_bool_var(f"take_{c.id}") for c in candidates}
    model.add(sum(take.values()) <= limits.max_selected)
    if limits.max_per_organization is not None:
        by_organization: dict[object, list] = {}
        for c in candidates:
            by_organization.setdefault(c.organization, []).append(take[c.id])
        for variables in by_organization.values():
            model.add(sum(variables) <= limits.max_per_organization)
    by_state: dict[str, list] = {}
    for c in candidates:
        if c.state:
            by_state.setdefault(c.state, []).append(take[c.id])
    for state, variables in by_state.items():
        limit = limits.state_limit(state)
        if limit is not None:
            model.add(sum(variables) <= limit)
    for sector, minimum in limits.sector_min.items():
        variables = [take[c.id] for c in candidates if sector in c.sectors]
        model.add(sum(variables) >= minimum)
    model.maximize(sum(c.points * take[c.id] for c in candidates))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    # One worker: deterministic, and the machine is shared.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Proposal("infeasible")
    selected = tuple(sorted(c.id for c in candidates if solver.value(take[c.id])))
    points = sum(c.points for c in candidates if c.id in selected)
    return Proposal("optimal" if status == cp_model.OPTIMAL else "feasible", selected, points)


def brute_force(candidates: Sequence[Candidate], limits: Limits) -> Proposal:
    """Every subset tried: exponential, for checking ``propose`` on a dozen candidates."""
    if len(candidates) > 16:
        raise ValueError("brute force is for small cases only")
    best: Proposal | None = None
    for size in range(0, min(limits.max_selected, len(candidates)) + 1):
        for subset in itertools.combinations(candidates, size):
            ids = [c.id for c in subset]
            if check(candidates, ids, limits):
                continue
            points = sum(c.points for c in subset)
            if best is None or points > best.points:
                best = Proposal("optimal", tuple(sorted(ids)), points)
    return best or Proposal("infeasible")
