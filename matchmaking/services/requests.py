"""Meeting requests: send, accept, decline, cancel, expire; and organisers' meetings.

Capacity is consumed when a request is accepted (a meeting slot of each participant's
limit, and, where participants pick their slot, a table in a slot). Every accept locks both
participants' rows in id order, then the slot if one is picked, and only then counts: two
accepts that would both take a participant's last meeting, or the last table of a slot,
queue on those locks and the second sees the first's meeting. The partial unique
constraints of ``matchmaking.models`` back the lock: one live request per pair, one
meeting per table and slot.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.email import send_templated
from common.links import absolute_url
from common.services import require_permission
from organizations.models import User

from ..models import Meeting, MeetingKind, MeetingRequest, Participant, Session, Slot, Table
from .scheduling.changes import agenda_change_due, agenda_change_record

Status = MeetingRequest.Status
PAIR_CONSTRAINT = "mm_request_one_live_per_pair"
TABLE_CONSTRAINT = "mm_meeting_one_per_table_and_slot"


def _now(now: dt.datetime | None) -> dt.datetime:
    """The current instant, or the one given: the demo seed replays 2016 with ``now``.
    Views and tasks never pass it."""
    return timezone.now() if now is None else now


def _lock_participants(*participants: Participant) -> dict[int, Participant]:
    """The participants as stored now, their rows locked in id order (no deadlock)."""
    ids = sorted({participant.pk for participant in participants})
    locked = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("session", "user")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    return {participant.pk: participant for participant in locked}


def _lock_slot(slot: Slot) -> Slot:
    return Slot.objects.select_for_update().get(pk=slot.pk)


def meetings_taken(participant: Participant) -> int:
    """Accepted requests of ``participant`` (each is, or will be, a meeting)."""
    return MeetingRequest.objects.filter(
        Q(sender=participant) | Q(receiver=participant), status=Status.ACCEPTED
    ).count()


def _check_limit(participant: Participant, *, me: bool) -> None:
    if meetings_taken(participant) >= participant.meeting_limit:
        if me:
            message = _("You have reached your limit of %(limit)s meetings.")
        else:
            message = _("%(name)s has reached their limit of %(limit)s meetings.")
        raise ValidationError(
            message % {"name": participant.display_name, "limit": participant.meeting_limit}
        )


def _check_slot(request: MeetingRequest, slot: Slot, table: Table | None) -> None:
    """The picked slot and table can take this meeting: right session and kind, both
    participants free and available, the table free and large enough."""
    people = (request.sender, request.receiver)
    if slot.session_id != request.session_id or (table and table.session_id != slot.session_id):
        raise ValidationError({"slot": _("Pick a slot and a table of this session.")})
    if not slot.takes(request.kind):
        raise ValidationError(
            {
                "slot": _("This slot takes no %(kind)s meetings.")
                % {"kind": request.get_kind_display()}
            }
        )
    for person in people:
        if person.unavailable_slots.filter(pk=slot.pk).exists():
            raise ValidationError(
                {"slot": _("%(name)s is not available then.") % {"name": person.display_name}}
            )
        busy = Meeting.objects.filter(slot=slot).exclude(status=Meeting.Status.CANCELLED)
        if busy.filter(Q(request__sender=person) | Q(request__receiver=person)).exists():
            raise ValidationError(
                {"slot": _("%(name)s has another meeting then.") % {"name": person.display_name}}
            )
    if table is not None:
        if table.seats < sum(person.attendees for person in people):
            raise ValidationError(
                {
                    "table": _("%(table)s has %(seats)s seats, too few for everyone attending.")
                    % {"table": table.name, "seats": table.seats}
                }
            )
        taken = Meeting.objects.filter(slot=slot, table=table).exclude(
            status=Meeting.Status.CANCELLED
        )
        if taken.exists():
            raise ValidationError(
                {"table": _("%(table)s is taken in this slot.") % {"table": table.name}}
            )


def _save_or_refuse(instance, *, constraint: str, refusal) -> None:
    """Save ``instance`` in a savepoint; the database refusing it by ``constraint`` (the
    row lock's backstop) becomes ``ValidationError(refusal)``, anything else is re-raised."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        if constraint_name(error) == constraint:
            raise ValidationError(refusal) from error
        raise


def _save_meeting(meeting: Meeting) -> Meeting:
    _save_or_refuse(
        meeting,
        constraint=TABLE_CONSTRAINT,
        refusal={"table": _("Someone took this table in this slot a moment ago. Pick another.")},
    )
    return meeting


def _accept(
    request: MeetingRequest,
    *,
    now: dt.datetime,
    slot: Slot | None,
    table: Table | None,
    by_receiver: bool,
) -> MeetingRequest:
    """Accept ``request`` (already locked with its participants): limits, slot, meeting."""
    locked = _lock_participants(request.sender, request.receiver)
    request.sender, request.receiver = locked[request.sender_id], locked[request.receiver_id]
    _check_limit(request.receiver, me=by_receiver)
    _check_limit(request.sender, me=False)
    if slot is not None:
        if not request.session.participants_pick_slot:
            raise ValidationError({"slot": _("The organisers place the meetings in slots.")})
        if table is None and request.session.tables.exists():
            raise ValidationError({"table": _("Pick a table for the meeting.")})
        slot = _lock_slot(slot)
        _check_slot(request, slot, table)
    request.status = Status.ACCEPTED
    request.responded_at = now
    request.full_clean()
    request.save()
    meeting = Meeting(
        session=request.session,
        request=request,
        slot=slot,
        table=table if slot is not None else None,
        status=Meeting.Status.SCHEDULED if slot is not None else Meeting.Status.PLANNED,
    )
    meeting.full_clean(validate_constraints=False)
    _save_meeting(meeting)
    return request


def _refuse_a_second_live_request(sender: Participant, receiver: Participant, message) -> None:
    """Refuse with ``message`` while the pair has a live request, either way round (the
    caller holds both participants' locks; the partial unique constraint backs this)."""
    live = MeetingRequest.objects.filter(
        participant_low=min(sender.pk, receiver.pk),
        participant_high=max(sender.pk, receiver.pk),
        status__in=MeetingRequest.LIVE_STATUSES,
    )
    if live.exists():
        raise ValidationError(message)


def _save_new_request(request: MeetingRequest) -> MeetingRequest:
    _save_or_refuse(
        request,
        constraint=PAIR_CONSTRAINT,
        refusal=_("There is already a request between you and this participant."),
    )
    return request


def request_send(
    *,
    sender: Participant,
    receiver: Participant,
    by: User,
    kind: str = MeetingKind.B2B,
    message: str = "",
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """``sender`` asks ``receiver`` for a meeting. Refused: to oneself, across sessions,
    outside the request phase, to a hidden profile, a second live request between the pair,
    or when the sender has reached their limit. Accepted at once if the session needs no
    acceptance."""
    require_permission(by, "matchmaking.edit_profile", sender)
    now = _now(now)
    if sender.pk == receiver.pk:
        raise ValidationError(_("You cannot send a request to yourself."))
    session = sender.session
    if receiver.session_id != session.pk:
        raise ValidationError(_("This participant takes part in another session."))
    if not session.requests_open:
        raise ValidationError(_("This session does not take requests now."))
    if not receiver.is_visible:
        raise ValidationError(_("This participant does not take requests."))
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Unknown meeting kind.")})
    with transaction.atomic():
        _lock_participants(sender, receiver)
        _refuse_a_second_live_request(
            sender, receiver, _("There is already a request between you and this participant.")
        )
        _check_limit(sender, me=True)
        request = MeetingRequest(
            session=session,
            sender=sender,
            receiver=receiver,
            kind=kind,
            message=message,
            expires_at=now + dt.timedelta(days=session.request_expiry_days),
        )
        request.full_clean(validate_constraints=False)
        _save_new_request(request)
        if not session.requests_need_acceptance:
            _accept(request, now=now, slot=None, table=None, by_receiver=False)
        from ..tasks import task_request_notify_received

        request_id = request.pk
        transaction.on_commit(lambda: task_request_notify_received.delay(request_id=request_id))
    return request


def _lock_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("session", "sender__user", "receiver__user")
        .get(pk=request.pk)
    )


def _require_pending(request: MeetingRequest, now: dt.datetime) -> None:
    if request.status == Status.PENDING and request.expires_at and request.expires_at <= now:
        raise ValidationError(_("This request has expired; it can no longer be answered."))
    if request.status != Status.PENDING:
        raise ValidationError(
            _("This request is %(status)s; it can no longer be answered.")
            % {"status": request.get_status_display().lower()}
        )


def request_accept(
    *,
    request: MeetingRequest,
    by: User,
    slot: Slot | None = None,
    table: Table | None = None,
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """The receiver accepts: a meeting is made (in ``slot`` at ``table`` if the session lets
    participants pick). Refused past either side's limit, after expiry or cancellation, or
    when the slot or table is taken."""
    require_permission(by, "matchmaking.answer_request", request)
    now = _now(now)
    with transaction.atomic():
        request = _lock_request(request)
        _require_pending(request, now)
        if not request.session.requests_open:
            raise ValidationError(_("This session does not take answers to requests now."))
        _accept(request, now=now, slot=slot, table=table, by_receiver=True)
        _notify_answered_on_commit(request)
    return request


def request_decline(
    *, request: MeetingRequest, by: User, reason: str = "", now: dt.datetime | None = None
) -> MeetingRequest:
    """The receiver declines, optionally saying why (the sender sees the reason)."""
    require_permission(by, "matchmaking.answer_request", request)
    now = _now(now)
    with transaction.atomic():
        request = _lock_request(request)
        _require_pending(request, now)
        request.status = Status.DECLINED
        request.decline_reason = reason.strip()
        request.responded_at = now
        request.full_clean()
        request.save()
        _notify_answered_on_commit(request)
    return request


def _notify_answered_on_commit(request: MeetingRequest) -> None:
    from ..tasks import task_request_notify_answered

    request_id = request.pk
    transaction.on_commit(lambda: task_request_notify_answered.delay(request_id=request_id))


def request_cancel(
    *, request: MeetingRequest, by: User, now: dt.datetime | None = None
) -> MeetingRequest:
    """Either side (or an organiser) cancels a pending or accepted request and its meeting.
    The other side is emailed after commit, once."""
    require_permission(by, "matchmaking.cancel_request", request)
    now = _now(now)
    with transaction.atomic():
        request = _lock_request(request)
        if request.status not in MeetingRequest.LIVE_STATUSES:
            raise ValidationError(
                _("This request is %(status)s already; there is nothing to cancel.")
                % {"status": request.get_status_display().lower()}
            )
        request.status = Status.CANCELLED
        request.cancelled_by = by
        request.cancelled_at = now
        request.full_clean()
        request.save()
        meeting = Meeting.objects.select_for_update().filter(request=request).first()
        if meeting is not None and agenda_change_due(meeting):
            # On a published agenda: both sides get the agenda-change email instead.
            agenda_change_record(meeting, now=now)
            meeting.status, meeting.is_locked = Meeting.Status.CANCELLED, False
            meeting.updated_at = now
            meeting.save(update_fields=["status", "is_locked", "agenda_changed_at", "updated_at"])
            return request
        Meeting.objects.filter(request=request).update(
            status=Meeting.Status.CANCELLED, is_locked=False, updated_at=now
        )
        from ..tasks import task_request_notify_cancelled

        request_id = request.pk
        transaction.on_commit(lambda: task_request_notify_cancelled.delay(request_id=request_id))
    return request


def request_notify_cancelled(*, request: MeetingRequest) -> int:
    """Email the side(s) that did not cancel, once per cancellation. Returns emails sent.
    Nothing for a meeting on a published agenda: ``meeting_notify_changed`` tells both."""
    with transaction.atomic():
        request = _lock_request(request)
        if request.status != Status.CANCELLED or request.cancelled_at is None:
            return 0
        if request.cancellation_notified_at == request.cancelled_at:
            return 0
        if Meeting.objects.filter(request=request, agenda_changed_at=request.cancelled_at).exists():
            return 0
        recipients = [
            person
            for person in (request.sender, request.receiver)
            if person.user_id != request.cancelled_by_id
        ]
        for person in recipients:
            other = request.other_side(person)
            context = {
                "request": request,
                "participant": person,
                "other": other,
                "session": request.session,
                "url": absolute_url("matchmaking:inbox", slug=request.session.slug),
            }
            _email("request_cancelled", person, context)
        request.cancellation_notified_at = request.cancelled_at
        request.save(update_fields=["cancellation_notified_at"])
    return len(recipients)


def _email(template: str, person: Participant, context: dict) -> None:
    send_templated(
        template=f"matchmaking/email/{template}", context=context, to=[person.user.email]
    )


def request_notify_received(*, request: MeetingRequest) -> int:
    """Email the receiver of a new request (or of a meeting made at once), once. Nothing if
    it was cancelled or expired before the email went. Returns emails sent."""
    with transaction.atomic():
        request = _lock_request(request)
        if request.received_notified_at is not None:
            return 0
        if request.status not in MeetingRequest.LIVE_STATUSES:
            return 0
        context = {
            "request": request,
            "participant": request.receiver,
            "other": request.sender,
            "session": request.session,
            "url": absolute_url("matchmaking:request", slug=request.session.slug, pk=request.pk),
        }
        _email("request_received", request.receiver, context)
        request.received_notified_at = timezone.now()
        request.save(update_fields=["received_notified_at"])
    return 1


def request_notify_answered(*, request: MeetingRequest) -> int:
    """Email the sender that the receiver accepted or declined (with the reason), once per
    answer. Returns emails sent."""
    with transaction.atomic():
        request = _lock_request(request)
        if request.status not in (Status.ACCEPTED, Status.DECLINED):
            return 0
        if request.responded_at is None or request.answer_notified_at == request.responded_at:
            return 0
        context = {
            "request": request,
            "participant": request.sender,
            "other": request.receiver,
            "session": request.session,
            "url": absolute_url("matchmaking:request", slug=request.session.slug, pk=request.pk),
        }
        _email(f"request_{request.status}", request.sender, context)
        request.answer_notified_at = request.responded_at
        request.save(update_fields=["answer_notified_at"])
    return 1


def requests_expire(*, now: dt.datetime | None = None) -> int:
    """Expire pending requests past their date, so they stop blocking the pair. Returns how
    many expired. Safe to run twice."""
    now = _now(now)
    with transaction.atomic():
        ids = list(
            MeetingRequest.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, expires_at__lte=now)
            .values_list("pk", flat=True)
        )
        return MeetingRequest.objects.filter(pk__in=ids, status=Status.PENDING).update(
            status=Status.EXPIRED, updated_at=now
        )


def meeting_add_for(
    *,
    session: Session,
    sender: Participant,
    receiver: Participant,
    by: User,
    kind: str = MeetingKind.B2B,
    message: str = "",
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """An organiser adds a meeting on two participants' behalf: an accepted request with
    its (unplaced) meeting, within both limits. Any phase."""
    require_permission(by, "matchmaking.manage_session", session)
    now = _now(now)
    if sender.pk == receiver.pk:
        raise ValidationError(_("A meeting needs two different participants."))
    if sender.session_id != session.pk or receiver.session_id != session.pk:
        raise ValidationError(_("Both participants must take part in this session."))
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Unknown meeting kind.")})
    with transaction.atomic():
        _lock_participants(sender, receiver)
        _refuse_a_second_live_request(
            sender, receiver, _("These two participants already have a live request.")
        )
        request = MeetingRequest(
            session=session,
            sender=sender,
            receiver=receiver,
            kind=kind,
            message=message,
            created_by_organiser=by,
        )
        request.full_clean(validate_constraints=False)
        _save_new_request(request)
        return _accept(request, now=now, slot=None, table=None, by_receiver=False)
