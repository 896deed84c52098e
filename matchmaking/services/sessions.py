"""Sessions, their days, slots and tables: created and changed by organisers.

Slots are generated from a day's window, the meeting length and the breaks, in the venue's
wall clock, and stored as UTC instants. Organisers may add or remove single slots after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.email import send_templated
from common.links import absolute_url
from common.services import require_permission
from common.slugs import unique_slug
from missions.events.models import Registration
from missions.timezones import wall_time_to_utc
from organizations.models import User

from ..models import MeetingKind, Participant, Session, SessionDay, SessionInvitation, Slot, Table

# Paths under /matchmaking/ that a session's slug must not shadow.
RESERVED_SLUGS = {"new", "mine"}

SESSION_FIELDS = (
    "title",
    "description",
    "mission",
    "event",
    "time_zone",
    "meeting_minutes",
    "phase",
    "requests_need_acceptance",
    "request_expiry_days",
    "max_meetings_per_participant",
    "participants_pick_slot",
    "is_public",
)


@dataclass(frozen=True)
class DaySpec:
    """A day to create: its window and breaks in the venue's wall clock."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time
    kinds: Sequence[str] = ()
    breaks: Sequence[tuple[dt.time, dt.time]] = field(default_factory=tuple)


def _check_kinds(kinds: Iterable[str], *, field_name: str = "kinds") -> list[str]:
    kinds = list(dict.fromkeys(kinds))
    unknown = [kind for kind in kinds if kind not in MeetingKind.values]
    if unknown:
        raise ValidationError(
            {field_name: _("Unknown meeting kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    return kinds


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def slot_windows(
    *,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    minutes: int,
    breaks: Iterable[tuple[dt.time, dt.time]],
    zone: str,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of one day as (start, end) UTC instants: back to back from ``start_time``,
    each ``minutes`` long, none crossing a break or ending after ``end_time``. A slot that
    would overlap a break starts again at the break's end."""
    breaks = sorted(breaks)
    cursor = dt.datetime.combine(date, start_time)
    end = dt.datetime.combine(date, end_time)
    length = dt.timedelta(minutes=minutes)
    windows = []
    while cursor + length <= end:
        slot_end = cursor + length
        overlapping = [
            (dt.datetime.combine(date, b_start), dt.datetime.combine(date, b_end))
            for b_start, b_end in breaks
            if dt.datetime.combine(date, b_start) < slot_end
            and dt.datetime.combine(date, b_end) > cursor
        ]
        if overlapping:
            cursor = max(b_end for _b_start, b_end in overlapping)
            continue
        windows.append(
            (
                wall_time_to_utc(cursor, zone, field="start_time"),
                wall_time_to_utc(slot_end, zone, field="end_time"),
            )
        )
        cursor = slot_end
    return windows


def _breaks_json(breaks: Iterable[tuple[dt.time, dt.time]]) -> list[dict]:
    result = []
    for start, end in breaks:
        if end <= start:
            raise ValidationError({"breaks": _("A break ends after it starts.")})
        result.append({"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    return result


def _breaks_from_json(day: SessionDay) -> list[tuple[dt.time, dt.time]]:
    return [
        (dt.time.fromisoformat(item["start"]), dt.time.fromisoformat(item["end"]))
        for item in day.breaks
    ]


def _day_create(session: Session, spec: DaySpec) -> SessionDay:
    day = SessionDay(
        session=session,
        date=spec.date,
        start_time=spec.start_time,
        end_time=spec.end_time,
        kinds=_check_kinds(spec.kinds),
        breaks=_breaks_json(spec.breaks),
    )
    day.full_clean()
    day.save()
    _slots_generate(day)
    return day


def _slots_generate(day: SessionDay) -> int:
    session = day.session
    windows = slot_windows(
        date=day.date,
        start_time=day.start_time,
        end_time=day.end_time,
        minutes=session.meeting_minutes,
        breaks=_breaks_from_json(day),
        zone=session.time_zone,
    )
    if not windows:
        raise ValidationError(
            {"end_time": _("The day's window is too short for one meeting of the set length.")}
        )
    Slot.objects.bulk_create(
        Slot(session=session, day=day, starts_at=start, ends_at=end, kinds=list(day.kinds))
        for start, end in windows
    )
    return len(windows)


def session_create(
    *,
    by: User,
    title: str,
    time_zone: str,
    days: Iterable[DaySpec] = (),
    tables: Iterable[tuple[str, int]] = (),
    **settings,
) -> Session:
    """A new session organised by ``by``, with its days (slots generated) and tables.

    Organisers only. ``settings`` are any of ``SESSION_FIELDS``.
    """
    require_permission(by, "matchmaking.create_session")
    unknown = set(settings) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        session = Session(title=title, time_zone=time_zone, **settings)
        session.slug = unique_slug(Session.objects.all(), title, reserved=RESERVED_SLUGS)
        session.full_clean()
        session.save()
        session.organisers.add(by)
        for spec in days:
            _day_create(session, spec)
        for name, seats in tables:
            _table_create(session, name=name, seats=seats)
        _invite_when_open(session)
    return session


def session_update(*, session: Session, by: User, **changes) -> Session:
    """Change a session's settings. The meeting length and zone are fixed once slots exist,
    because the slots were cut from them."""
    require_permission(by, "matchmaking.manage_session", session)
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        session = _lock_session(session)
        has_slots = session.slots.exists()
        for name in ("meeting_minutes", "time_zone"):
            if name in changes and changes[name] != getattr(session, name) and has_slots:
                raise ValidationError(
                    {name: _("Remove the days first: the slots were cut with the old value.")}
                )
        for name, value in changes.items():
            setattr(session, name, value)
        session.full_clean()
        session.save()
        _invite_when_open(session)
    return session


def session_organiser_add(*, session: Session, user: User, by: User) -> None:
    require_permission(by, "matchmaking.manage_session", session)
    session.organisers.add(user)


def day_add(*, session: Session, by: User, spec: DaySpec) -> SessionDay:
    """Add a day and generate its slots."""
    require_permission(by, "matchmaking.manage_session", session)
    with transaction.atomic():
        session = _lock_session(session)
        if session.days.filter(date=spec.date).exists():
            raise ValidationError({"date": _("The session already has this day.")})
        return _day_create(session, spec)


def day_delete(*, day: SessionDay, by: User) -> None:
    """Remove a day with its slots; refused once a meeting is placed in one of them."""
    require_permission(by, "matchmaking.manage_session", day.session)
    with transaction.atomic():
        _lock_session(day.session)
        if day.slots.filter(meetings__isnull=False).exclude(meetings__status="cancelled").exists():
            raise ValidationError(_("Meetings are placed on this day; move them first."))
        day.delete()


def slot_add(
    *, session: Session, by: User, starts_at: dt.datetime, kinds: Iterable[str] = ()
) -> Slot:
    """Add one slot of the session's meeting length (an organiser's edit)."""
    require_permission(by, "matchmaking.manage_session", session)
    if starts_at.tzinfo is None:
        raise ValidationError({"starts_at": _("A slot's start must say its time zone.")})
    with transaction.atomic():
        session = _lock_session(session)
        ends_at = starts_at + dt.timedelta(minutes=session.meeting_minutes)
        if session.slots.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise ValidationError({"starts_at": _("This slot overlaps another slot.")})
        day = session.days.filter(date=starts_at.astimezone(session.tz).date()).first()
        slot = Slot(
            session=session,
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
            kinds=_check_kinds(kinds),
        )
        slot.full_clean()
        slot.save()
    return slot


def slot_delete(*, slot: Slot, by: User) -> None:
    require_permission(by, "matchmaking.manage_session", slot.session)
    with transaction.atomic():
        _lock_session(slot.session)
        if slot.meetings.exclude(status="cancelled").exists():
            raise ValidationError(_("Meetings are placed in this slot; move them first."))
        slot.delete()


def _table_create(session: Session, *, name: str, seats: int) -> Table:
    if session.tables.filter(name=name).exists():
        raise ValidationError({"name": _("The session already has a table with this name.")})
    table = Table(session=session, name=name, seats=seats)
    table.full_clean()
    table.save()
    return table


def table_add(*, session: Session, by: User, name: str, seats: int) -> Table:
    require_permission(by, "matchmaking.manage_session", session)
    with transaction.atomic():
        return _table_create(_lock_session(session), name=name, seats=seats)


def tables_add(*, session: Session, by: User, count: int, prefix: str, seats: int) -> list[Table]:
    """Add ``count`` tables named "<prefix> 1", "<prefix> 2"… after the existing ones."""
    require_permission(by, "matchmaking.manage_session", session)
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("Add between 1 and 500 tables at once.")})
    with transaction.atomic():
        session = _lock_session(session)
        names = set(session.tables.values_list("name", flat=True))
        made, number = [], 0
        while len(made) < count:
            number += 1
            name = f"{prefix} {number}".strip()
            if name not in names:
                made.append(_table_create(session, name=name, seats=seats))
    return made


def table_delete(*, table: Table, by: User) -> None:
    require_permission(by, "matchmaking.manage_session", table.session)
    with transaction.atomic():
        _lock_session(table.session)
        if table.meetings.exclude(status="cancelled").exists():
            raise ValidationError(_("Meetings are placed at this table; move them first."))
        table.delete()


def session_phase_set(*, session: Session, phase: str, by: User) -> Session:
    """Move the session to another phase (any order: an organiser may reopen requests)."""
    require_permission(by, "matchmaking.manage_session", session)
    if phase not in Session.Phase.values:
        raise ValidationError({"phase": _("Unknown phase.")})
    with transaction.atomic():
        session = _lock_session(session)
        session.phase = phase
        session.full_clean()
        session.save(update_fields=["phase", "updated_at"])
        _invite_when_open(session)
    return session


def _invite_when_open(session: Session) -> None:
    """Once profiles are open, invite the event's registrants (after commit)."""
    if not (session.profiles_open and session.event_id):
        return
    from ..tasks import task_session_invite_registrants

    session_id = session.pk
    transaction.on_commit(lambda: task_session_invite_registrants.delay(session_id=session_id))


def session_invite_registrants(*, session: Session, now: dt.datetime | None = None) -> int:
    """Email each registrant of the session's event who asked for matchmaking, has no
    profile yet and was not invited before: one email per person and session, ever (the
    invitation row is written under the session lock in the same transaction). Returns
    the emails sent. Called by the task; safe to run twice."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        # Only the session row: the event is a nullable join PostgreSQL cannot lock.
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=session.pk)
        )
        if not (session.profiles_open and session.event_id):
            return 0
        registrations = (
            Registration.objects.filter(event=session.event, wants_matchmaking=True)
            .exclude(status__in=(Registration.Status.CANCELLED, Registration.Status.REJECTED))
            .exclude(user__in=Participant.objects.filter(session=session).values("user"))
            .exclude(user__in=SessionInvitation.objects.filter(session=session).values("user"))
            .select_related("user")
            .order_by("pk")
        )
        for registration in registrations:
            user = registration.user
            context = {
                "session": session,
                "event": session.event,
                "user": user,
                "url": absolute_url("matchmaking:profile", slug=session.slug),
            }
            SessionInvitation.objects.create(session=session, user=user, sent_at=now)
            send_templated(
                template="matchmaking/email/invitation", context=context, to=[user.email]
            )
            sent += 1
    return sent
