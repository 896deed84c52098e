"""Two organisers pressing "Schedule all" at once start one run; one task claim per run.
PostgreSQL only (SQLite serialises every write anyway).

The window is held open on the test side: each start waits at a barrier right after it has
checked for an active run (each claim, right after it has read the run). With the row
locked, the second never gets there while the first holds the lock, so the wait times out
and they run one after the other. The negative controls send the services' ``SELECT … FOR
UPDATE`` without ``FOR UPDATE`` (``connection.execute_wrapper``, as
``tests/missions/events/test_race.py`` does): both writers are then inside the window at
once and the bad outcome happens (two runs, two claims), so the real tests can fail.
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


class WithoutLock:
    """Send the ``SELECT … FOR UPDATE`` of ``table`` without ``FOR UPDATE``: the service as
    it would be without its row lock. Counts what it stripped (so a control knows it took
    the lock out, and did not pass because the SQL changed shape)."""

    def __init__(self, table: str):
        self.table = table
        self.stripped = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT") and f'FROM "{self.table}"' in sql:
            unlocked = sql.removesuffix(" FOR UPDATE")
            if unlocked != sql:
                with self._lock:
                    self.stripped += 1
                sql = unlocked
        return execute(sql, params, many, context)


def _at_once(calls, wrapper=None) -> list[str]:
    """Run ``calls`` in threads, each on its own connection (with ``wrapper`` around every
    query when given)."""
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            with connection.execute_wrapper(wrapper) if wrapper else contextlib.nullcontext():
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
def paused_after_check(monkeypatch) -> list:
    """Each start pauses at a barrier once it has found no active run. Returns a list with
    one entry per start that found the other waiting there (both inside the window)."""
    barrier = threading.Barrier(2)
    original = ScheduleRun.full_clean
    met: list = []

    def paused(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
            met.append(True)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ScheduleRun, "full_clean", paused)
    return met


@pytest.fixture
def two_organisers(postgres, transactional_db, monkeypatch):
    """A session with two organisers; tasks only queued (in memory, no worker), so a
    started run stays active."""
    from clustermissions.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", False)
    organiser = make_session_organiser()
    session = make_session(organiser)
    second = make_user()
    session.organisers.add(second)
    return session, [
        lambda: scheduling.schedule_run_start(session=session, by=organiser),
        lambda: scheduling.schedule_run_start(session=session, by=second),
    ]


def test_two_schedule_all_at_once_start_one_run(two_organisers, paused_after_check):
    session, starts = two_organisers

    outcomes = _at_once(starts)

    assert paused_after_check == []  # the lock kept the second start out of the window
    assert ScheduleRun.objects.filter(session=session).count() == 1
    assert outcomes == [
        "A schedule is being computed already; wait for it to finish.",
        "started",
    ]


def test_negative_control_without_the_session_lock_two_runs_start(
    two_organisers, paused_after_check
):
    session, starts = two_organisers
    without_lock = WithoutLock("matchmaking_session")

    outcomes = _at_once(starts, without_lock)

    # Both checked for an active run before either wrote one: two runs of one session.
    assert without_lock.stripped == 2
    assert paused_after_check == [True, True]
    assert outcomes == ["started", "started"]
    assert ScheduleRun.objects.filter(session=session).count() == 2


class PausedAfterRead:
    """Pause each claim at a barrier right after it has read the run (its status), and
    record the claims that found the other waiting there (both inside the window)."""

    def __init__(self):
        self.barrier = threading.Barrier(2)
        self.met: list = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT") and 'FROM "matchmaking_schedulerun"' in sql:
            with contextlib.suppress(threading.BrokenBarrierError):
                self.barrier.wait(timeout=2)
                self.met.append(True)
        return result


def _claim_at_once(run, wrappers) -> list:
    claims: list[object] = []

    def claim() -> None:
        try:
            with contextlib.ExitStack() as stack:
                for wrapper in wrappers:
                    stack.enter_context(connection.execute_wrapper(wrapper))
                claims.append(runs._claim(run))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return claims


@pytest.fixture
def queued_run(postgres, transactional_db):
    organiser = make_session_organiser()
    session = make_session(organiser)
    return ScheduleRun.objects.create(session=session, requested_by=organiser)


def test_a_run_is_claimed_once_by_concurrent_tasks(queued_run):
    window = PausedAfterRead()

    claims = _claim_at_once(queued_run, [window])

    assert window.met == []  # the second read waited for the first claim's commit
    assert sorted(claim is None for claim in claims) == [False, True]
    queued_run.refresh_from_db()
    assert queued_run.status == ScheduleRun.Status.RUNNING


def test_negative_control_without_the_run_lock_both_tasks_claim(queued_run):
    # The window wraps the unlocked query: the lock is stripped first, then the pause.
    window, without_lock = PausedAfterRead(), WithoutLock("matchmaking_schedulerun")

    claims = _claim_at_once(queued_run, [window, without_lock])

    # Both read "queued" before either wrote "running": the run would be computed twice.
    assert without_lock.stripped == 2
    assert window.met == [True, True]
    assert [claim is None for claim in claims] == [False, False]
