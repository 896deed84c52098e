"""One date style: the year whenever it is not the current year; past things marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.templatetags.dates import is_past, when
from missions import services
from organizations.models import Role

from ..factories import make_user
from ..missions.events.factories import make_event
from ..missions.factories import make_mission


def test_when_shows_the_year_only_when_it_is_not_this_year():
    today = dt.date(2026, 12, 2)
    assert when(dt.date(2026, 1, 26), today) == "Mon 26 Jan"
    assert when(dt.date(2018, 10, 26), today) == "Fri 26 Oct 2018"
    assert when(dt.datetime(2018, 10, 26, 23, 30, tzinfo=dt.UTC), today) == "Fri 26 Oct 2018"
    assert when(None) == ""


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
