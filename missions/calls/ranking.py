"""The ranking of a call's applications and the selection problem built from it: every
application's figures read as plain values (no model instance) in a fixed number of queries,
the fifty a page shows loaded afterwards. Split from ``selectors`` (which re-exports these
names) when the module passed 500 lines."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import Prefetch

from organizations.models import Organization, Sector

from . import selection
from .models import (
    Application,
    Call,
    Criterion,
    Quota,
    ReviewAssignment,
    Score,
)


@dataclass(frozen=True)
class Ranked:
    """One application's place in the ranking, read as plain values (no model instance): its
    figures, and what a selection is checked against (organisation, US state, sectors)."""

    application_id: int
    status: str
    organization_id: int
    state: str  # the organisation's US state; "" outside the US
    sectors: frozenset[str]  # the organisation's sector slugs
    weighted: float | None  # 0–100: weighted mean over criteria of the reviewers' mean
    mean: float | None  # 0–100: plain mean of every score, each on its own scale
    spread: float | None  # 0–100 points: standard deviation of the reviewers' weighted totals
    reviews: int
    criterion_means: dict[int, float]  # criterion id -> 0–100


@dataclass(frozen=True)
class RankRow(Ranked):
    """A ranked application with the application itself (organisation and contact loaded)."""

    application: Application


RANKED_STATUSES = (
    *Application.IN_REVIEW,
    Application.Status.SELECTED,
    Application.Status.WAITLISTED,
    Application.Status.REJECTED,
)


def ranked(call: Call) -> list[Ranked]:
    """Every reviewed-or-reviewable application of ``call`` with its figures, best first: five
    queries, whatever the number of applications.

    Everything is read as plain values, never as objects: at a hundred times the demo's
    data a call has thousands of applications, assignments and scores, and building them as
    model instances on every request cost most of the ranking page's time. (Summing the
    scores in SQLite instead, with one conditional aggregate per criterion, took longer than
    reading them.) The check of a selection and the optimal proposal need every
    application; a page shows fifty, which ``with_applications`` loads."""
    criteria = {
        pk: (weight, scale_max)
        for pk, weight, scale_max in Criterion.objects.filter(call=call).values_list(
            "pk", "weight", "scale_max"
        )
    }
    total_weight = sum(weight for weight, _scale in criteria.values()) or 1
    applications = Application.objects.filter(call=call, status__in=RANKED_STATUSES)
    sectors: dict[int, set[str]] = {}
    for organization_id, slug in Organization.sectors.through.objects.filter(
        organization__in=applications.values("organization")
    ).values_list("organization_id", "sector__slug"):
        sectors.setdefault(organization_id, set()).add(slug)
    # A review counts once submitted, unless its reviewer declared a conflict of interest.
    counted = {
        "application__call": call,
        "application__status__in": RANKED_STATUSES,
        "submitted_at__isnull": False,
        "conflict_declared": False,
    }
    reviews: dict[int, list[int]] = {}  # application id -> its counted reviews' ids
    for application_id, assignment_id in (
        ReviewAssignment.objects.filter(**counted)
        .order_by("pk")
        .values_list("application_id", "pk")
    ):
        reviews.setdefault(application_id, []).append(assignment_id)
    review_totals: dict[int, float] = {}  # review id -> its weighted total, out of total_weight
    # application id -> criterion id -> [sum of its scores, number of its scores]
    sums: dict[int, dict[int, list[int]]] = {}
    for application_id, assignment_id, criterion_id, value in Score.objects.filter(
        **{f"assignment__{name}": value for name, value in counted.items()}
    ).values_list("assignment__application_id", "assignment_id", "criterion_id", "value"):
        weight, scale_max = criteria[criterion_id]
        review_totals[assignment_id] = review_totals.get(assignment_id, 0.0) + weight * (
            value / scale_max
        )
        of_criterion = sums.setdefault(application_id, {}).setdefault(criterion_id, [0, 0])
        of_criterion[0] += value
        of_criterion[1] += 1
    rows = []
    for application_id, status, organization_id, country, region in applications.values_list(
        "pk", "status", "organization_id", "organization__country", "organization__region"
    ):
        of_application = sums.get(application_id, {})
        count = sum(number for _total, number in of_application.values())
        totals = [
            100 * review_totals.get(assignment_id, 0.0) / total_weight
            for assignment_id in reviews.get(application_id, ())
        ]
        rows.append(
            Ranked(
                application_id=application_id,
                status=status,
                organization_id=organization_id,
                state=region if country == "US" else "",
                sectors=frozenset(sectors.get(organization_id, ())),
                weighted=_exact_ratio(
                    [
                        (100 * criteria[pk][0] * total, number * criteria[pk][1] * total_weight)
                        for pk, (total, number) in of_application.items()
                    ]
                ),
                mean=_exact_ratio(
                    [
                        (100 * total, criteria[pk][1] * count)
                        for pk, (total, _number) in of_application.items()
                    ]
                ),
                spread=_population_deviation(totals),
                reviews=len(totals),
                criterion_means={
                    pk: 100 * total / (number * criteria[pk][1])
                    for pk, (total, number) in of_application.items()
                },
            )
        )
    rows.sort(key=lambda r: (r.weighted is None, -(r.weighted or 0), r.application_id))
    return rows


def _exact_ratio(terms: list[tuple[int, int]]) -> float | None:
    """The sum of the fractions ``numerator / denominator`` (integers), rounded once: equal
    sums give equal floats, so applications with equal scores tie exactly and keep their
    order by id. Summing floats instead gives 30.0 for one and 30.000000000000004 for
    another. None when there is no term."""
    if not terms:
        return None
    common = math.lcm(*(denominator for _numerator, denominator in terms))
    return sum(numerator * (common // denominator) for numerator, denominator in terms) / common


def _population_deviation(values: list[float]) -> float | None:
    """The population standard deviation in floating point: ``statistics.pstdev`` computes
    it exactly, with fractions, which cost more than the rest of the ranking together."""
    if not values:
        return None
    mean = statistics.fmean(values)
    return math.sqrt(statistics.fmean([(value - mean) ** 2 for value in values]))


def with_applications(rows: Iterable[Ranked], *, sectors: bool = False) -> list[RankRow]:
    """``rows`` with their applications, organisation and contact loaded (and the
    organisation's sectors when ``sectors``), in the same order: one query (two). A row
    whose application was deleted since it was ranked is left out."""
    rows = list(rows)
    applications = Application.objects.filter(
        pk__in=[row.application_id for row in rows]
    ).select_related("organization", "contact")
    if sectors:
        applications = applications.prefetch_related(
            Prefetch("organization__sectors", queryset=Sector.objects.order_by("name"))
        )
    by_id = {application.pk: application for application in applications}
    return [
        RankRow(
            **{f.name: getattr(row, f.name) for f in fields(Ranked)},
            application=by_id[row.application_id],
        )
        for row in rows
        if row.application_id in by_id
    ]


def ranking(call: Call) -> list[RankRow]:
    """Every ranked application of ``call`` with its figures and the application itself
    (organisation, contact and sectors), best first: seven queries. For the export; a page
    that shows some of them takes ``ranked`` and loads its own with ``with_applications``."""
    return with_applications(ranked(call), sectors=True)


def selection_limits(call: Call, quotas: list[Quota] | None = None) -> selection.Limits:
    quotas = list(call.quotas.all()) if quotas is None else quotas
    return selection.Limits(
        max_selected=call.max_delegates,
        max_per_organization=call.max_per_organization,
        state_max={q.key: q.number for q in quotas if q.kind == Quota.Kind.PER_STATE_MAX},
        sector_min={q.key: q.number for q in quotas if q.kind == Quota.Kind.PER_SECTOR_MIN},
    )


def candidates_from(rows: list[Ranked]) -> list[selection.Candidate]:
    return [
        selection.Candidate(
            id=row.application_id,
            score=round(row.weighted or 0.0, 3),
            organization=row.organization_id,
            state=row.state,
            sectors=row.sectors,
        )
        for row in rows
        if row.status != Application.Status.REJECTED
    ]


def application_candidate(application: Application) -> selection.Candidate:
    """One application as a candidate, whatever its status (the ranking leaves out withdrawn
    ones): its organisation, US state and sectors, no score. Two queries."""
    organization = application.organization
    return selection.Candidate(
        id=application.pk,
        score=0.0,
        organization=organization.pk,
        state=organization.region if organization.country == "US" else "",
        sectors=frozenset(organization.sectors.values_list("slug", flat=True)),
    )


def selection_problem(call: Call) -> tuple[list[selection.Candidate], selection.Limits]:
    """The candidates (every application still in the running) and the call's limits."""
    return candidates_from(ranked(call)), selection_limits(call)
