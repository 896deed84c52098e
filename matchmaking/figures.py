"""A session's figures: requests, meetings, outcomes. For the organisers' dashboard and for
the reports (``session_figures``), each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Q

from .models import Meeting, MeetingKind, MeetingOutcome, MeetingRequest, Session

Status = MeetingRequest.Status


def session_figures(session: Session) -> dict:
    """The outcome figures of ``session`` (4 queries)::

        {"participants", "requested", "accepted", "declined", "expired", "cancelled",
         "meetings_scheduled", "meetings_held", "no_shows",
         "by_kind": {"b2b": {"requested", "held"}, ...},
         "outcomes_recorded", "follow_ups_planned", "mous", "agreements",
         "average_rating"}

    "requested" counts every request sent; "accepted" those accepted (whatever became of
    their meeting); a meeting counts as scheduled while it has a slot and was not cancelled.
    """
    participants = session.participants.count()
    requests = MeetingRequest.objects.filter(session=session).aggregate(
        requested=Count("pk"),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        expired=Count("pk", filter=Q(status=Status.EXPIRED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
    )
    by_kind = {kind: {"requested": 0, "held": 0} for kind in MeetingKind.values}
    meetings = defaultdict(int)
    rows = (
        MeetingRequest.objects.filter(session=session)
        .values("kind", "meeting__status")
        .annotate(count=Count("pk"), placed=Count("meeting__slot"))
        .order_by()
    )
    for row in rows:
        count, status = row["count"], row["meeting__status"]
        by_kind[row["kind"]]["requested"] += count
        if status == Meeting.Status.HELD:
            by_kind[row["kind"]]["held"] += count
        if status is not None:
            meetings[status] += count
            if status != Meeting.Status.CANCELLED:
                meetings["placed"] += row["placed"]
    outcomes = MeetingOutcome.objects.filter(meeting__session=session).aggregate(
        recorded=Count("pk"),
        follow_ups=Count("pk", filter=Q(follow_up_planned=True)),
        mous=Count("pk", filter=Q(agreement_signed=MeetingOutcome.Agreement.MOU)),
        agreements=Count("pk", filter=Q(agreement_signed=MeetingOutcome.Agreement.AGREEMENT)),
        average=Avg("rating"),
    )
    return {
        "participants": participants,
        **{key: requests[key] for key in ("requested", "accepted", "declined", "expired")},
        "cancelled": requests["cancelled"],
        "meetings_scheduled": meetings["placed"],
        "meetings_held": meetings[Meeting.Status.HELD],
        "no_shows": meetings[Meeting.Status.NO_SHOW],
        "by_kind": by_kind,
        "outcomes_recorded": outcomes["recorded"],
        "follow_ups_planned": outcomes["follow_ups"],
        "mous": outcomes["mous"],
        "agreements": outcomes["agreements"],
        "average_rating": None if outcomes["average"] is None else round(outcomes["average"], 2),
    }


def tables_in_use(session: Session) -> list[dict]:
    """Per slot: how many tables are taken, of how many (1 query + the slots)."""
    total = session.tables.count()
    slots = (
        session.slots.select_related("session")
        .annotate(
            used=Count(
                "meetings",
                filter=Q(meetings__table__isnull=False)
                & ~Q(meetings__status=Meeting.Status.CANCELLED),
            )
        )
        .order_by("starts_at")
    )
    return [{"slot": slot, "used": slot.used, "total": total} for slot in slots]


def session_dashboard(session: Session) -> dict:
    """What the organisers' dashboard shows."""
    return {"figures": session_figures(session), "tables_in_use": tables_in_use(session)}
