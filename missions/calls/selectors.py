"""Reads of calls, applications and reviews: each returns only what the user may see, with
what its page shows fetched up front (a fixed number of queries however many rows)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from missions.selectors import missions_editable_by
from organizations.models import Organization, Role, Sector, User
from organizations.permissions import is_organiser

from . import selection
from .models import (
    Application,
    Attachment,
    Call,
    Criterion,
    DecisionTemplate,
    Quota,
    ReviewAssignment,
    Score,
    StatusChange,
)


def _organised_calls(user) -> Q:
    """The calls of the missions the user organises. "Organises" has one definition,
    ``missions.selectors.missions_editable_by``; the rules predicates ask it too. (An empty
    queryset keeps ``Q(is_published=True) | _organised_calls(user)`` meaning what it says,
    where ``Q()`` would vanish from the or.)"""
    return Q(mission__in=missions_editable_by(user).values("pk"))


def calls_visible_to(user) -> QuerySet[Call]:
    """Published calls for everyone; every call of the missions they organise for organisers."""
    ids = Call.objects.filter(Q(is_published=True) | _organised_calls(user)).values("pk")
    return Call.objects.filter(pk__in=ids).select_related("mission")


def calls_managed_by(user) -> QuerySet[Call]:
    if not user.is_authenticated:
        return Call.objects.none()
    ids = Call.objects.filter(_organised_calls(user)).values("pk")
    return Call.objects.filter(pk__in=ids).select_related("mission")


def applications_of_applicant(user) -> QuerySet[Application]:
    """The user's own applications (they are the contact person)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(contact=user).select_related("call__mission", "organization")


# A draft (never submitted: a withdrawn draft included) is its applicant's alone.
_EVER_SUBMITTED = Q(submitted_at__isnull=False)


def applications_visible_to(user) -> QuerySet[Application]:
    """Own; or, once submitted, assigned for review or of a call the user organises."""
    if not user.is_authenticated:
        return Application.objects.none()
    others = Q(pk__in=ReviewAssignment.objects.filter(reviewer=user).values("application"))
    if is_organiser(user):
        others |= Q(call__in=calls_managed_by(user).values("pk"))
    visible = Q(contact=user) | (_EVER_SUBMITTED & others)
    return Application.objects.filter(visible).select_related(
        "call__mission", "organization", "contact"
    )


def attachments_visible_to(user) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        application__in=applications_visible_to(user).values("pk")
    ).select_related("application")


def applications_submitted_to(call: Call) -> QuerySet[Application]:
    """The applications of ``call`` its organisers may open: those ever submitted."""
    return Application.objects.filter(_EVER_SUBMITTED, call=call).select_related(
        "organization", "contact"
    )


def organiser_application_list(call: Call) -> QuerySet[Application]:
    """The organiser's list: organisation, sectors, contact and reviewers up front."""
    return (
        Application.objects.filter(_EVER_SUBMITTED, call=call)
        .select_related("organization", "contact")
        .prefetch_related(
            Prefetch("organization__sectors", queryset=Sector.objects.order_by("name")),
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer").order_by("pk"),
            ),
        )
        .order_by("organization__name", "pk")
    )


def applications_of_call(call: Call) -> QuerySet[Application]:
    """Every application of ``call``, drafts included: for filters that are then narrowed to
    what the organiser's page shows."""
    return Application.objects.filter(call=call).select_related("organization", "contact")


def application_status_counts(call: Call) -> dict[str, int]:
    """How many applications of ``call`` are in each status: one query."""
    return dict(Application.objects.filter(call=call).values_list("status").annotate(n=Count("pk")))


def applications_for_decisions(call: Call) -> QuerySet[Application]:
    """The applications a decision can be prepared for: in review, waitlisted, or with a
    decision prepared and not yet sent. One query per page of it."""
    return (
        Application.objects.filter(call=call)
        .filter(
            Q(status__in=(*Application.IN_REVIEW, Application.Status.WAITLISTED))
            | ~Q(decision_pending="")
        )
        .select_related("organization", "contact")
        .order_by("organization__name", "pk")
    )


