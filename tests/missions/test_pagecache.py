"""The cached public pages of a mission (overview, itinerary, printable list, map, public
calendar): an edit shows on the very next request, and nothing private ever reaches a cached
copy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions import selectors, services
from organizations.services import organization_update

from ..factories import make_organization, make_user
from .factories import make_day, make_mission, make_session, make_visit


@pytest.fixture
def published(organiser, mission, day1, host_org):
    make_visit(organiser, day1, [host_org], "14:00", "16:00", title="Harbour lab visit")
    services.mission_publish(mission=mission, by=organiser)
    mission.refresh_from_db()
    return mission


@pytest.fixture
def private_item(organiser, published):
    secret_host = make_organization("Secret Dinner Host", city="Copenhagen")
    return make_visit(
        organiser,
        published.days.get(),
        [secret_host],
        "19:00",
        "21:00",
        title="Private delegation dinner",
        is_public=False,
    )


def urls(mission) -> dict[str, str]:
    return {
        "overview": reverse("missions:detail", kwargs={"slug": mission.slug}),
        "map": reverse("missions:map", kwargs={"slug": mission.slug}),
        "feed": reverse("missions:public_feed", kwargs={"slug": mission.slug}),
        "itinerary": reverse("missions:itinerary", kwargs={"slug": mission.slug}),
        "print": reverse("missions:print", kwargs={"slug": mission.slug}),
    }


def body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["overview", "map", "feed", "itinerary", "print"])
def test_a_second_public_request_is_served_from_the_cache(client, published, page):
    url = urls(published)[page]
    first = queries(client, url)
    second = queries(client, url)
    # The mission, the reader's standing and the version are read; the itinerary is not.
    assert second < first
    assert second <= 4


@pytest.mark.parametrize("page", ["overview", "map", "feed", "itinerary", "print"])
def test_an_item_edit_shows_on_the_next_request(client, organiser, published, page):
    url = urls(published)[page]
    assert "Harbour lab visit" in body(client, url)
    item = selectors.itinerary_items(published)[0]

    services.item_update(item=item, by=organiser, title="Windmill factory visit")

    after = body(client, url)
    assert "Windmill factory visit" in after
    assert "Harbour lab visit" not in after


@pytest.mark.parametrize("page", ["overview", "map", "feed", "itinerary", "print"])
def test_an_item_removed_disappears_on_the_next_request(client, organiser, published, page):
    url = urls(published)[page]
    assert "Harbour lab visit" in body(client, url)

    services.item_delete(item=selectors.itinerary_items(published)[0], by=organiser)

    assert "Harbour lab visit" not in body(client, url)


def test_a_renamed_host_and_a_renamed_day_show_on_the_next_request(
    client, organiser, published, host_org
):
    url = urls(published)["overview"]
    assert host_org.name in body(client, url)

    organization_update(organization=host_org, by=organiser, name="Renamed Harbour Host")
    assert "Renamed Harbour Host" in body(client, url)

    # Days have no timestamp: adding or renaming one changes the version all the same.
    before = selectors.mission_content_version(published)
    day = published.days.get()
    services.day_update(day=day, by=organiser, date=day.date, title="Harbour day")
    renamed = selectors.mission_content_version(published)
    make_day(organiser, published, "2018-11-07", "Aarhus")
    assert len({before, renamed, selectors.mission_content_version(published)}) == 3


def test_a_renamed_sector_shows_on_the_next_request(client, organiser, published):
    from organizations.services import sector_rename
    from tests.factories import make_sector

    sector = make_sector("Clean energy")
    services.mission_update(mission=published, by=organiser, sectors=[sector])
    url = urls(published)["overview"]
    assert "<li>Clean energy</li>" in body(client, url)

    sector_rename(sector=sector, name="Renewable energy")

    assert "<li>Renewable energy</li>" in body(client, url)


def test_an_event_of_the_mission_published_later_shows_at_once(client, organiser, published):
    from tests.missions.events.factories import make_event

    url = urls(published)["overview"]
    assert "Late roundtable" not in body(client, url)
    make_event(organiser, mission=published, title="Late roundtable", publish=True)

    assert "Late roundtable" in body(client, url)


@pytest.mark.parametrize("page", ["overview", "map", "feed", "itinerary", "print"])
def test_a_private_item_never_reaches_the_public_copy(
    client, organiser, published, private_item, delegate, page
):
    url = urls(published)[page]
    # A delegate and an organiser read it first: their pages hold the private item...
    client.force_login(delegate)
    if page != "feed":
        assert "Private delegation dinner" in body(client, url)
    client.force_login(organiser)
    if page != "feed":
        assert "Private delegation dinner" in body(client, url)
    client.logout()
    # ...and the public then gets the public copy, twice (built, then from the cache).
    for _attempt in range(2):
        public = body(client, url)
        assert "Harbour lab visit" in public
        assert "Private delegation dinner" not in public
        assert "Secret Dinner Host" not in public
    # Another signed-in reader who is not in the delegation sees the same public copy.
    client.force_login(make_user("reader@test.example.org"))
    assert "Private delegation dinner" not in body(client, url)


@pytest.mark.parametrize("page", ["overview", "map", "itinerary", "print"])
def test_a_delegate_never_gets_the_cached_public_copy(
    client, published, private_item, delegate, page
):
    url = urls(published)[page]
    assert "Private delegation dinner" not in body(client, url)
    client.force_login(delegate)
    assert "Private delegation dinner" in body(client, url)


@pytest.mark.parametrize("page", ["overview", "itinerary"])
def test_each_readers_zone_gets_its_own_copy(client, organiser, us_org, page):
    """The overview warns about clock changes between the reader's zone and the venue's."""
    from .factories import make_mission

    mission = make_mission(organiser, title="Autumn mission", start="2018-10-26", end="2018-10-30")
    day = make_day(organiser, mission, "2018-10-29")
    make_session(organiser, day, "09:00", "10:00")
    services.mission_publish(mission=mission, by=organiser)
    url = urls(mission)[page]
    client.force_login(make_user("ny@test.example.org", home_time_zone="America/New_York"))
    assert "The clocks change during this mission." in body(client, url)
    client.force_login(make_user("cph@test.example.org", home_time_zone="Europe/Copenhagen"))
    assert "The clocks change during this mission." not in body(client, url)


def test_the_version_changes_with_the_itinerary_and_not_otherwise(organiser, published):
    before = selectors.mission_content_version(published)
    assert selectors.mission_content_version(published) == before
    item = selectors.itinerary_items(published)[0]
    services.item_update(item=item, by=organiser, ends_at=item.ends_at + dt.timedelta(minutes=30))
    assert selectors.mission_content_version(published) != before


def test_each_mission_has_its_own_version_from_the_once_compiled_query(organiser, published):
    """The version query is compiled once per process with a placeholder for the mission:
    each mission reads its own rows, and an edit to one leaves the other's version as it was."""
    other = make_mission(organiser, title="Second mission", start="2019-05-06", end="2019-05-08")
    other_day = make_day(organiser, other, "2019-05-06")
    first, second = (selectors.mission_content_version(m) for m in (published, other))
    assert first != second
    make_visit(organiser, other_day, [make_organization("Port of Aarhus")], title="Port visit")
    assert selectors.mission_content_version(published) == first
    assert selectors.mission_content_version(other) != second
