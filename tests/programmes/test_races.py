"""Both sides of a meeting report the same MoU at the same moment: still one outcome with two
confirmations, because each report locks its source row before looking for a duplicate.

PostgreSQL only (SQLite serialises every write anyway). The window is opened on the test
side: the duplicate search is made to pause until the other report arrives. The negative
control removes the lock and shows two outcomes.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from programmes.models import Outcome, OutcomeConfirmation
from programmes.services import outcomes as outcome_services


def _race(world, monkeypatch) -> None:
    barrier = threading.Barrier(2)
    original = outcome_services._find_duplicate

    def paused_find_duplicate(**kwargs):
        found = original(**kwargs)
        # With the lock, the other report is still waiting for it: the wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return found

    monkeypatch.setattr(outcome_services, "_find_duplicate", paused_find_duplicate)
    errors: list[Exception] = []

    def report(user) -> None:
        try:
            outcome_services.outcome_report(
                by=user,
                source=world.meeting,
                kind=Outcome.Kind.MOU,
                title="MoU",
                date=world.meeting.slot.starts_at.date(),
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=report, args=(user,))
        for user in (world.partner_manager, world.us_manager)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


@pytest.fixture
def race_world(postgres, transactional_db, world):
    return world


def test_same_mou_reported_at_once_by_both_sides_is_one_outcome(race_world, monkeypatch):
    _race(race_world, monkeypatch)
    assert Outcome.objects.count() == 1
    assert OutcomeConfirmation.objects.count() == 2


def test_negative_control_without_the_lock_two_outcomes(race_world, monkeypatch):
    monkeypatch.setattr(outcome_services, "_lock_source", lambda source: None)
    _race(race_world, monkeypatch)
    assert Outcome.objects.count() == 2
