"""A host's proposal accepted onto another day; a confirmed visit changed by an organiser."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from missions import services
from missions.models import ChangeLogEntry, ItineraryItem
from organizations.models import Role

from ..factories import make_user
from .factories import at, make_day, make_mission, make_session, make_visit

NEW_YORK = "America/New_York"


def _propose(item, host_contact, date, start, end, zone="Europe/Copenhagen"):
    return services.visit_propose_time(
        item=item,
        by=host_contact,
        starts_at=at(date, start, zone),
        ends_at=at(date, end, zone),
        note="The lab is free that day.",
    )


def _confirmed_visit(organiser, day, host_org, host_contact, **fields):
    visit = make_visit(organiser, day, [host_org], "14:00", "16:00", **fields)
    return services.visit_confirm(item=visit, by=host_contact)


# --- Accepting a proposal for another day -----------------------------------------------------


def test_accept_proposal_moves_the_visit_to_the_day_proposed(
    organiser, mission, day1, host_org, host_contact
):
    day3 = make_day(organiser, mission, "2018-11-08", "Brussels")
    morning = make_session(organiser, day3, "09:00", "09:45", title="Breakfast briefing")
    evening = make_session(organiser, day3, "18:00", "20:00", title="Reception")
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    proposed = _propose(visit, host_contact, "2018-11-08", "10:00", "12:00")

    accepted = services.visit_accept_proposal(item=proposed, by=organiser)

    assert accepted.day == day3
    assert (accepted.starts_at, accepted.ends_at) == (
        at("2018-11-08", "10:00"),
        at("2018-11-08", "12:00"),
    )
    assert accepted.visit_status == ItineraryItem.VisitStatus.CONFIRMED
    assert (accepted.proposed_starts_at, accepted.proposed_ends_at, accepted.proposal_note) == (
        None,
        None,
        "",
    )
    assert list(day1.items.all()) == []
    # Filed between the items before and after it, as if it had been typed in there.
    assert list(day3.items.order_by("position", "pk")) == [morning, accepted, evening]
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert entry.item == accepted
    assert entry.by == organiser
    assert entry.changes == [
        "Starts at: Tue 06 Nov 14:00 CET → Thu 08 Nov 10:00 CET",
        "Ends at: Tue 06 Nov 16:00 CET → Thu 08 Nov 12:00 CET",
        "Visit status: Proposed → Confirmed by host",
    ]


def test_accept_proposal_finds_the_day_in_the_venue_zone_not_in_utc(
    organiser, mission, host_org, host_contact
):
    nov6 = make_day(organiser, mission, "2018-11-06")
    nov7 = make_day(organiser, mission, "2018-11-07")
    make_day(organiser, mission, "2018-11-08")
    visit = make_visit(
        organiser, nov6, [host_org], "10:00", "11:00", zone=NEW_YORK, city="New York"
    )
    # 21:00 in New York on the 7th is already the 8th in UTC (02:00).
    proposed = _propose(visit, host_contact, "2018-11-07", "21:00", "22:30", zone=NEW_YORK)
    assert proposed.proposed_starts_at.date().isoformat() == "2018-11-08"

    accepted = services.visit_accept_proposal(item=proposed, by=organiser)

    assert accepted.day == nov7
    assert accepted.starts_at == at("2018-11-07", "21:00", NEW_YORK)


def test_accept_proposal_for_a_day_the_mission_lacks_is_refused_and_changes_nothing(
    organiser, mission, day1, host_org, host_contact
):
    make_day(organiser, mission, "2018-11-07")
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    proposed = _propose(visit, host_contact, "2018-11-09", "10:00", "12:00")

    with pytest.raises(ValidationError) as error:
        services.visit_accept_proposal(item=proposed, by=organiser)

    assert error.value.messages == [
        "The host proposed Nov. 9, 2018, which is not a day of this mission's itinerary. "
        "Add that day first, or ask the host for another time."
    ]
    visit.refresh_from_db()
    assert visit.day == day1
    assert visit.starts_at == at("2018-11-06", "14:00")
    assert visit.proposed_starts_at == at("2018-11-09", "10:00")
    assert visit.visit_status == ItineraryItem.VisitStatus.PROPOSED
    assert not ChangeLogEntry.objects.filter(action=ChangeLogEntry.Action.ITEM_CHANGED).exists()
    # Once the organiser adds the day, the same proposal is accepted.
    day4 = make_day(organiser, mission, "2018-11-09")
    assert services.visit_accept_proposal(item=visit, by=organiser).day == day4


def test_accept_proposal_only_by_the_missions_organisers(
    organiser, mission, day1, host_org, host_contact, other_user
):
    make_day(organiser, mission, "2018-11-07")
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    proposed = _propose(visit, host_contact, "2018-11-07", "10:00", "12:00")
    rival = make_user("rival@test.example.org", roles=(Role.ORGANISER,))
    for outsider in (host_contact, other_user, rival):
        with pytest.raises(PermissionDenied):
            services.visit_accept_proposal(item=proposed, by=outsider)
    visit.refresh_from_db()
    assert (visit.day, visit.starts_at) == (day1, at("2018-11-06", "14:00"))


def test_accept_proposal_reads_the_visit_as_stored_not_the_callers_copy(
    organiser, mission, day1, host_org, host_contact
):
    make_day(organiser, mission, "2018-11-07")
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    stale = _propose(visit, host_contact, "2018-11-07", "10:00", "12:00")
    # The host changes their mind and confirms the planned time after all.
    services.visit_confirm(item=visit, by=host_contact)
    with pytest.raises(ValidationError) as error:
        services.visit_accept_proposal(item=stale, by=organiser)
    assert error.value.messages == ["The host has not proposed another time."]
    visit.refresh_from_db()
    assert (visit.day, visit.starts_at) == (day1, at("2018-11-06", "14:00"))


def test_accept_view_moves_the_visit_or_says_which_day_is_missing(
    client, organiser, mission, day1, host_org, host_contact
):
    day2 = make_day(organiser, mission, "2018-11-07")
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    url = reverse("missions:item_accept", kwargs={"slug": mission.slug, "pk": visit.pk})
    plan_url = reverse("missions:plan", kwargs={"slug": mission.slug})
    client.force_login(organiser)

    _propose(visit, host_contact, "2018-11-08", "10:00", "12:00")
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(plan_url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The host proposed Nov. 8, 2018, which is not a day of this mission's itinerary. "
        "Add that day first, or ask the host for another time."
    ]
    visit.refresh_from_db()
    assert visit.day == day1

    _propose(visit, host_contact, "2018-11-07", "10:00", "12:00")
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(plan_url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The visit moved to the time its host proposed."
    ]
    visit.refresh_from_db()
    assert (visit.day, visit.starts_at) == (day2, at("2018-11-07", "10:00"))


def test_accept_view_is_404_for_other_organisers_and_refuses_get(
    client, organiser, mission, day1, host_org, host_contact
):
    make_day(organiser, mission, "2018-11-07")
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    _propose(visit, host_contact, "2018-11-07", "10:00", "12:00")
    url = reverse("missions:item_accept", kwargs={"slug": mission.slug, "pk": visit.pk})
    client.force_login(make_user("rival@test.example.org", roles=(Role.ORGANISER,)))
    assert client.post(url).status_code == 404
    client.force_login(host_contact)
    assert client.post(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 405
    visit.refresh_from_db()
    assert visit.day == day1


def test_item_update_to_a_day_of_another_mission_is_refused(organiser, mission, day1, host_org):
    elsewhere = make_day(organiser, make_mission(organiser, title="Another"), "2018-11-06")
    visit = make_visit(organiser, day1, [host_org])
    with pytest.raises(ValidationError) as error:
        services.item_update(item=visit, by=organiser, day=elsewhere)
    assert error.value.message_dict == {"day": ["That day belongs to another mission."]}
    visit.refresh_from_db()
    assert visit.day == day1


# --- An organiser changes a visit its host had confirmed --------------------------------------


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {"starts_at": at("2018-11-06", "15:00"), "ends_at": at("2018-11-06", "17:00")},
            "Starts at: Tue 06 Nov 14:00 CET → Tue 06 Nov 15:00 CET",
        ),
        (
            {"ends_at": at("2018-11-06", "16:30")},
            "Ends at: Tue 06 Nov 16:00 CET → Tue 06 Nov 16:30 CET",
        ),
        ({"venue_name": "Thor Park"}, "Venue: — → Thor Park"),
        ({"venue_address": "Thor Park 8310, Genk"}, "Address: — → Thor Park 8310, Genk"),
        ({"city": "Genk"}, "City: Copenhagen → Genk"),
    ],
)
def test_changing_time_or_venue_of_a_confirmed_visit_asks_the_host_again(
    organiser, day1, host_org, host_contact, fields, line
):
    visit = _confirmed_visit(organiser, day1, host_org, host_contact)
    assert visit.visit_status == ItineraryItem.VisitStatus.CONFIRMED

    changed = services.item_update(item=visit, by=organiser, **fields)

    assert changed.visit_status == ItineraryItem.VisitStatus.PROPOSED
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert entry.changes[0] == line
    assert entry.changes[-1] == "Visit status: Confirmed by host → Proposed"
    assert set(entry.affected_hosts.all()) == {host_org}
    # The host confirms the new time and place.
    again = services.visit_confirm(item=changed, by=host_contact)
    assert again.visit_status == ItineraryItem.VisitStatus.CONFIRMED


def test_other_changes_to_a_confirmed_visit_keep_the_confirmation(
    organiser, day1, host_org, host_contact
):
    visit = _confirmed_visit(organiser, day1, host_org, host_contact)
    changed = services.item_update(
        item=visit,
        by=organiser,
        title="Lab tour at EnergyVille",
        topic="Batteries",
        notes="Bring passports.",
        starts_at=visit.starts_at,
    )
    assert changed.visit_status == ItineraryItem.VisitStatus.CONFIRMED


def test_cancelling_a_confirmed_visit_while_moving_it_cancels_it(
    organiser, day1, host_org, host_contact
):
    visit = _confirmed_visit(organiser, day1, host_org, host_contact)
    changed = services.item_update(
        item=visit,
        by=organiser,
        starts_at=at("2018-11-06", "15:00"),
        ends_at=at("2018-11-06", "17:00"),
        visit_status=ItineraryItem.VisitStatus.CANCELLED,
    )
    assert changed.visit_status == ItineraryItem.VisitStatus.CANCELLED


def test_accepting_the_hosts_own_proposal_keeps_it_confirmed(
    organiser, mission, day1, host_org, host_contact
):
    make_day(organiser, mission, "2018-11-07")
    visit = _confirmed_visit(organiser, day1, host_org, host_contact)
    proposed = _propose(visit, host_contact, "2018-11-07", "10:00", "12:00")
    accepted = services.visit_accept_proposal(item=proposed, by=organiser)
    assert accepted.visit_status == ItineraryItem.VisitStatus.CONFIRMED


def test_edit_form_resubmitting_confirmed_with_a_new_time_asks_the_host_again(
    client, organiser, mission, day1, host_org, host_contact
):
    visit = _confirmed_visit(organiser, day1, host_org, host_contact)
    client.force_login(organiser)
    url = reverse("missions:item_edit", kwargs={"slug": mission.slug, "pk": visit.pk})
    form = client.get(url).context["form"]
    assert form.initial["visit_status"] == ItineraryItem.VisitStatus.CONFIRMED
    response = client.post(
        url,
        {
            "title": visit.title,
            "hosts": [host_org.name],
            "start_time": "15:00",
            "end_time": "17:00",
            "time_zone": "Europe/Copenhagen",
            "is_public": "on",
            "city": "Copenhagen",
            "visit_status": "confirmed",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    visit.refresh_from_db()
    assert visit.starts_at == at("2018-11-06", "15:00")
    assert visit.visit_status == ItineraryItem.VisitStatus.PROPOSED


def test_edit_form_with_a_junk_time_changes_nothing(
    client, organiser, mission, day1, host_org, host_contact
):
    visit = _confirmed_visit(organiser, day1, host_org, host_contact)
    client.force_login(organiser)
    url = reverse("missions:item_edit", kwargs={"slug": mission.slug, "pk": visit.pk})
    response = client.post(
        url,
        {
            "title": visit.title,
            "hosts": [host_org.name],
            "start_time": "25:99",
            "end_time": "17:00",
            "time_zone": "Europe/Copenhagen",
            "city": "Copenhagen",
            "visit_status": "confirmed",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start_time"] == ["Enter a valid time."]
    visit.refresh_from_db()
    assert visit.visit_status == ItineraryItem.VisitStatus.CONFIRMED
    assert visit.starts_at == at("2018-11-06", "14:00")
