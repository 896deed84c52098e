"""The cached public content of an event page (its facts with the seat figures, its
description and agenda): an edit of any kind shows on the very next request, nothing of
one reader reaches another, and the event's organisers get their content rendered afresh."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions.events import selectors, services
from missions.events.models import AgendaItem, AgendaPerson
from organizations.services import organization_update
from tests.factories import make_organization, make_sector, make_user

from .factories import COPENHAGEN, make_event, make_member, register

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo(COPENHAGEN)
START = dt.datetime(2030, 11, 6, 8, 30, tzinfo=CPH)


def add_item(event, organiser, title: str, hour: int, people=()) -> AgendaItem:
    return services.agenda_item_add(
        event=event,
        by=organiser,
        title=title,
        kind=AgendaItem.Kind.TALK,
        starts_at=START.replace(hour=hour, minute=0),
        ends_at=START.replace(hour=hour, minute=45),
        people=list(people),
    )


@pytest.fixture
def speaker_org(db):
    return make_organization("Harbour Cluster", city="Copenhagen")


@pytest.fixture
def partner(db):
    return make_organization("Bridge Partner", city="Brussels")


@pytest.fixture
def roundtable(organiser, speaker_org, partner):
    """A published roundtable in 2030 (registration open) with one talk by a speaker of
    ``speaker_org`` and one organising partner."""
    event = make_event(
        organiser,
        title="Harbour roundtable",
        capacity=3,
        starts_at=START,
        ends_at=START.replace(hour=14),
        deadline=dt.datetime(2030, 10, 26, 14, 0, tzinfo=CPH),
        organising_partners=[partner],
    )
    add_item(
        event,
        organiser,
        "Opening talk",
        9,
        [
            {
                "name": "Mette Jensen",
                "organization": speaker_org,
                "role": AgendaPerson.Role.SPEAKER,
                "side": AgendaPerson.Side.EU,
            }
        ],
    )
    return event


def body(client, event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def queries(client, event) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(event.get_absolute_url()).status_code == 200
    return len(captured)


def loads_agenda(client, event) -> bool:
    """Whether the page was rendered afresh: it read the agenda from the database."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(event.get_absolute_url()).status_code == 200
    return any('FROM "missions_agendaitem"' in query["sql"] for query in captured)


# --- Served from the cache ---------------------------------------------------------------------


def test_a_second_public_request_is_served_from_the_cache(client, roundtable):
    first = queries(client, roundtable)
    second = queries(client, roundtable)

    # Then only the event and the version: the agenda, partners, sectors and seat figures
    # come from the cache.
    assert second == 2
    assert first > second
    assert body(client, roundtable) == body(client, roundtable)


@pytest.mark.parametrize("item_count", [1, 3])
def test_public_page_query_count_is_constant(
    client, organiser, speaker_org, django_assert_num_queries, item_count
):
    event = make_event(organiser, starts_at=START, ends_at=START.replace(hour=14))
    for number in range(item_count):
        person = {"name": f"Speaker {number}", "role": AgendaPerson.Role.SPEAKER}
        parent = add_item(event, organiser, f"Talk {number}", 9 + number, [person])
        services.agenda_item_add(
            event=event,
            by=organiser,
            parent=parent,
            title=f"Slot {number}",
            kind=AgendaItem.Kind.TALK,
            starts_at=parent.starts_at,
            ends_at=parent.starts_at + dt.timedelta(minutes=10),
            people=[{"organization": speaker_org, "role": AgendaPerson.Role.SPEAKER}],
        )

    with django_assert_num_queries(9):
        first = client.get(event.get_absolute_url())
    with django_assert_num_queries(2):
        second = client.get(event.get_absolute_url())

    assert first.content == second.content
    assert second.content.decode().count("Harbour Cluster") == item_count


# --- Every kind of edit shows at once ----------------------------------------------------------


def test_an_event_field_edit_shows_on_the_next_request(client, organiser, roundtable):
    assert "BLOXHUB" in body(client, roundtable)

    services.event_update(event=roundtable, by=organiser, venue_name="Carlsberg Byen")

    page = body(client, roundtable)
    assert "Carlsberg Byen" in page
    assert "BLOXHUB" not in page


def test_a_cancellation_shows_on_the_next_request(client, organiser, roundtable):
    assert "This event has been cancelled." not in body(client, roundtable)

    services.event_cancel(event=roundtable, by=organiser)

    assert "This event has been cancelled." in body(client, roundtable)


def test_an_agenda_item_added_and_removed_shows_on_the_next_request(client, organiser, roundtable):
    assert "Closing panel" not in body(client, roundtable)

    item = add_item(roundtable, organiser, "Closing panel", 12)
    assert "Closing panel" in body(client, roundtable)

    services.agenda_item_delete(item=item, by=organiser)
    assert "Closing panel" not in body(client, roundtable)


def test_a_speaker_added_and_a_speakers_organisation_renamed_show_on_the_next_request(
    client, organiser, roundtable, speaker_org
):
    assert "Speaker: Mette Jensen, Harbour Cluster (EU)" in body(client, roundtable)

    add_item(
        roundtable,
        organiser,
        "Keynote",
        11,
        [{"name": "Jon Smith", "role": AgendaPerson.Role.MODERATOR, "side": "us"}],
    )
    assert "Moderator: Jon Smith (US)" in body(client, roundtable)

    organization_update(organization=speaker_org, by=organiser, name="Renamed Cluster")
    page = body(client, roundtable)
    assert "Speaker: Mette Jensen, Renamed Cluster (EU)" in page
    assert "Harbour Cluster" not in page