def decidable_applications(call: Call) -> list[tuple[int, str, int | None]]:
    """``(id, decision prepared, waitlist rank)`` of every application of ``call`` whose
    decision may still change (in review or waitlisted), by id: one query, no objects. The
    decisions page shows one page of applications; this is the rest of the batch it prepares."""
    return list(
        Application.objects.filter(
            call=call, status__in=(*Application.IN_REVIEW, Application.Status.WAITLISTED)
        )
        .order_by("pk")
        .values_list("pk", "decision_pending", "waitlist_rank")
    )


def application_assignments(application: Application) -> QuerySet[ReviewAssignment]:
    """An application's reviewers with their scores, for its organisers."""
    return application.assignments.select_related("reviewer").prefetch_related("scores__criterion")


def decision_templates(call: Call) -> QuerySet[DecisionTemplate]:
    return DecisionTemplate.objects.filter(call=call)


def attachments_of_applicant(user) -> QuerySet[Attachment]:
    """The files of the user's own applications (they are its contact)."""
    if not user.is_authenticated:
        return Attachment.objects.none()
    return Attachment.objects.filter(application__contact=user).select_related("application__call")


def assignments_of_reviewer(user) -> QuerySet[ReviewAssignment]:
    """The reviewer's assignments, newest call first."""
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("application__call", "application__organization")
        .order_by("-application__call__closes_at", "application__organization__name", "pk")
    )


def other_reviews_visible(assignment: ReviewAssignment) -> list[ReviewAssignment]:
    """Other reviewers' submitted scores: only once this reviewer has submitted their own."""
    if assignment.submitted_at is None:
        return []
    return list(
        ReviewAssignment.objects.filter(
            application=assignment.application_id, submitted_at__isnull=False
        )
        .exclude(pk=assignment.pk)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )


def status_history(application: Application) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(application=application).select_related("by")


def reviewer_candidates() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.REVIEWER).order_by("email")


# --- Ranking --------------------------------------------------------------------------------


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


def withdrawals_from_delegation(call: Call) -> QuerySet[StatusChange]:
    """Selected applicants who withdrew, newest first; the note says who took the place, or
    why nobody on the waiting list could."""
    return (
        StatusChange.objects.filter(
            application__call=call,
            from_status=Application.Status.SELECTED,
            to_status=Application.Status.WITHDRAWN,
        )
        .select_related("application__organization", "application__contact")
        .order_by("-at", "-pk")
    )


def selection_problem(call: Call) -> tuple[list[selection.Candidate], selection.Limits]:
    """The candidates (every application still in the running) and the call's limits."""
    return candidates_from(ranked(call)), selection_limits(call)


# The home page (reports.home composes these): each is one query, whatever the number of rows.
HOME_LIMIT = 10


def home_applications(user) -> list[Application]:
    """The applicant's own applications, newest first, each with its call and mission."""
    return list(applications_of_applicant(user).order_by("-created_at", "-pk")[:HOME_LIMIT])


def home_open_calls(user, *, now=None) -> list[Call]:
    """Published calls open now, the soonest to close first; ``applied`` says whether the
    reader already has a live application to it."""
    now = now or timezone.now()
    calls = (
        Call.objects.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)
        .select_related("mission")
        .order_by("closes_at", "pk")
    )
    if user.is_authenticated:
        calls = calls.annotate(
            applied=Exists(
                Application.objects.filter(call=OuterRef("pk"), contact=user).exclude(
                    status=Application.Status.WITHDRAWN
                )
            )
        )
    return list(calls[:HOME_LIMIT])


