#!/usr/bin/env python3
"""Benchmark "schedule all" and the agendas print file on a 500-participant session.

Builds a deterministic session in a fresh database (SQLite file, or PostgreSQL with
``--database-url``): two days of 30-minute slots, tables of 4 seats and group tables of 8,
N participants (some with delegations of 2-3 people, ~10% of slots unavailable), and about
``--requests-each`` accepted requests per participant (B2B and C2C; day 1 takes B2B and C2C,
day 2 B2B and C2B). Then times, end to end through the services the Celery task calls:

- ``build``: ``schedule_instance`` (the database read, queries counted);
- ``schedule``: ``schedule_run_execute`` — build, solve (``--time-limit``), apply;
- ``agendas pdf``: ``agendas_pdf`` — every participant's agenda in one PDF (pages counted).

Memory is the process's peak resident set (ru_maxrss) after each step.

    python bench/matchmaking_schedule.py [--participants 500] [--requests-each 6]
                                         [--time-limit 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_session(participants: int, requests_each: int, seed: int = 1):
    """The session, written with bulk inserts (users, profiles, requests, meetings)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from matchmaking.models import Meeting, MeetingRequest, Participant
    from matchmaking.services import sessions as session_services
    from organizations.models import User

    generator = random.Random(seed)
    admin = User.objects.create(
        email=f"bench-admin-{time.time_ns()}@example.org", is_superuser=True, is_staff=True
    )
    first = dt.date(2030, 4, 24)
    session = session_services.session_create(
        by=admin,
        title=f"Schedule benchmark {time.time_ns()}",
        time_zone="Europe/Berlin",
        phase="requests_open",
        meeting_minutes=30,
        max_meetings_per_participant=10,
        is_public=True,
        days=[
            session_services.DaySpec(
                date=first,
                start_time=dt.time(9),
                end_time=dt.time(17),
                kinds=["b2b", "c2c"],
                breaks=[(dt.time(12, 30), dt.time(13, 30))],
            ),
            session_services.DaySpec(
                date=first + dt.timedelta(days=1),
                start_time=dt.time(9),
                end_time=dt.time(17),
                kinds=["b2b", "c2b"],
                breaks=[(dt.time(12, 30), dt.time(13, 30))],
            ),
        ],
        tables=[(f"Table {n}", 4) for n in range(1, 61)]
        + [(f"Group table {n}", 8) for n in range(1, 11)],
    )
    users = User.objects.bulk_create(
        User(email=f"bench{session.pk}-{n}@example.org", full_name=f"Person {n}")
        for n in range(participants)
    )
    people = Participant.objects.bulk_create(
        Participant(
            session=session,
            user=user,
            side="eu" if n % 2 else "us",
            attendees=generator.choice((1, 1, 1, 2, 3)),
            agenda_token=f"{session.pk}-{n}",
            summary=f"Cluster {n}: a short profile summary for the agenda.",
        )
        for n, user in enumerate(users)
    )
    slots = list(session.slots.all())
    Participant.unavailable_slots.through.objects.bulk_create(
        Participant.unavailable_slots.through(participant_id=p.pk, slot_id=s.pk)
        for p in people
        for s in slots
        if generator.random() < 0.1
    )
    pairs = set()
    target = participants * requests_each // 2
    while len(pairs) < target:
        a, b = generator.sample(range(participants), 2)
        if people[a].side != people[b].side:
            pairs.add((min(a, b), max(a, b)))
    requests = MeetingRequest.objects.bulk_create(
        MeetingRequest(
            session=session,
            sender=people[a],
            receiver=people[b],
            participant_low=people[a],
            participant_high=people[b],
            kind=generator.choice(("b2b", "b2b", "c2c", "c2b")),
            status="accepted",
        )
        for a, b in sorted(pairs)
    )
    Meeting.objects.bulk_create(
        Meeting(session=session, request=r, weight=generator.randint(1, 3)) for r in requests
    )
    return session, len(slots), len(requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--requests-each", type=int, default=6)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--no-pdf", action="store_true")
    arguments = parser.parse_args()

    print("$ " + shlex.join([sys.executable, *sys.argv]))
    print(f"# load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as directory:
        os.environ["DATABASE_URL"] = arguments.database_url or f"sqlite:///{directory}/bench.db"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustermissions.settings.base")
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from matchmaking.models import ScheduleRun
        from matchmaking.services.agendas import agendas_pdf
        from matchmaking.services.scheduling import schedule_instance, schedule_run_execute

        started = time.perf_counter()
        session, slots, requests = build_session(arguments.participants, arguments.requests_each)
        print(
            f"# {arguments.participants} participants, {requests} accepted requests, {slots} slots,"
            f" 70 tables; database built in {time.perf_counter() - started:.1f} s"
            f" ({connection.vendor})"
        )
        header = f"{'what':<12} {'seconds':>8} {'peak MB':>8}  note"
        print(header)
        print("-" * len(header))

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            built = schedule_instance(session)
            seconds = time.perf_counter() - started
        print(
            f"{'build':<12} {seconds:>8.2f} {peak_mb():>8.0f}  {len(queries)} queries, "
            f"{len(built.instance.requests)} requests in the instance"
        )

        run = ScheduleRun.objects.create(session=session)
        started = time.perf_counter()
        run = schedule_run_execute(run=run, time_limit=arguments.time_limit)
        seconds = time.perf_counter() - started
        print(
            f"{'schedule':<12} {seconds:>8.2f} {peak_mb():>8.0f}  {run.status}: weight {run.weight}"
            f" / bound {run.bound} = {run.ratio:.4f}, {len(run.unplaced)} left out"
            f" (solver limit {arguments.time_limit:g} s)"
        )

        if not arguments.no_pdf:
            started = time.perf_counter()
            pdf = agendas_pdf(session)
            seconds = time.perf_counter() - started
            print(
                f"{'agendas pdf':<12} {seconds:>8.2f} {peak_mb():>8.0f}  {pdf.pages} pages, "
                f"{len(pdf.content) / 1e6:.1f} MB file"
            )
        connection.close()
    print(f"# load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