def test_a_partner_and_a_sector_show_on_the_next_request(client, organiser, roundtable, partner):
    assert "Bridge Partner" in body(client, roundtable)
    new_partner = make_organization("Ocean Partner")
    sector = make_sector("Blue economy")

    services.event_update(
        event=roundtable, by=organiser, organising_partners=[new_partner], sectors=[sector]
    )
    page = body(client, roundtable)
    assert "Ocean Partner" in page
    assert "Blue economy" in page
    assert "Bridge Partner" not in page

    organization_update(organization=new_partner, by=organiser, name="Sea Partner")
    assert "Sea Partner" in body(client, roundtable)


def test_a_registration_changes_the_seat_figures_on_the_next_request(
    client, roundtable, organization
):
    assert "3 of 3 seats free" in body(client, roundtable)

    registration = register(roundtable, make_member(organization), organization)
    assert "2 of 3 seats free" in body(client, roundtable)

    services.registration_cancel(registration=registration, by=registration.user)
    assert "3 of 3 seats free" in body(client, roundtable)


def test_the_waiting_list_shows_on_the_next_request(client, organiser, organization):
    event = make_event(organiser, capacity=1)
    register(event, make_member(organization), organization)
    assert "0 of 1 seats free" in body(client, event)
    assert "waiting" not in body(client, event)

    register(event, make_member(organization), organization)

    assert "1 person waiting" in body(client, event)


# --- Nothing of one reader reaches another -----------------------------------------------------


def test_a_readers_registration_never_reaches_another_reader(
    client, roundtable, organization, cluster_manager
):
    registration = register(roundtable, cluster_manager, organization)
    client.force_login(cluster_manager)
    own = body(client, roundtable)
    assert "Your registration: Confirmed." in own
    assert registration.get_absolute_url() in own

    for reader in (None, make_user("reader@test.example.org")):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        for _attempt in range(2):  # built (or taken), then from the cache
            page = body(client, roundtable)
            assert "Your registration" not in page
            assert registration.get_absolute_url() not in page
            assert "Participant list" not in page
            assert 'href="/events/harbour-roundtable/register/"' in page


def test_the_organisers_links_never_reach_the_public(client, organiser, roundtable):
    client.force_login(organiser)
    assert "Manage registrations" in body(client, roundtable)
    client.logout()

    for _attempt in range(2):
        page = body(client, roundtable)
        assert "Manage registrations" not in page
        assert "Edit agenda and questions" not in page
        assert "Cancel the event" not in page


def test_a_draft_is_rendered_afresh_for_its_organiser_and_never_cached(
    client, organiser, organization
):
    draft = make_event(organiser, publish=False, title="Secret workshop", starts_at=START)
    add_item(draft, organiser, "Unannounced keynote", 10)
    client.force_login(organiser)
    assert "Draft: only the organisers see this event." in body(client, draft)
    # Nothing the organiser read was kept: every request of theirs loads the agenda again.
    assert loads_agenda(client, draft)
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404

    services.event_publish(event=draft, by=organiser)

    page = body(client, draft)
    assert "Unannounced keynote" in page
    assert "Draft:" not in page


def test_the_organiser_gets_fresh_content_while_the_public_gets_the_cached_copy(
    client, organiser, roundtable
):
    """Agenda items are only added and removed, so the version watches their pks: a title
    changed behind the services' back keeps the public's cached copy, which shows that the
    public is served from the cache and the organiser is not."""
    # A reader in the organiser's zone (UTC) gets the cached copy built for that zone...
    client.force_login(make_user("reader@test.example.org", home_time_zone="UTC"))
    assert "Opening talk" in body(client, roundtable)
    assert not loads_agenda(client, roundtable)
    selectors.agenda_items(roundtable).update(title="Opening keynote")
    assert "Opening talk" in body(client, roundtable)
    # ...while the organiser, in the same zone, gets it rendered afresh, every time.
    client.force_login(organiser)
    page = body(client, roundtable)
    assert "Opening keynote" in page
    assert "Opening talk" not in page
    assert loads_agenda(client, roundtable)


def test_each_readers_zone_gets_its_own_copy(client, roundtable, organization):
    assert "home-time" not in body(client, roundtable)
    client.force_login(
        make_member(organization, "denver@test.example.org", home_time_zone="America/Denver")
    )

    page = body(client, roundtable)

    assert '09:00–09:45 CET</time> <span class="home-time">· 01:00–01:45 MST</span>' in page
    client.logout()
    assert "home-time" not in body(client, roundtable)


# --- The version ---------------------------------------------------------------------------------


def test_each_event_has_its_own_version(client, organiser, roundtable, organization):
    other = make_event(organiser, title="Second roundtable")
    first, second = (selectors.event_content_version(e) for e in (roundtable, other))
    assert first != second
    assert selectors.event_content_version(roundtable) == first

    register(other, make_member(organization), organization)

    assert selectors.event_content_version(roundtable) == first
    assert selectors.event_content_version(other) != second
