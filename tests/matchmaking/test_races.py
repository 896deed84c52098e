"""Accepting at once never over-books: a participant at their maximum, or the last table of
a slot. PostgreSQL only (SQLite serialises every write anyway).

The window lives on the test side: each accept is made to wait at a barrier right after it
has counted (meetings, or the table's occupant). With the row locks the second accept never
gets there while the first holds the lock, so the wait times out and they run one after the
other. The negative controls take the locks out and show the race happening.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matchmaking.models import Meeting, MeetingRequest, Participant, Slot
from matchmaking.services import requests as services
from matchmaking.services.sessions import session_update

from .factories import make_participant, make_session, send


def _race(monkeypatch, seam: str, accepts, met: list | None = None) -> list[str]:
    """Run ``accepts`` (two callables) at once, pausing each after ``services.<seam>``.
    ``met`` collects one entry per thread that found the other waiting at the barrier
    (both inside the window at once)."""
    barrier = threading.Barrier(2)
    original = getattr(services, seam)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
            if met is not None:
                met.append(True)
        return result

    monkeypatch.setattr(services, seam, paused)
    outcomes: list[str] = []

    def run(accept) -> None:
        try:
            result = accept()
            sent = isinstance(result, MeetingRequest) and result.status == "pending"
            outcomes.append("sent" if sent else "accepted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(accept,)) for accept in accepts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def at_limit(postgres, transactional_db, organiser):
    """Bob (limit 1) has two requests waiting, from Alice and from Carol."""
    session = make_session(organiser)
    session_update(session=session, by=organiser, max_meetings_per_participant=1)
    session.refresh_from_db()
    bob = make_participant(session, side="us")
    requests = [send(make_participant(session), bob), send(make_participant(session), bob)]
    return bob, requests


def _accepts(requests, **fields):
    return [
        lambda request=request: services.request_accept(
            request=request, by=request.receiver.user, **fields
        )
        for request in requests
    ]


def test_two_accepts_at_the_limit_one_wins(at_limit, monkeypatch):
    bob, requests = at_limit
    outcomes = _race(monkeypatch, "meetings_taken", _accepts(requests))
    assert outcomes == ["You have reached your limit of 1 meetings.", "accepted"]
    assert MeetingRequest.objects.filter(status="accepted").count() == 1
    assert Meeting.objects.count() == 1


def test_negative_control_without_the_lock_both_accepts_get_in(at_limit, monkeypatch):
    bob, requests = at_limit
    monkeypatch.setattr(
        services,
        "_lock_participants",
        lambda *people: {
            p.pk: p
            for p in Participant.objects.select_related("session", "user").filter(
                pk__in=[person.pk for person in people]
            )
        },
    )
    outcomes = _race(monkeypatch, "meetings_taken", _accepts(requests))
    assert outcomes == ["accepted", "accepted"]
    assert MeetingRequest.objects.filter(receiver=bob, status="accepted").count() == 2


@pytest.fixture
def last_table(postgres, transactional_db, organiser):
    """One table of two seats; two pending requests whose receivers will pick it."""
    session = make_session(organiser, participants_pick_slot=True, tables=1, seats=2)
    requests = [
        send(make_participant(session), make_participant(session)),
        send(make_participant(session), make_participant(session)),
    ]
    return session, requests


def test_two_accepts_into_the_last_table_one_wins(last_table, monkeypatch):
    session, requests = last_table
    slot, table = session.slots.first(), session.tables.get()
    outcomes = _race(monkeypatch, "_check_slot", _accepts(requests, slot=slot, table=table))
    # The check saw the first meeting: the lock made the second wait for it.
    assert outcomes == ["Table 1 is taken in this slot.", "accepted"]
    assert Meeting.objects.filter(slot=slot, table=table).count() == 1


def test_negative_control_without_the_slot_lock_the_constraint_refuses(last_table, monkeypatch):
    session, requests = last_table
    slot, table = session.slots.first(), session.tables.get()
    monkeypatch.setattr(services, "_lock_slot", lambda slot: Slot.objects.get(pk=slot.pk))
    outcomes = _race(monkeypatch, "_check_slot", _accepts(requests, slot=slot, table=table))
    # Both passed the check; only the database's unique constraint stopped the second.
    assert outcomes == [
        "Someone took this table in this slot a moment ago. Pick another.",
        "accepted",
    ]
    assert Meeting.objects.filter(slot=slot, table=table).count() == 1
    assert MeetingRequest.objects.filter(status="accepted").count() == 1


@pytest.fixture
def pair(postgres, transactional_db, organiser):
    session = make_session(organiser)
    return make_participant(session, side="eu"), make_participant(session, side="us")


def _sends(first, second):
    return [
        lambda: services.request_send(sender=first, receiver=second, by=first.user),
        lambda: services.request_send(sender=second, receiver=first, by=second.user),
    ]


def test_two_sends_between_a_pair_at_once_make_one_request(pair, monkeypatch):
    met: list = []
    outcomes = _race(monkeypatch, "meetings_taken", _sends(*pair), met)
    assert outcomes == ["There is already a request between you and this participant.", "sent"]
    assert met == []  # the lock kept the second send out of the window
    assert MeetingRequest.objects.count() == 1


def test_negative_control_without_the_lock_the_pair_constraint_refuses(pair, monkeypatch):
    monkeypatch.setattr(
        services,
        "_lock_participants",
        lambda *people: {
            p.pk: p for p in Participant.objects.filter(pk__in=[x.pk for x in people])
        },
    )
    met: list = []
    outcomes = _race(monkeypatch, "meetings_taken", _sends(*pair), met)
    # Both were inside the window at once; only the partial unique constraint held.
    assert met == [True, True]
    assert outcomes == ["There is already a request between you and this participant.", "sent"]
    assert MeetingRequest.objects.count() == 1
