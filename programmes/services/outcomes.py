"""The outcomes register: reporting, recognising one outcome reported twice, verification,
and the import of MoUs and agreements from matchmaking answers.

One outcome, many confirmations: an MoU signed in a meeting is reported by both sides (or
answered in both sides' meeting outcomes). A new report of the same type, from the same
source, between the same organisations, dated within ``DUPLICATE_WINDOW`` of one already
recorded (and not rejected), is that outcome: the report becomes a confirmation by the
reporter's organisation, so the figures count the MoU once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import require_permission
from matchmaking.models import Meeting, MeetingOutcome, Session
from missions.calls import uploads
from missions.calls.models import private_storage
from missions.models import Event, Mission
from organizations.models import Membership, Organization, User

from ..models import Outcome, OutcomeConfirmation, Partnership, Programme
from ..permissions import is_partnership_manager, runs_programmes

# Two reports of one outcome may date it a few days apart (signed on the Tuesday, filed on
# the Thursday); further apart, they are two outcomes.
DUPLICATE_WINDOW = dt.timedelta(days=3)

Source = Mission | Event | Meeting | Partnership

_SOURCE_FIELD = {Mission: "mission", Event: "event", Meeting: "meeting", Partnership: "partnership"}

# The meeting answers that become outcomes, and as what.
AGREEMENT_KINDS = {
    MeetingOutcome.Agreement.MOU: Outcome.Kind.MOU,
    MeetingOutcome.Agreement.AGREEMENT: Outcome.Kind.COOPERATION_AGREEMENT,
}


def source_field(source: Source) -> str:
    try:
        return _SOURCE_FIELD[type(source)]
    except KeyError:
        raise TypeError(f"An outcome cannot come from {type(source).__name__}") from None


def source_date(source: Source) -> dt.date:
    """The day the source began, in its own zone: no outcome is dated before it."""
    if isinstance(source, Mission):
        return source.start_date
    if isinstance(source, Event):
        return timezone.localtime(source.starts_at, source.tz).date()
    if isinstance(source, Partnership):
        return source.starts_on
    meeting: Meeting = source
    if meeting.slot_id:
        return timezone.localtime(meeting.slot.starts_at, meeting.session.tz).date()
    first_day = meeting.session.days.order_by("date").first()
    if first_day is not None:
        return first_day.date
    return timezone.localtime(meeting.created_at, meeting.session.tz).date()


def derived_programme(source: Source) -> Programme | None:
    """The programme that ran the source, where one did (a partnership has none)."""
    from ..models import ProgrammeEvent, ProgrammeMission

    if isinstance(source, Mission):
        link = ProgrammeMission.objects.filter(mission=source).select_related("programme").first()
        return link.programme if link else None
    if isinstance(source, Event):
        link = ProgrammeEvent.objects.filter(event=source).select_related("programme").first()
        if link:
            return link.programme
        return derived_programme(source.mission) if source.mission_id else None
    if isinstance(source, Meeting):
        session: Session = source.session
        if session.event_id:
            programme = derived_programme(session.event)
            if programme:
                return programme
        return derived_programme(session.mission) if session.mission_id else None
    return None


def meeting_participants(meeting: Meeting):
    request = meeting.request
    return (request.sender, request.receiver)


def _reporter_organization(
    *, by: User, source: Source, organizations: list[Organization]
) -> Organization | None:
    """The organisation on whose behalf ``by`` reports: their side of the meeting, else an
    organisation involved that they belong to (managers first), else none (an organiser)."""
    if isinstance(source, Meeting):
        for participant in meeting_participants(source):
            if participant.user_id == by.pk and participant.organization_id:
                return participant.organization
    memberships = (
        Membership.objects.filter(user=by, organization__in=organizations)
        .select_related("organization")
        .order_by("-role", "organization__name")
    )
    if isinstance(source, Partnership):
        memberships = memberships.filter(
            role=Membership.Role.MANAGER,
            organization__partnership_memberships__partnership=source,
        )
    membership = memberships.first()
    return membership.organization if membership else None


def _require_reporter(by: User, source: Source) -> None:
    """A meeting's participants, a partnership's managers, organisers and staff may report."""
    if not by.is_authenticated or not by.is_active:
        raise PermissionDenied(_("You may not do this."))
    if runs_programmes(by):
        return
    if isinstance(source, Meeting):
        if any(p.user_id == by.pk for p in meeting_participants(source)):
            return
        raise ValidationError(
            _("You can only report outcomes of meetings you took part in."), code="not_in_meeting"
        )
    if isinstance(source, Partnership) and is_partnership_manager(by, source):
        return
    raise PermissionDenied(_("You may not report outcomes of this."))


def _check_date(date: dt.date, source: Source) -> None:
    starts = source_date(source)
    if date < starts:
        raise ValidationError(
            {
                "date": _("The outcome is dated before its source began (%(day)s).")
                % {"day": starts.isoformat()}
            },
            code="before_source",
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("The outcome cannot be dated in the future.")})


def _organizations_for(source: Source, organizations: Iterable[Organization]) -> list:
    """A meeting's outcome is between the organisations of its two sides; other sources
    name theirs."""
    chosen = {o.pk: o for o in organizations}
    if isinstance(source, Meeting):
        for participant in meeting_participants(source):
            if participant.organization_id:
                chosen.setdefault(participant.organization_id, participant.organization)
    if not chosen:
        raise ValidationError(
            {"organizations": _("Name at least one organisation involved.")}, code="no_orgs"
        )
    return list(chosen.values())


def _lock_source(source: Source) -> None:
    # Two reports of the same outcome at once queue on the source's row, so the second one
    # sees the first and becomes its confirmation instead of a second outcome.
    # Ordered by pk alone: a default ordering through a nullable relation (a meeting's slot)
    # would add an outer join, which PostgreSQL refuses to lock.
    list(
        type(source)
        .objects.select_for_update()
        .filter(pk=source.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _find_duplicate(
    *, source: Source, kind: str, date: dt.date, organization_ids: set[int]
) -> Outcome | None:
    candidates = (
        Outcome.objects.filter(
            **{source_field(source): source},
            kind=kind,
            date__gte=date - DUPLICATE_WINDOW,
            date__lte=date + DUPLICATE_WINDOW,
        )
        .exclude(state=Outcome.State.REJECTED)
        .prefetch_related("organizations")
        .order_by("pk")
    )
    for candidate in candidates:
        if {o.pk for o in candidate.organizations.all()} == organization_ids:
            return candidate
    return None


def _store_evidence(outcome: Outcome, upload, checked: uploads.CheckedUpload) -> str:
    generated = f"outcomes/{uuid.uuid4().hex}{checked.extension}"
    upload.seek(0)
    stored = private_storage.save(generated, upload)
    outcome.evidence.name = stored
    outcome.evidence_name = checked.original_name
    outcome.evidence_content_type = checked.content_type
    return stored


def _record(
    *,
    source: Source,
    kind: str,
    title: str,
    date: dt.date,
    organizations: list[Organization],
    visibility: str,
    description: str,
    reporter: User | None,
    confirming: Organization | None,
    meeting_outcome: MeetingOutcome | None = None,
    evidence=None,
    programme: Programme | None = None,
) -> Outcome:
    checked = uploads.check_upload(evidence) if evidence is not None else None
    stored = None
    try:
        with transaction.atomic():
            _lock_source(source)
            if meeting_outcome is not None:
                already = OutcomeConfirmation.objects.filter(
                    meeting_outcome=meeting_outcome
                ).first()
                if already is not None:
                    return already.outcome
            duplicate = _find_duplicate(
                source=source,
                kind=kind,
                date=date,
                organization_ids={o.pk for o in organizations},
            )
            if duplicate is not None:
                outcome = duplicate
                existing = (
                    outcome.confirmations.filter(organization=confirming).first()
                    if confirming is not None
                    else None
                )
                if existing is not None:
                    if meeting_outcome is None:
                        raise ValidationError(
                            _("%(organization)s has already reported this outcome.")
                            % {"organization": confirming},
                            code="already_confirmed",
                        )
                    if existing.meeting_outcome_id is None:
                        existing.meeting_outcome = meeting_outcome
                        existing.save(update_fields=["meeting_outcome"])
                    return outcome
                if checked is not None and not outcome.evidence:
                    stored = _store_evidence(outcome, evidence, checked)
                    outcome.save()
            else:
                outcome = Outcome(
                    kind=kind,
                    title=title.strip(),
                    description=description.strip(),
                    date=date,
                    visibility=visibility,
                    reported_by=reporter,
                    programme=derived_programme(source) or programme,
                    **{source_field(source): source},
                )
                if checked is not None:
                    stored = _store_evidence(outcome, evidence, checked)
                outcome.full_clean(exclude=["organizations"])
                outcome.save()
                outcome.organizations.set(organizations)
            OutcomeConfirmation.objects.create(
                outcome=outcome,
                organization=confirming,
                person=reporter,
                meeting_outcome=meeting_outcome,
            )
    except BaseException:
        if stored:
            private_storage.delete(stored)
        raise
    return outcome


def outcome_report(
    *,
    by: User,
    source: Source,
    kind: str,
    title: str,
    date: dt.date,
    organizations: Iterable[Organization] = (),
    visibility: str = Outcome.Visibility.INTERNAL,
    description: str = "",
    evidence=None,
    programme: Programme | None = None,
) -> Outcome:
    """Report an outcome of ``source`` (a mission, event, matchmaking meeting or partnership).

    A meeting's participants, a partnership's managers, organisers and staff may. Refused,
    changing nothing: a date before the source began or in the future, a meeting the
    reporter was not in, an evidence file the call-attachment rules refuse. A report that
    matches an outcome already recorded becomes its confirmation (see the module docstring)
    and returns that outcome. ``programme`` is used only where the source names none.
    """
    source_field(source)
    _require_reporter(by, source)
    if isinstance(source, Meeting) and source.status in (
        Meeting.Status.CANCELLED,
        Meeting.Status.NO_SHOW,
    ):
        raise ValidationError(_("This meeting did not take place."), code="not_held")
    if kind not in Outcome.Kind.values:
        raise ValidationError({"kind": _("Choose a type of outcome.")})
    if visibility not in Outcome.Visibility.values:
        raise ValidationError({"visibility": _("Choose public or internal.")})
    _check_date(date, source)
    chosen = _organizations_for(source, organizations)
    return _record(
        source=source,
        kind=kind,
        title=title,
        date=date,
        organizations=chosen,
        visibility=visibility,
        description=description,
        reporter=by,
        confirming=_reporter_organization(by=by, source=source, organizations=chosen),
        evidence=evidence,
        programme=programme,
    )


def outcome_verify(*, outcome: Outcome, by: User) -> Outcome:
    """Staff confirm an outcome happened; only verified outcomes count in the figures."""
    return _decide(outcome=outcome, by=by, state=Outcome.State.VERIFIED)


def outcome_reject(*, outcome: Outcome, by: User) -> Outcome:
    """Staff refuse an outcome (not evidenced, not real): it never counts."""
    return _decide(outcome=outcome, by=by, state=Outcome.State.REJECTED)


def _decide(*, outcome: Outcome, by: User, state: str) -> Outcome:
    require_permission(by, "programmes.verify_outcome", outcome)
    with transaction.atomic():
        locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
        if locked.state == state:
            return locked
        locked.state = state
        locked.verified_by = by
        locked.verified_at = timezone.now()
        locked.full_clean(exclude=["organizations"])
        locked.save(update_fields=["state", "verified_by", "verified_at", "updated_at"])
    return locked


def outcomes_from_meetings(*, session: Session) -> list[Outcome]:
    """Turn the session's meeting answers that report an MoU or an agreement into outcomes
    (one per meeting, confirmed by each side that answered so). Idempotent: an answer
    already imported is skipped; run twice, it records nothing new. Returns the outcomes
    that gained a confirmation in this run."""
    answers = (
        MeetingOutcome.objects.filter(
            meeting__session=session,
            agreement_signed__in=list(AGREEMENT_KINDS),
            programme_confirmation__isnull=True,
        )
        .select_related(
            "participant__user",
            "participant__organization",
            "meeting__slot",
            "meeting__session",
            "meeting__request__sender__organization",
            "meeting__request__receiver__organization",
        )
        .order_by("pk")
    )
    touched: list[Outcome] = []
    for answer in answers:
        meeting = answer.meeting
        if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW):
            continue
        organizations = [p.organization for p in meeting_participants(meeting) if p.organization_id]
        date = source_date(meeting)
        if not organizations or date > timezone.localdate():
            continue
        kind = AGREEMENT_KINDS[answer.agreement_signed]
        names = " – ".join(o.name for o in organizations)
        title = f"{Outcome.Kind(kind).label}: {names}"[:200]
        outcome = _record(
            source=meeting,
            kind=kind,
            title=title,
            date=date,
            organizations=organizations,
            visibility=Outcome.Visibility.INTERNAL,
            description=answer.text,
            reporter=answer.participant.user,
            confirming=answer.participant.organization,
            meeting_outcome=answer,
        )
        touched.append(outcome)
    return touched
