"""What belongs to one person stays theirs, whoever asks: a site admin's ``has_perm`` is
always true, so accepting a seat offer, a registration's calendar and a delegate's private
calendar link check the person, not the permission."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from missions import services as mission_services
from missions.events import services
from missions.events.models import Registration
from organizations.models import Role
from tests.missions.events.factories import make_event, make_member, register

from ..factories import PASSWORD, make_user


@pytest.fixture
def site_admin(db):
    return make_user("admin@test.example.org", roles=(Role.SITE_ADMIN,))


@pytest.fixture
def offer(organiser, organization):
    """A seat freed by a cancellation and offered to the first person waiting."""
    event = make_event(organiser, capacity=1)
    first = make_member(organization, "first@test.example.org")
    waiting = make_member(organization, "waiting@test.example.org")
    seated = register(event, first, organization)
    offered = register(event, waiting, organization)
    services.registration_cancel(registration=seated, by=first)
    offered.refresh_from_db()
    assert offered.status == Registration.Status.OFFERED
    return offered


def test_site_admin_cannot_accept_another_persons_seat_offer(site_admin, offer):
    with pytest.raises(PermissionDenied):
        services.registration_accept_offer(registration=offer, by=site_admin)
    offer.refresh_from_db()
    assert offer.status == Registration.Status.OFFERED


def test_event_organiser_cannot_accept_a_seat_offer_for_the_person(organiser, offer):
    with pytest.raises(PermissionDenied):
        services.registration_accept_offer(registration=offer, by=organiser)


def test_the_person_accepts_their_own_seat_offer(offer):
    accepted = services.registration_accept_offer(registration=offer, by=offer.user)
    assert accepted.status == Registration.Status.CONFIRMED


def test_site_admin_gets_404_for_another_persons_offer_and_calendar(client, site_admin, offer):
    client.login(email=site_admin.email, password=PASSWORD)
    accept = client.post(reverse("events:registration_accept", args=[offer.pk]))
    calendar = client.get(reverse("events:registration_calendar", args=[offer.pk]))
    assert (accept.status_code, calendar.status_code) == (404, 404)
    offer.refresh_from_db()
    assert offer.status == Registration.Status.OFFERED


def test_the_person_reads_their_registration_calendar(client, offer):
    client.login(email=offer.user.email, password=PASSWORD)
    response = client.get(reverse("events:registration_calendar", args=[offer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_site_admin_cannot_open_or_renew_a_delegates_calendar_link(
    client, site_admin, mission, delegate
):
    member = mission.delegation.members.get(user=delegate)
    with pytest.raises(PermissionDenied):
        mission_services.feed_token_rotate(member=member, by=site_admin)
    client.login(email=site_admin.email, password=PASSWORD)
    url = reverse("missions:my_calendar", args=[mission.slug])
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
