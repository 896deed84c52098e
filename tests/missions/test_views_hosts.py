"""Host contacts see only their organisations' visits; confirm or propose another time."""

import datetime as dt

import pytest
from django.urls import reverse

from missions.models import ChangeLogEntry, ItineraryItem

from .factories import make_visit


@pytest.fixture
def visits(organiser, day1, host_org, other_host_org):
    own = make_visit(organiser, day1, [host_org], "09:00", "11:00")
    foreign = make_visit(organiser, day1, [other_host_org], "14:00", "16:00")
    return own, foreign


def test_host_visits_requires_login(client):
    response = client.get(reverse("missions:host_visits"))
    assert response.status_code == 302


def test_host_visits_lists_only_own_organisation(client, host_contact, visits, other_user):
    own, _foreign = visits
    client.force_login(host_contact)
    response = client.get(reverse("missions:host_visits"))
    assert [v.pk for v in response.context["visits"]] == [own.pk]
    client.force_login(other_user)
    assert list(client.get(reverse("missions:host_visits")).context["visits"]) == []


def test_visit_confirm_by_host_contact(client, host_contact, visits):
    own, _foreign = visits
    client.force_login(host_contact)
    response = client.post(reverse("missions:visit_confirm", kwargs={"pk": own.pk}))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.visit_status == ItineraryItem.VisitStatus.CONFIRMED


def test_visit_confirm_of_another_organisation_is_404(client, host_contact, visits):
    _own, foreign = visits
    client.force_login(host_contact)
    confirm = reverse("missions:visit_confirm", kwargs={"pk": foreign.pk})
    propose = reverse("missions:visit_propose", kwargs={"pk": foreign.pk})
    assert client.post(confirm).status_code == 404
    assert client.get(propose).status_code == 404
    foreign.refresh_from_db()
    assert foreign.visit_status == ItineraryItem.VisitStatus.PROPOSED


def test_visit_propose_time_in_the_venue_zone(client, host_contact, visits):
    own, _foreign = visits
    client.force_login(host_contact)
    url = reverse("missions:visit_propose", kwargs={"pk": own.pk})
    response = client.post(
        url, {"date": "2018-11-06", "start_time": "10:00", "end_time": "12:00", "note": "Lab tour"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.proposed_starts_at == dt.datetime(2018, 11, 6, 9, 0, tzinfo=dt.UTC)
    assert own.proposal_note == "Lab tour"
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.VISIT_TIME_PROPOSED)
    assert entry.changes == ["Proposed: Tue 06 Nov 10:00 CET – Tue 06 Nov 12:00 CET", "Lab tour"]


def test_visit_propose_rejects_junk_and_inverted_times(client, host_contact, visits):
    own, _foreign = visits
    client.force_login(host_contact)
    url = reverse("missions:visit_propose", kwargs={"pk": own.pk})
    junk = client.post(url, {"date": "tomorrow", "start_time": "25:99", "end_time": "x"})
    assert junk.status_code == 400
    assert junk.context["form"].errors["date"] == ["Enter a valid date."]
    inverted = client.post(url, {"date": "2018-11-06", "start_time": "12:00", "end_time": "10:00"})
    assert inverted.status_code == 400
    assert inverted.context["form"].errors["end_time"] == ["The end must be after the start."]
    oversized = client.post(
        url, {"date": "2018-11-06", "start_time": "10:00", "end_time": "12:00", "note": "x" * 501}
    )
    assert oversized.status_code == 400
    own.refresh_from_db()
    assert own.proposed_starts_at is None
