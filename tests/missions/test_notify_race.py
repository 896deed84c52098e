"""Two workers taking the same change at once: the row lock lets one of them send."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from missions import services
from missions.models import ChangeLogEntry

from ..conftest import require
from .factories import make_day, make_mission, make_visit

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def before_the_mission():
    """These missions are dated November 2018, and nothing is sent about a mission that has
    ended: the clock is set to October 2018 (and keeps ticking)."""
    import time_machine

    with time_machine.travel("2018-10-01 12:00 +0000", tick=True):
        yield


def test_change_notify_concurrent_runs_send_once(
    transactional_db, organiser, host_org, host_contact, us_org
):
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    from ..factories import make_user

    mission = make_mission(organiser)
    day = make_day(organiser, mission, "2018-11-06")
    visit = make_visit(organiser, day, [host_org], "14:00", "16:00")
    for number in range(3):
        person = make_user(f"d{number}@test.example.org")
        services.delegation_member_add(
            mission=mission, by=organiser, user=person, organization=us_org
        )
    services.mission_publish(mission=mission, by=organiser)
    # Written directly rather than by a service, so that no task is enqueued: the two
    # threads below are the only ones to take it.
    entry = ChangeLogEntry.objects.create(
        mission=mission, item=visit, action="item_changed", summary="Moved", notify=True
    )
    entry.affected_hosts.set([host_org])
    mail.outbox.clear()

    barrier = threading.Barrier(2)
    results: list[int] = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.change_notify(entry=entry))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [0, 4]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "d0@test.example.org",
        "d1@test.example.org",
        "d2@test.example.org",
        "host@test.example.org",
    ]