def home_reviews_to_do(user) -> list[ReviewAssignment]:
    """The reviewer's unscored assignments on applications still in review, the call that
    closed first first (its mission's first day is the latest the scores are useful)."""
    return list(
        assignments_of_reviewer(user)
        .filter(
            submitted_at__isnull=True,
            conflict_declared=False,
            application__status__in=Application.IN_REVIEW,
        )
        .select_related("application__call__mission")
        .order_by("application__call__closes_at", "application__organization__name", "pk")[
            :HOME_LIMIT
        ]
    )


def home_calls_in_review(user, *, now=None) -> list[Call]:
    """Closed calls of the organiser's missions with applications still in review;
    ``in_review`` counts them, ``unscored`` counts the reviews not yet submitted."""
    now = now or timezone.now()
    return list(
        calls_managed_by(user)
        .filter(closes_at__lte=now)
        .annotate(
            in_review=Count(
                "applications",
                filter=Q(applications__status__in=Application.IN_REVIEW),
                distinct=True,
            ),
            unscored=Count(
                "applications__assignments",
                filter=Q(
                    applications__status__in=Application.IN_REVIEW,
                    applications__assignments__submitted_at__isnull=True,
                    applications__assignments__conflict_declared=False,
                ),
                distinct=True,
            ),
        )
        .filter(in_review__gt=0)
        .order_by("closes_at", "pk")[:HOME_LIMIT]
    )


def decisions_send_warnings(call: Call, *, now=None) -> list[str]:
    """Why sending the prepared decisions now may be early: the call is still open, or
    reviews are missing on applications still in review or awaiting a prepared decision.
    Each is a sentence for the confirmation page (two queries)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    now = now or timezone.now()
    warnings = []
    if call.closes_at > now:
        warnings.append(_("The call is still open: applicants may still apply until it closes."))
    missing = ReviewAssignment.objects.filter(
        Q(application__status__in=Application.IN_REVIEW) | ~Q(application__decision_pending=""),
        application__call=call,
        submitted_at__isnull=True,
        conflict_declared=False,
    ).count()
    if missing:
        warnings.append(
            ngettext(
                "%(count)s review is not submitted yet.",
                "%(count)s reviews are not submitted yet.",
                missing,
            )
            % {"count": missing}
        )
    return warnings


def decisions_prepared_count(call: Call) -> int:
    return Application.objects.filter(call=call).exclude(decision_pending="").count()


# --- Assigning reviewers --------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentNeed:
    """What a round-robin assignment would have to do: applications in review short of
    reviewers, the reviews missing in all, and the reviewers it can ask."""

    applications: int
    reviews: int
    reviewers: int


def assignment_need(call: Call) -> AssignmentNeed:
    """How many reviews the call's applications in review still lack (a reviewer who
    declared a conflict does not count) and how many reviewers there are. Two queries."""
    counts = (
        Application.objects.filter(call=call, status__in=Application.IN_REVIEW)
        .annotate(valid=Count("assignments", filter=Q(assignments__conflict_declared=False)))
        .values_list("valid", flat=True)
    )
    missing = [max(0, call.reviews_per_application - valid) for valid in counts]
    return AssignmentNeed(
        applications=sum(1 for number in missing if number),
        reviews=sum(missing),
        reviewers=reviewer_candidates().count(),
    )


def quotas_with_labels(call) -> list[Quota]:
    """The call's quotas, each with ``key_label``: the state, "every state", or the sector's
    name rather than its slug. Two queries whatever the number of quotas."""
    quotas = list(call.quotas.all())
    slugs = {q.key for q in quotas if q.kind == Quota.Kind.PER_SECTOR_MIN}
    names = dict(Sector.objects.filter(slug__in=slugs).values_list("slug", "name"))
    for quota in quotas:
        if quota.kind == Quota.Kind.PER_SECTOR_MIN:
            quota.key_label = names.get(quota.key, quota.key)
        elif quota.key == selection.EVERY_STATE:
            quota.key_label = gettext("every state (each one)")
        else:
            quota.key_label = quota.key
    return quotas
