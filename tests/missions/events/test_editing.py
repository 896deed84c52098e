"""Organisers create, edit, publish and cancel events, and build agendas and forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from missions.events import services
from missions.events.models import AgendaItem, Event
from organizations.models import Role
from tests.factories import make_user

from .factories import make_event, make_member, register

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Cleantech roundtable Aarhus",
    "kind": "roundtable",
    "venue_name": "Navitas",
    "city": "Aarhus",
    "time_zone": "Europe/Copenhagen",
    "starts_at": "2030-11-06T08:30",
    "ends_at": "2030-11-06T13:30",
    "registration_deadline": "2030-10-26T14:00",
    "capacity": "20",
    "approval_required": "on",
    "waiting_list_enabled": "on",
    "offer_hours": "48",
}


@pytest.fixture
def other_organiser(db):
    return make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_create_event_permissions(client, cluster_manager, organiser):
    url = reverse("events:create")

    assert login_redirect(client.get(url))
    client.force_login(cluster_manager)
    assert client.get(url).status_code == 403
    assert client.post(url, FORM).status_code == 403
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_create_event_reads_times_on_the_venues_clocks(client, organiser):
    client.force_login(organiser)

    response = client.post(reverse("events:create"), FORM)

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:agenda", args=[event.slug])
    assert event.status == Event.Status.DRAFT
    assert event.starts_at == dt.datetime(2030, 11, 6, 7, 30, tzinfo=dt.UTC)
    # 26 October 2030 is still summer time in Copenhagen: 14:00 CEST is 12:00 UTC.
    assert event.registration_deadline == dt.datetime(2030, 10, 26, 12, 0, tzinfo=dt.UTC)
    assert list(event.organisers.all()) == [organiser]


def test_create_event_refuses_a_time_the_clocks_skip(client, organiser):
    client.force_login(organiser)

    response = client.post(reverse("events:create"), {**FORM, "starts_at": "2030-03-31T02:30"})

    assert response.status_code == 400
    assert "does not exist in Europe/Copenhagen" in response.content.decode()
    assert not Event.objects.exists()


def test_edit_event_permissions(client, organiser, other_organiser, cluster_manager):
    event = make_event(organiser)
    url = reverse("events:edit", args=[event.slug])

    assert login_redirect(client.get(url))
    for someone in (cluster_manager, other_organiser):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, FORM).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_edit_refuses_a_capacity_below_the_seats_held(client, organiser, organization):
    event = make_event(organiser, capacity=2)
    for _number in range(2):
        register(event, make_member(organization), organization)
    client.force_login(organiser)
    form = {
        **FORM,
        "title": event.title,
        "capacity": "1",
        "starts_at": "2030-11-06T08:30",
    }

    response = client.post(reverse("events:edit", args=[event.slug]), form)

    assert response.status_code == 400
    assert "2 seats are already held" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2


def test_edit_raising_the_capacity_offers_seats(client, organiser, organization):
    event = make_event(organiser, capacity=1)
    register(event, make_member(organization), organization)
    waiting = register(event, make_member(organization), organization)
    client.force_login(organiser)

    response = client.post(
        reverse("events:edit", args=[event.slug]), {**FORM, "title": event.title, "capacity": 2}
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_publish_and_cancel(client, organiser, other_organiser):
    event = make_event(organiser, publish=False)
    url = reverse("events:status", args=[event.slug])
    client.force_login(other_organiser)
    assert client.post(url, {"action": "publish"}).status_code == 404  # a draft is hidden

    client.force_login(organiser)
    client.post(url, {"action": "publish"})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    client.force_login(other_organiser)
    assert client.post(url, {"action": "cancel"}).status_code == 404
    client.force_login(organiser)
    client.post(url, {"action": "cancel"})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_agenda_page_permissions(client, organiser, other_organiser, cluster_manager):
    event = make_event(organiser)
    url = reverse("events:agenda", args=[event.slug])

    assert login_redirect(client.get(url))
    for someone in (cluster_manager, other_organiser):
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_agenda_items_nest_and_are_removed(client, organiser):
    start = dt.datetime(2030, 11, 6, 7, 30, tzinfo=dt.UTC)
    event = make_event(organiser, starts_at=start, ends_at=start + dt.timedelta(hours=5))
    client.force_login(organiser)
    url = reverse("events:agenda", args=[event.slug])

    client.post(
        url,
        {
            "form": "item",
            "title": "Good practices panel",
            "kind": "panel",
            "starts_at": "2030-11-06T10:00",
            "ends_at": "2030-11-06T10:45",
            "person_role": "moderator",
            "person_organization": "inno TSD, BILAT USA 4.0",
            "person_side": "eu",
        },
    )
    panel = AgendaItem.objects.get()
    response = client.post(
        url,
        {
            "form": "item",
            "title": "Cluster speaker 1 – from the EU",
            "kind": "talk",
            "starts_at": "2030-11-06T10:00",
            "ends_at": "2030-11-06T10:10",
            "parent": panel.pk,
        },
    )

    assert response.status_code == 302
    slot = AgendaItem.objects.get(parent=panel)
    assert slot.starts_at == dt.datetime(2030, 11, 6, 9, 0, tzinfo=dt.UTC)
    assert str(panel.people.get()) == "inno TSD, BILAT USA 4.0"
    page = client.get(url).content.decode()
    assert "10:00–10:10 CET" in page

    client.post(reverse("events:agenda_delete", args=[event.slug, panel.pk]))
    assert not AgendaItem.objects.exists()


def test_agenda_item_outside_the_event_is_refused(client, organiser):
    start = dt.datetime(2030, 11, 6, 7, 30, tzinfo=dt.UTC)
    event = make_event(organiser, starts_at=start, ends_at=start + dt.timedelta(hours=5))
    client.force_login(organiser)

    response = client.post(
        reverse("events:agenda", args=[event.slug]),
        {
            "form": "item",
            "title": "Dinner",
            "kind": "networking",
            "starts_at": "2030-11-06T19:00",
            "ends_at": "2030-11-06T21:00",
        },
    )

    assert response.status_code == 400
    assert "must lie within the event" in response.content.decode()


def test_questions_are_added_and_asked(client, organiser, cluster_manager, organization):
    event = make_event(organiser)
    client.force_login(organiser)

    client.post(
        reverse("events:agenda", args=[event.slug]),
        {"form": "question", "label": "Your cluster's size", "required": "on"},
    )

    (question,) = event.questions.all()
    assert question.required
    client.force_login(cluster_manager)
    page = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert "Your cluster&#x27;s size" in page


def test_slug_never_shadows_a_page(organiser):
    event = make_event(organiser, title="New")

    # The same rule as missions' slugs (common.slugs.unique_slug): the next free number.
    assert event.slug == "new-2"
    assert {"new", "mine"} <= services.RESERVED_SLUGS
