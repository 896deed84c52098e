"""The matchmaking demo: Hannover Messe 2016 scheduled and published, a live session open."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from matchmaking import demo
from matchmaking.models import Meeting, MeetingRequest, Participant, Session
from missions import live_demo
from organizations import demo as organizations_demo


def _meetings_of(email: str, session: Session):
    return Meeting.objects.filter(
        Q(request__sender__user__email=email) | Q(request__receiver__user__email=email),
        session=session,
        status=Meeting.Status.SCHEDULED,
        published_at__isnull=False,
    )


def test_demo_seed_builds_hannover_and_a_live_session_once(db):
    organizations_demo.seed()
    live_demo.seed()
    first = demo.seed()
    again = demo.seed()
    hannover, live = first["hannover"], first["live"]
    assert (again["hannover"].pk, again["live"].pk) == (hannover.pk, live.pk)
    assert Session.objects.count() == 2

    assert hannover.phase == Session.Phase.AGENDAS_PUBLISHED
    assert [d.date for d in hannover.days.all()] == [dt.date(2016, 4, 25), dt.date(2016, 4, 26)]
    assert [d.kinds for d in hannover.days.all()] == [["c2c"], ["c2b"]]
    participants = Participant.objects.filter(session=hannover)
    assert participants.count() == 75
    assert {p.side for p in participants} == {"eu", "us"}
    assert hannover.organisers.filter(email="organiser@example.org").exists()
    for email, side in (("manager@example.org", "eu"), ("applicant@example.org", "us")):
        assert participants.get(user__email=email).side == side
        assert _meetings_of(email, hannover).count() >= 3
    run = hannover.schedule_runs.get()
    assert run.status == "done"
    placed = Meeting.objects.filter(session=hannover, slot__isnull=False)
    assert all(m.slot.takes(m.request.kind) for m in placed.select_related("slot", "request"))

    assert live.phase == Session.Phase.REQUESTS_OPEN
    assert live.slots.first().starts_at.date() > dt.date.today()
    pending = MeetingRequest.objects.get(
        session=live,
        sender__user__email="applicant@example.org",
        receiver__user__email="manager@example.org",
    )
    assert pending.status == MeetingRequest.Status.PENDING

    # A newcomer joins the live session, asks the manager, and the manager accepts.
    from matchmaking.services.participants import participant_create
    from matchmaking.services.requests import request_accept, request_send
    from organizations.models import User
    from tests.factories import make_user

    newcomer = make_user("newcomer@test.example.org")
    profile = participant_create(session=live, user=newcomer, by=newcomer, side="us")
    manager = Participant.objects.get(session=live, user__email="manager@example.org")
    request = request_send(sender=profile, receiver=manager, by=newcomer, kind="b2b")
    manager_user = User.objects.get(email="manager@example.org")
    assert request_accept(request=request, by=manager_user).status == "accepted"
