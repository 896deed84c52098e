"""The mission list's cached cards: an edit shows on the very next request, the "Past"
badge follows the day, and a mission not yet public never reaches the cards, whoever
loaded the list first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from missions import services
from organizations.services import sector_rename
from tests.factories import make_sector

from .factories import make_mission

pytestmark = pytest.mark.django_db

URL = reverse("missions:list")


def cards(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    start = page.find('<ul class="card-list">')
    return page[start : page.index("</ul>\n", start)] if start >= 0 else ""


def publish(mission, organiser):
    return services.mission_publish(mission=mission, by=organiser, override_reason="test data")


def test_publishing_and_editing_show_on_the_next_request(client, organiser):
    mission = make_mission(organiser, title="Nordic energy mission")
    assert cards(client) == ""

    publish(mission, organiser)
    assert "Nordic energy mission" in cards(client)

    services.mission_update(mission=mission, by=organiser, title="Nordic hydrogen mission")
    assert "Nordic hydrogen mission" in cards(client)
    assert "Nordic energy mission" not in cards(client)


def test_sector_changes_show_on_the_next_request(client, organiser):
    energy, design = make_sector("Clean energy"), make_sector("Design")
    mission = make_mission(organiser, title="Nordic energy mission")
    services.mission_update(mission=mission, by=organiser, sectors=[energy])
    publish(mission, organiser)
    assert "<li>Clean energy</li>" in cards(client)

    sector_rename(sector=energy, name="Renewable energy")
    assert "<li>Renewable energy</li>" in cards(client)

    services.mission_update(mission=mission, by=organiser, sectors=[design])
    assert "<li>Design</li>" in cards(client)
    assert "Renewable energy" not in cards(client)


def test_the_past_badge_follows_the_day(client, organiser, monkeypatch):
    publish(make_mission(organiser, start="2018-11-06", end="2018-11-09"), organiser)

    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2018, 11, 9))
    assert "Past" not in cards(client)
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2018, 11, 10))
    assert "Past" in cards(client)


def test_a_draft_never_reaches_the_cards_even_when_its_organiser_loads_the_list_first(
    client, organiser
):
    publish(make_mission(organiser, title="Public mission"), organiser)
    make_mission(organiser, title="Secret draft mission")

    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert "Secret draft mission" in page  # under "Your missions not yet public"
    assert "Secret draft mission" not in cards(client)

    client.logout()
    page = client.get(URL).content.decode()
    assert "Public mission" in page
    assert "Secret draft mission" not in page
