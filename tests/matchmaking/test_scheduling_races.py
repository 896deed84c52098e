"""Two organisers pressing "Schedule all" at once start one run; one task claim per run.
PostgreSQL only (SQLite serialises every write anyway).

The window is held open on the test side: each start waits at a barrier right after it has
checked for an active run. With the session row locked, the second start never gets there
while the first holds the lock, so the wait times out and they run one after the other.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matchmaking.models import ScheduleRun
from matchmaking.services import scheduling
from matchmaking.services.scheduling import runs
from tests.factories import make_user

from .factories import make_session, make_session_organiser


def _at_once(calls) -> list[str]:
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            call()
            outcomes.append("started")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def paused_after_check(monkeypatch):
    """Each start pauses at a barrier once it has found no active run."""
    barrier = threading.Barrier(2)
    original = ScheduleRun.full_clean

    def paused(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ScheduleRun, "full_clean", paused)


def test_two_schedule_all_at_once_start_one_run(
    postgres, transactional_db, paused_after_check, monkeypatch
):
    # The task is only queued (in memory, no worker), so the first run stays active.
    from clustermissions.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", False)
    organiser = make_session_organiser()
    session = make_session(organiser)
    second = make_user()
    session.organisers.add(second)

    outcomes = _at_once(
        [
            lambda: scheduling.schedule_run_start(session=session, by=organiser),
            lambda: scheduling.schedule_run_start(session=session, by=second),
        ]
    )

    assert ScheduleRun.objects.filter(session=session).count() == 1
    assert outcomes == [
        "A schedule is being computed already; wait for it to finish.",
        "started",
    ]


def test_a_run_is_claimed_once_by_concurrent_tasks(postgres, transactional_db, settings):
    organiser = make_session_organiser()
    session = make_session(organiser)
    run = ScheduleRun.objects.create(session=session, requested_by=organiser)
    claims: list[object] = []

    def claim() -> None:
        try:
            claims.append(runs._claim(run))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(claim is None for claim in claims) == [False, True]
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.RUNNING
