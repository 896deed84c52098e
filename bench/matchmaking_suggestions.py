#!/usr/bin/env python3
"""Benchmark suggested partners at 5,000 participants.

Builds a deterministic session of N participants (half EU, half US, 2–4 sectors each out of
40, 0–4 marketplace items each) and times:

- ``plain one``: ``suggest`` for one participant against everyone, on plain data;
- ``plain all``: ``suggest_all`` for every participant (numpy, row blocks);
- ``db one``: ``matchmaking.selectors.suggestions_for`` for one participant, reading the
  session from a fresh database (SQLite file, or PostgreSQL with ``--database-url``),
  its queries included.

Each row gives wall seconds (best of ``--repeat``) and peak Python memory (tracemalloc).

    python bench/matchmaking_suggestions.py [--participants 5000] [--repeat 3]
                                           [--no-db] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaking.suggestions import Item, Profile, suggest, suggest_all  # noqa: E402

SECTORS = 40
TYPES = (
    "technology_offer",
    "partnership",
    "research_cooperation",
    "investment",
    "market_entry",
    "other",
)


def plain_profiles(count: int, seed: int = 1) -> list[Profile]:
    generator = random.Random(seed)
    profiles = []
    item_id = 0
    for number in range(1, count + 1):
        sectors = frozenset(generator.sample(range(1, SECTORS + 1), generator.randint(2, 4)))
        items = []
        for _ in range(generator.randint(0, 4)):
            item_id += 1
            items.append(
                Item(
                    item_id,
                    generator.choice(("offer", "request")),
                    generator.choice(TYPES),
                    f"Item {item_id}",
                    frozenset(generator.sample(sorted(sectors), 1)),
                )
            )
        side = "eu" if number % 2 else "us"
        profiles.append(Profile(number, f"Person {number}", side, sectors, tuple(items)))
    return profiles


def measure(function, repeat: int) -> tuple[float, float, object]:
    """Best wall seconds of ``repeat`` runs, and the peak traced MB of one run."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1e6, result


def build_database(profiles: list[Profile]):
    """Write the profiles into the configured database through bulk inserts; returns the
    participant standing for profile 1."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from matchmaking.models import MarketplaceItem, Participant, Session
    from organizations.models import Sector, User

    # get_or_create: a second run into the same database finds the sectors of the first.
    sectors = [
        Sector.objects.get_or_create(
            name=f"Bench sector {number}", defaults={"slug": f"bench-sector-{number}"}
        )[0]
        for number in range(1, SECTORS + 1)
    ]
    sector_ids = {number: sector.pk for number, sector in enumerate(sectors, start=1)}
    session = Session.objects.create(
        title="Benchmark",
        slug=f"bench-{time.time_ns()}",
        time_zone="Europe/Berlin",
        phase="requests_open",
        is_public=True,
    )
    users = User.objects.bulk_create(
        User(email=f"bench{session.pk}-{p.id}@example.org", full_name=p.name) for p in profiles
    )
    participants = Participant.objects.bulk_create(
        Participant(session=session, user=user, side=p.side, agenda_token=f"{session.pk}-{p.id}")
        for user, p in zip(users, profiles, strict=True)
    )
    Participant.sectors.through.objects.bulk_create(
        Participant.sectors.through(participant_id=participant.pk, sector_id=sector_ids[s])
        for participant, p in zip(participants, profiles, strict=True)
        for s in p.sectors
    )
    items, item_sectors = [], []
    for participant, p in zip(participants, profiles, strict=True):
        for item in p.items:
            items.append(
                MarketplaceItem(
                    participant=participant,
                    direction=item.direction,
                    item_type=item.item_type,
                    title=item.title,
                )
            )
            item_sectors.append(item.sectors)
    items = MarketplaceItem.objects.bulk_create(items)
    MarketplaceItem.sectors.through.objects.bulk_create(
        MarketplaceItem.sectors.through(marketplaceitem_id=item.pk, sector_id=sector_ids[s])
        for item, item_sector_set in zip(items, item_sectors, strict=True)
        for s in item_sector_set
    )
    return participants[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-db", action="store_true", help="plain data only")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    arguments = parser.parse_args()

    print("$ " + shlex.join([sys.executable, *sys.argv]))
    print(f"# load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    profiles = plain_profiles(arguments.participants)
    items = sum(len(p.items) for p in profiles)
    print(f"# {len(profiles)} participants, {items} marketplace items, {SECTORS} sectors")
    header = f"{'what':<12} {'seconds':>9} {'peak MB':>9}  note"
    print(header)
    print("-" * len(header))

    seconds, peak, ranked = measure(lambda: suggest(profiles[0], profiles), arguments.repeat)
    print(f"{'plain one':<12} {seconds:>9.4f} {peak:>9.1f}  top score {ranked[0].score}")
    seconds, peak, everyone = measure(lambda: suggest_all(profiles), max(1, arguments.repeat - 2))
    print(
        f"{'plain all':<12} {seconds:>9.3f} {peak:>9.1f}  "
        f"{len(everyone)} lists, {seconds / len(profiles) * 1000:.2f} ms each"
    )

    if not arguments.no_db:
        with tempfile.TemporaryDirectory() as directory:
            os.environ["DATABASE_URL"] = arguments.database_url or f"sqlite:///{directory}/bench.db"
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustermissions.settings.base")
            import django

            django.setup()
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            from matchmaking.selectors import suggestions_for

            started = time.perf_counter()
            participant = build_database(profiles)
            print(
                f"# database built in {time.perf_counter() - started:.1f} s ({connection.vendor})"
            )
            with CaptureQueriesContext(connection) as queries:
                suggestions_for(participant)
            seconds, peak, _result = measure(lambda: suggestions_for(participant), arguments.repeat)
            print(f"{'db one':<12} {seconds:>9.4f} {peak:>9.1f}  {len(queries)} queries")
            connection.close()
    print(f"# load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
