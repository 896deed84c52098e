"""Guarded actions: a GET shows what will happen and changes nothing; the POST does it once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from missions.events.models import Registration
from missions.models import ItineraryItem
from organizations.models import Role

from ..factories import make_organization, make_user
from ..missions.events.factories import make_event, register
from ..missions.factories import make_day, make_mission, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return make_user(roles=(Role.ORGANISER,))


def test_registration_cancel_get_asks_and_changes_nothing(client, organiser):
    event = make_event(organiser)
    person = make_user()
    registration = register(event, person, make_organization(manager=person))
    client.force_login(person)
    url = reverse("events:registration_cancel", args=[registration.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cancel this registration?" in page
    assert "The seat goes to the next person on the waiting list" in page
    assert f'action="{url}"' in page
    registration.refresh_from_db()
    assert registration.status != Registration.Status.CANCELLED
    assert (
        url
        in client.get(
            registration_url := reverse("events:registration", args=[registration.pk])
        ).content.decode()
    )
    response = client.post(url)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert client.get(registration_url).status_code == 200


def test_registration_cancel_confirmation_of_another_person_is_404(client, organiser):
    event = make_event(organiser)
    person = make_user()
    registration = register(event, person, make_organization(manager=person))
    client.force_login(make_user())
    url = reverse("events:registration_cancel", args=[registration.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_item_delete_get_asks_and_changes_nothing_then_post_removes_once(client, organiser):
    mission = make_mission(organiser)
    day = make_day(organiser, mission, "2018-11-06")
    item = make_visit(
        organiser, day, [make_organization("EnergyVille")], title="Visit to EnergyVille"
    )
    client.force_login(organiser)
    url = reverse("missions:item_delete", args=[mission.slug, item.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Remove this item from the itinerary?" in page
    assert "Visit to EnergyVille" in page
    assert ItineraryItem.objects.filter(pk=item.pk).exists()
    assert url in client.get(reverse("missions:plan", args=[mission.slug])).content.decode()
    assert client.post(url).status_code == 302
    assert not ItineraryItem.objects.filter(pk=item.pk).exists()
    assert client.post(url).status_code == 404


def test_item_delete_confirmation_for_someone_else_is_404(client, organiser):
    mission = make_mission(organiser)
    day = make_day(organiser, mission, "2018-11-06")
    item = make_visit(organiser, day, [make_organization()])
    client.force_login(make_user(roles=(Role.ORGANISER,)))
    url = reverse("missions:item_delete", args=[mission.slug, item.pk])
    assert client.get(url).status_code == 404
    assert ItineraryItem.objects.filter(pk=item.pk).exists()
