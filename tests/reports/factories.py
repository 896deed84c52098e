"""Report test data: a mission of any size, built through the missions services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from missions import services
from missions.models import DelegationMember, Mission
from organizations.models import User

from ..factories import make_organization, make_sector, make_user
from ..missions.factories import make_day, make_mission, make_visit


def make_report_mission(
    organiser: User,
    *,
    days: int = 1,
    visits_per_day: int = 1,
    delegates: int = 1,
    title: str = "",
    start: str = "2018-11-06",
) -> Mission:
    """A mission of ``days`` days with ``visits_per_day`` visits a day (each to its own
    host) and ``delegates`` delegates from their own organisations, each in a US state."""
    first = dt.date.fromisoformat(start)
    last = first + dt.timedelta(days=days - 1)
    sector = make_sector()
    mission = make_mission(
        organiser,
        title=title or f"Mission of {days} days",
        start=first.isoformat(),
        end=last.isoformat(),
        sectors=[sector],
    )
    for day_number in range(days):
        day = make_day(organiser, mission, (first + dt.timedelta(days=day_number)).isoformat())
        for visit_number in range(visits_per_day):
            host = make_organization(
                f"Host {day_number + 1}-{visit_number + 1}", sectors=(sector,), country="DK"
            )
            hour = 8 + visit_number % 12
            make_visit(
                organiser,
                day,
                [host],
                f"{hour:02d}:00",
                f"{hour:02d}:45",
                latitude=Decimal("55.6") + Decimal(visit_number) / 100,
                longitude=Decimal("12.5"),
            )
    for number in range(delegates):
        organization = make_organization(
            f"US Organisation {number + 1}",
            country="US",
            region=["Texas", "Ohio", "Colorado"][number % 3],
            city="Austin",
            sectors=(sector,),
        )
        services.delegation_member_add(
            mission=mission,
            by=organiser,
            user=make_user(full_name=f"Delegate Number {number + 1}"),
            organization=organization,
            role=DelegationMember.Role.HEAD if number == 0 else DelegationMember.Role.MEMBER,
        )
    return mission
