"""One date style: the year whenever it is not the current year; past things marked."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from common.templatetags.dates import is_past, when, when_time
from missions import services
from organizations.models import Role

from ..factories import make_user
from ..missions.events.factories import make_event
from ..missions.factories import make_mission


@time_machine.travel(dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC), tick=False)
def test_when_shows_the_year_only_when_it_is_not_this_year():
    assert when(dt.date(2026, 1, 26)) == "Mon 26 Jan"
    assert when(dt.date(2018, 10, 26)) == "Fri 26 Oct 2018"
    assert when(dt.datetime(2018, 10, 26, 23, 30, tzinfo=dt.UTC)) == "Fri 26 Oct 2018"
    assert when(dt.date(2026, 1, 26), "long") == "Monday 26 January"
    assert when(dt.date(2018, 11, 6), "long") == "Tuesday 6 November 2018"
    assert when(None) == ""
    assert when("junk", "long") == ""


@time_machine.travel(dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC), tick=False)
def test_when_time_gives_the_time_and_zone_it_is_read_in():
    moment = dt.datetime(2018, 11, 6, 13, 30, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Copenhagen")):
        assert when_time(moment) == "Tue 6 Nov 2018, 14:30 CET"
    with timezone.override(zoneinfo.ZoneInfo("America/Denver")):
        assert when_time(moment) == "Tue 6 Nov 2018, 06:30 MST"
        assert when_time(dt.datetime(2026, 7, 1, 18, tzinfo=dt.UTC)) == "Wed 1 Jul, 12:00 MDT"
    assert when_time(dt.date(2018, 11, 6)) == ""
    assert when_time(None) == ""


def test_is_past_for_dates_and_instants():
    assert is_past(dt.date(2018, 11, 9))
    assert not is_past(timezone.localdate() + dt.timedelta(days=1))
    assert is_past(timezone.now() - dt.timedelta(minutes=1))
    assert not is_past("junk")


@pytest.mark.django_db
def test_mission_and_event_lists_mark_past_ones(client):
    organiser = make_user(roles=(Role.ORGANISER,))
    old = make_mission(organiser, title="Old mission")
    services.mission_publish(mission=old, by=organiser, override_reason="Test.")
    start = timezone.localdate() + dt.timedelta(days=30)
    new = make_mission(
        organiser,
        title="New mission",
        start=start.isoformat(),
        end=(start + dt.timedelta(days=1)).isoformat(),
    )
    services.mission_publish(mission=new, by=organiser, override_reason="Test.")
    page = client.get(reverse("missions:list")).content.decode()
    assert page.count(">Past<") == 1
    assert "Tue 6 Nov 2018" in page
    make_event(organiser, title="Coming roundtable")
    assert ">Past<" not in client.get(reverse("events:list")).content.decode()
