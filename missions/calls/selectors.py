"""Reads of calls, applications and reviews: each returns only what the user may see, with
what its page shows fetched up front (a fixed number of queries however many rows)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from missions.selectors import missions_editable_by
from organizations.models import Role, Sector, User
from organizations.permissions import is_organiser

from . import selection
from .models import (
    Application,
    Attachment,
    Call,
    DecisionTemplate,
    Quota,
    ReviewAssignment,
    Score,
    StatusChange,
)
from .ranking import (  # noqa: F401 - the ranking's names, read through selectors as before
    RANKED_STATUSES,
    Ranked,
    RankRow,
    application_candidate,
    candidates_from,
    ranked,
    ranking,
    selection_limits,
    selection_problem,
    with_applications,
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
