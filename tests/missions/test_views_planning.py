"""Organiser pages: build a mission through the forms, with bad input refused whole."""

import datetime as dt

from django.urls import reverse

from missions.models import ChangeLogEntry, ItineraryDay, ItineraryItem, Mission
from organizations.models import Role

from ..factories import make_user
from .factories import make_day, make_session, make_visit


def plan(mission, name="plan", **kwargs):
    return reverse(f"missions:{name}", kwargs={"slug": mission.slug, **kwargs})


MISSION_POST = {
    "title": "High-level US cluster mission to the EU",
    "direction": "us_to_eu",
    "start_date": "2018-11-06",
    "end_date": "2018-11-09",
    "countries": ["DK", "SE"],
    "summary": "Four days, six cities.",
    "description": "",
    "time_zone": "Europe/Copenhagen",
}


def test_mission_create_page_triplet(client, applicant, organiser):
    url = reverse("missions:create")
    assert client.get(url).status_code == 302
    client.force_login(applicant)
    assert client.get(url).status_code == 403
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    response = client.post(url, MISSION_POST)
    mission = Mission.objects.get()
    assert response.url == plan(mission)
    assert mission.title == "High-level US cluster mission to the EU"
    assert list(mission.organisers.all()) == [organiser]


def test_mission_create_rejects_bad_input_with_nothing_written(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("missions:create"),
        {
            **MISSION_POST,
            "title": "x" * 5000,
            "start_date": "2018-11-09",
            "end_date": "junk",
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["Ensure this value has at most 200 characters (it has 5000)."]
    assert errors["end_date"] == ["Enter a valid date."]
    assert "time_zone" in errors
    inverted = client.post(reverse("missions:create"), {**MISSION_POST, "end_date": "2018-11-01"})
    assert inverted.status_code == 400
    assert inverted.context["form"].errors["end_date"] == ["The last day is before the first day."]
    assert Mission.objects.count() == 0


def test_planning_pages_are_404_for_other_organisers(client, organiser, mission, day1):
    item = make_session(organiser, day1)
    rival = make_user("rival@test.example.org", roles=(Role.ORGANISER,))
    client.force_login(rival)
    urls = [
        plan(mission),
        plan(mission, "edit"),
        plan(mission, "duplicate"),
        plan(mission, "delegation"),
        plan(mission, "day_edit", day=day1.pk),
        plan(mission, "item_create", day=day1.pk, kind="visit"),
        plan(mission, "item_edit", pk=item.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(plan(mission, "item_delete", pk=item.pk)).status_code == 404
    assert client.post(plan(mission, "publish")).status_code == 404
    assert ItineraryItem.objects.filter(pk=item.pk).exists()
    client.logout()
    assert client.get(plan(mission)).status_code == 302
    client.force_login(organiser)
    assert client.get(plan(mission)).status_code == 200


def test_build_two_days_with_travel_through_the_forms(client, organiser, mission, host_org):
    client.force_login(organiser)
    for date, title in (("2018-11-06", "CPH"), ("2018-11-07", "Malmö")):
        response = client.post(plan(mission, "day_create"), {"date": date, "title": title})
        assert response.status_code == 302
    day1, day2 = ItineraryDay.objects.filter(mission=mission).order_by("date")
    response = client.post(
        plan(mission, "item_create", day=day1.pk, kind="visit"),
        {
            "title": "EnergyVille",
            "hosts": [host_org.name],
            "start_time": "09:00",
            "end_time": "11:00",
            "time_zone": "Europe/Copenhagen",
            "is_public": "on",
            "city": "Copenhagen",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        plan(mission, "item_create", day=day2.pk, kind="travel"),
        {
            "title": "Train to Malmö",
            "from_city": "Copenhagen",
            "to_city": "Malmö",
            "travel_mode": "train",
            "start_time": "23:30",
            "end_time": "00:20",
            "end_date": "2018-11-08",
            "time_zone": "Europe/Copenhagen",
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    leg = ItineraryItem.objects.get(kind="travel")
    assert leg.starts_at == dt.datetime(2018, 11, 7, 22, 30, tzinfo=dt.UTC)
    assert leg.ends_at == dt.datetime(2018, 11, 7, 23, 20, tzinfo=dt.UTC)
    page = client.get(plan(mission))
    assert page.context["warnings"] == []
    assert client.post(plan(mission, "publish"), {"override_reason": ""}).status_code == 302
    mission.refresh_from_db()
    assert mission.status == Mission.Status.PUBLISHED


def test_item_create_form_refuses_time_skipped_by_dst(client, organiser):
    from .factories import make_mission

    mission = make_mission(organiser, start="2019-03-30", end="2019-04-01")
    day = make_day(organiser, mission, "2019-03-31")
    client.force_login(organiser)
    response = client.post(
        plan(mission, "item_create", day=day.pk, kind="session"),
        {
            "title": "Breakfast",
            "session_kind": "meal",
            "start_time": "02:30",
            "end_time": "04:00",
            "time_zone": "Europe/Copenhagen",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start_time"] == [
        "2019-03-31 02:30 does not exist in Europe/Copenhagen: the clocks change at that time."
    ]
    assert ItineraryItem.objects.count() == 0


def test_item_create_form_rejects_junk_and_unknown_kind(client, organiser, mission, day1):
    client.force_login(organiser)
    assert client.get(plan(mission, "item_create", day=day1.pk, kind="party")).status_code == 404
    response = client.post(
        plan(mission, "item_create", day=day1.pk, kind="travel"),
        {
            "title": "",
            "from_city": "x" * 101,
            "start_time": "noon",
            "end_time": "",
            "time_zone": "Nowhere",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "from_city", "to_city", "start_time", "end_time", "time_zone"}
    assert ItineraryItem.objects.count() == 0


def test_publish_with_warnings_needs_a_reason(client, organiser, mission, day1, host_org):
    make_visit(organiser, day1, [host_org], "09:00", "11:00")
    make_session(organiser, day1, "10:00", "12:00")
    client.force_login(organiser)
    blocked = client.post(plan(mission, "publish"), {"override_reason": ""})
    assert blocked.status_code == 400
    assert blocked.context["publish_form"].non_field_errors() == [
        "The planner has warnings; fix them or give a reason to publish anyway.",
        "“Visit to EnergyVille” and “EU-US cluster roundtable” overlap.",
    ]
    mission.refresh_from_db()
    assert mission.status == Mission.Status.DRAFT
    done = client.post(plan(mission, "publish"), {"override_reason": "Parallel tracks."})
    assert done.status_code == 302
    mission.refresh_from_db()
    assert (mission.status, mission.publish_override_reason) == ("published", "Parallel tracks.")


def test_item_move_and_delete_through_the_plan(client, organiser, mission, day1, host_org):
    first = make_session(organiser, day1, "09:00", "10:00")
    second = make_visit(organiser, day1, [host_org], "11:00", "12:00")
    client.force_login(organiser)
    client.post(plan(mission, "item_move", pk=second.pk), {"direction": "up"})
    assert list(day1.items.values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(plan(mission, "item_delete", pk=first.pk))
    assert list(day1.items.values_list("pk", flat=True)) == [second.pk]
    assert ChangeLogEntry.objects.filter(action="item_removed").count() == 1


def test_duplicate_through_the_page(client, organiser, mission, day1):
    make_session(organiser, day1)
    client.force_login(organiser)
    response = client.post(
        plan(mission, "duplicate"), {"title": "Mission 2019", "start_date": "2019-11-05"}
    )
    copy = Mission.objects.get(title="Mission 2019")
    assert response.url == plan(copy)
    assert copy.days.get().date == dt.date(2019, 11, 5)


def test_delegation_page_adds_a_member(client, organiser, mission, us_org):
    person = make_user("person@test.example.org", home_time_zone="America/Denver")
    client.force_login(organiser)
    response = client.post(
        plan(mission, "delegation"),
        {
            "email": "PERSON@test.example.org",
            "organization": us_org.name,
            "role": "member",
            "home_time_zone": "",
        },
    )
    assert response.status_code == 302
    member = mission.delegation.members.get()
    assert (member.user, member.home_time_zone) == (person, "America/Denver")
    unknown = client.post(
        plan(mission, "delegation"),
        {
            "email": "ghost@test.example.org",
            "organization": us_org.name,
            "role": "member",
        },
    )
    assert unknown.context["form"].errors["email"] == ["Nobody with this address has an account."]


def test_delegation_member_remove_by_own_organiser_only(
    client, organiser, mission, delegate, second_delegate
):
    member = mission.delegation.members.get(user=delegate)
    url = plan(mission, "delegation_remove", pk=member.pk)
    client.force_login(second_delegate)
    assert client.post(url).status_code == 404
    client.force_login(make_user("rival@test.example.org", roles=(Role.ORGANISER,)))
    assert client.post(url).status_code == 404
    assert mission.delegation.members.count() == 2
    client.force_login(organiser)
    assert client.post(url).status_code == 302
    assert list(mission.delegation.members.values_list("user__email", flat=True)) == [
        "delegate2@test.example.org"
    ]


def test_mission_edit_shares_planning_with_another_organiser(client, organiser, mission):
    colleague = make_user("colleague@test.example.org", roles=(Role.ORGANISER,))
    client.force_login(colleague)
    assert client.get(plan(mission)).status_code == 404
    client.force_login(organiser)
    response = client.post(
        plan(mission, "edit"),
        {
            **MISSION_POST,
            "organisers": [organiser.email, colleague.email],
        },
    )
    assert response.status_code == 302
    client.force_login(colleague)
    assert client.get(plan(mission)).status_code == 200
    applicant = make_user("not.organiser@test.example.org")
    client.force_login(organiser)
    refused = client.post(plan(mission, "edit"), {**MISSION_POST, "organisers": [applicant.email]})
    assert refused.status_code == 400
    assert "organisers" in refused.context["form"].errors
