"""The Hannover Messe 2016 demo is scheduled by the solver and published."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q

from matchmaking.demo import HANNOVER_TITLE
from matchmaking.models import Meeting, ScheduleRun, Session
from matchmaking.scheduling.check import schedule_violations
from matchmaking.scheduling.model import Meeting as PlacedMeeting
from matchmaking.scheduling.model import Schedule
from matchmaking.services.scheduling import schedule_instance

pytestmark = pytest.mark.django_db


def test_hannover_demo_schedule_is_published_and_feasible(settings):
    settings.MATCHMAKING_SCHEDULE_SECONDS = 5
    call_command("seed_demo", stdout=StringIO())

    session = Session.objects.get(title=HANNOVER_TITLE)
    assert session.phase == Session.Phase.AGENDAS_PUBLISHED
    run = session.schedule_runs.get()
    assert run.status == ScheduleRun.Status.DONE and run.ratio >= 0.99
    published = Meeting.objects.filter(session=session, published_at__isnull=False)
    for email in ("manager@example.org", "applicant@example.org"):
        mine = published.filter(
            Q(request__sender__user__email=email) | Q(request__receiver__user__email=email)
        )
        assert mine.count() >= 3, email
    built = schedule_instance(session, allow_moves=True)
    number = {table.pk: index for index, table in enumerate(built.tables, start=1)}
    schedule = Schedule(
        meetings=tuple(
            PlacedMeeting(f"r{m.request_id}", f"s{m.slot_id}", number[m.table_id])
            for m in published
        )
    )
    assert schedule_violations(built.instance, schedule) == []
