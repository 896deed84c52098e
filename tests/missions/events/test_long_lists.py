"""The check-in desk and the registrations page through long lists; query counts stay flat."""

import pytest
from django.urls import reverse

from common import pagination

from .factories import make_event, make_member, register

pytestmark = pytest.mark.django_db


def _attend(event, organization, count):
    for _number in range(count):
        register(event, make_member(organization), organization)


@pytest.mark.parametrize("item_count", [1, 3])
def test_check_in_query_count_is_constant(
    client, organiser, organization, django_assert_num_queries, item_count
):
    event = make_event(organiser, capacity=10)
    _attend(event, organization, item_count)
    client.force_login(organiser)

    # session, user, roles, event, is-organiser, attendees count, attendees, seat counts
    with django_assert_num_queries(8):
        response = client.get(reverse("events:check_in", args=[event.slug]))

    assert len(response.context["attendees"]) == item_count


def test_check_in_pages_through_attendees_and_keeps_the_search(
    client, organiser, organization, monkeypatch
):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    event = make_event(organiser, capacity=10)
    _attend(event, organization, 3)
    client.force_login(organiser)
    url = reverse("events:check_in", args=[event.slug])

    first = client.get(url, {"q": organization.name.split()[0]})
    second = client.get(url, {"q": organization.name.split()[0], "page": 2})
    junk = client.get(url, {"page": "junk'--"})

    assert len(first.context["attendees"]) == 2
    assert len(second.context["attendees"]) == 1
    assert "page=2" in first.content.decode()
    assert "q=" in first.content.decode().split('rel="next"')[0].rsplit("href=", 1)[1]
    assert junk.status_code == 200
    assert junk.context["page_obj"].number == 1


def test_registrations_page_through_and_keep_the_status_filter(
    client, organiser, organization, monkeypatch
):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    event = make_event(organiser, capacity=10)
    _attend(event, organization, 3)
    client.force_login(organiser)
    url = reverse("events:manage", args=[event.slug])

    first = client.get(url, {"status": "confirmed"})
    second = client.get(url, {"status": "confirmed", "page": 2})

    assert len(first.context["rows"]) == 2
    assert len(second.context["rows"]) == 1
    assert "status=confirmed&amp;page=2" in first.content.decode()
