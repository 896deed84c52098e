#!/usr/bin/env python3
"""Benchmark the print documents: pages, seconds and peak memory for each.

Builds a fresh database (SQLite file, or PostgreSQL with ``--database-url``), loads the
demo (``seed_demo``), adds a mission ten times the 2018 one (10 days, 200 visits,
120 delegates from 120 organisations) through the missions services, then renders:

- the 2018 mission report (target: under 3 s),
- the 2018 delegation booklet (target: under 5 s),
- the large mission's report (target: under 15 s and 1 GB).

Each document is rendered through ``reports.services.jobs.report_render`` (gathering the
data, the HTML, the charts and the PDF, writing the file) in a forked child process, so
its peak resident memory (``ru_maxrss``) is that render's own and WeasyPrint is already
imported and warmed up by one small document, as in a running worker. The time that takes
once per worker is shown apart. Times are the best of ``--repeat`` runs.

    python bench/reports.py [--repeat 2] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import shlex
import sys
import tempfile
import time
import zoneinfo
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"2018 mission report": 3.0, "2018 delegation booklet": 5.0, "large mission report": 15.0}
MEMORY_LIMIT_MB = 1024


def build_large_mission():
    """10 days, 20 visits a day (200 hosts), 120 delegates from 120 organisations."""
    from missions import services
    from missions.models import DelegationMember, ItineraryItem, Mission
    from organizations.models import Organization, Sector, User
    from organizations.services import organization_create, user_create

    organiser = User.objects.get(email="organiser@example.org")
    sectors = list(Sector.objects.order_by("name")[:5])
    mission = services.mission_create(
        by=organiser,
        title="A mission ten times larger",
        direction=Mission.Direction.US_TO_EU,
        start_date=dt.date(2019, 5, 6),
        end_date=dt.date(2019, 5, 15),
        countries=["DK", "SE", "BE", "NL", "DE", "FR"],
        summary="Ten days, two hundred visits, a hundred and twenty delegates.",
        time_zone="Europe/Brussels",
        sectors=sectors,
    )
    cities = [
        ("Copenhagen", "DK", 55.676, 12.568),
        ("Malmö", "SE", 55.605, 13.003),
        ("Antwerp", "BE", 51.219, 4.402),
        ("Rotterdam", "NL", 51.922, 4.479),
        ("Hamburg", "DE", 53.551, 9.993),
        ("Lille", "FR", 50.629, 3.057),
    ]
    zone = zoneinfo.ZoneInfo("Europe/Brussels")
    for day_number in range(10):
        date = mission.start_date + dt.timedelta(days=day_number)
        day = services.day_create(
            mission=mission, by=organiser, date=date, title=f"Day {day_number + 1}"
        )
        city, country, latitude, longitude = cities[day_number % len(cities)]
        for visit_number in range(20):
            host = organization_create(
                by=None,
                validated=True,
                sectors=sectors[:2],
                name=f"Host organisation {day_number + 1}-{visit_number + 1}",
                kind=Organization.Kind.CLUSTER,
                country=country,
                city=city,
                description="A host organisation of the benchmark mission.",
            )
            start = dt.datetime.combine(date, dt.time(8, 0), tzinfo=zone) + dt.timedelta(
                minutes=30 * visit_number
            )
            services.item_create(
                day=day,
                by=organiser,
                kind=ItineraryItem.Kind.VISIT,
                hosts=[host],
                title=f"Visit {visit_number + 1} of day {day_number + 1}",
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=25),
                time_zone="Europe/Brussels",
                city=city,
                latitude=Decimal(str(latitude)) + Decimal(visit_number) / 1000,
                longitude=Decimal(str(longitude)),
                visit_status=ItineraryItem.VisitStatus.CONFIRMED,
                topic="Clean energy and smart cities",
            )
    states = ["Texas", "Ohio", "Colorado", "California", "New York", "Washington"]
    for number in range(120):
        organization = organization_create(
            by=None,
            validated=True,
            sectors=sectors[1:3],
            name=f"US organisation {number + 1}",
            kind=Organization.Kind.CLUSTER,
            country="US",
            region=states[number % len(states)],
            city="Austin",
        )
        user = user_create(
            email=f"bench.delegate{number + 1}@example.org",
            password=None,
            full_name=f"Bench Delegate {number + 1}",
        )
        services.delegation_member_add(
            mission=mission,
            by=organiser,
            user=user,
            organization=organization,
            role=DelegationMember.Role.HEAD if number == 0 else DelegationMember.Role.MEMBER,
        )
    return mission


def _render_in_child(kind: str, target_model: str, target_pk: int, run: int, queue) -> None:
    from django.apps import apps
    from django.db import connection

    connection.close()  # the parent's connection is not ours to use
    from reports.models import ReportJob
    from reports.services.jobs import report_render

    target = apps.get_model(target_model).objects.get(pk=target_pk)
    # Each run renders anew: the previous run's file of the same data would be reused.
    ReportJob.objects.filter(kind=kind, target_key=ReportJob.key_for(target)).delete()
    job = ReportJob.objects.create(
        kind=kind,
        mission=target,
        target_key=ReportJob.key_for(target),
        fingerprint=f"bench-{run}-{time.time_ns()}",
    )
    started = time.perf_counter()
    cpu_started = time.process_time()
    job = report_render(job=job)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((job.status, job.pages, seconds, peak_mb, job.error, cpu_seconds))


def measure(kind, target, repeat: int):
    from django.db import connection

    context = multiprocessing.get_context("fork")
    results = []
    for run in range(repeat):
        connection.close()
        queue = context.Queue()
        child = context.Process(
            target=_render_in_child, args=(kind, target._meta.label, target.pk, run, queue)
        )
        child.start()
        result = queue.get(timeout=600)
        child.join()
        if result[0] != "done":
            raise SystemExit(f"{kind} failed: {result[4]}")
        results.append(result)
    best = min(results, key=lambda r: r[2])
    return best[1], best[2], min(r[5] for r in results), max(r[3] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ["DATABASE_URL"] = arguments.database_url or f"sqlite:///{directory}/bench.db"
        os.environ.pop("REDIS_URL", None)  # render in this process, never through a broker
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustermissions.settings.test")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.PRIVATE_MEDIA_ROOT = Path(directory) / "private"
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", stdout=StringIO())
        from missions.models import Mission

        started = time.perf_counter()
        from common.pdf import render_pdf

        # A worker imports WeasyPrint and loads Pango, fontconfig and our fonts once; its
        # first document pays for that, the next ones do not.
        render_pdf('<link rel="stylesheet" href="reports/print.css"><h1>Warm-up</h1>')
        import_seconds = time.perf_counter() - started
        demo = Mission.objects.get(title__startswith="BILAT USA 4.0")
        started = time.perf_counter()
        large = build_large_mission()
        build_seconds = time.perf_counter() - started
        rows = [
            ("2018 mission report", *measure("mission_report", demo, arguments.repeat)),
            ("2018 delegation booklet", *measure("delegation_booklet", demo, arguments.repeat)),
            ("large mission report", *measure("mission_report", large, arguments.repeat)),
        ]
    # Wall seconds depend on what else the machine runs; CPU seconds much less so.
    header = f"{'document':<26}{'pages':>7}{'seconds':>10}{'CPU s':>8}{'target':>9}{'peak MB':>10}"
    print(header + "  ok")
    for name, pages, seconds, cpu_seconds, peak_mb in rows:
        ok = seconds < TARGETS[name] and peak_mb < MEMORY_LIMIT_MB
        print(
            f"{name:<26}{pages:>7}{seconds:>10.2f}{cpu_seconds:>8.2f}{TARGETS[name]:>9.0f}"
            f"{peak_mb:>10.0f}  {'yes' if ok else 'NO'}"
        )
    print(
        f"(importing WeasyPrint, loading its fonts, once per worker: {import_seconds:.2f} s; "
        f"building the large mission: {build_seconds:.1f} s)"
    )
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    print("reproduce: " + shlex.join([sys.executable, *sys.argv]))


if __name__ == "__main__":
    main()
