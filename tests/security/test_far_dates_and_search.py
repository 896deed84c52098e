"""Dates far in the future and junk in searches get a message, never a 500: a mission in
the year 9999 overflowed the planner, day validation and duplication; a NUL byte in a
search reached PostgreSQL, which refuses it in text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions import planner, services
from missions.forms import DayForm, DuplicateForm, MissionForm
from missions.models import Mission
from tests.missions.events.factories import make_event, make_member, register
from tests.missions.factories import make_mission

from ..factories import PASSWORD

YEARS_MESSAGE = "Choose a date between 2000 and 2100."


def test_offset_shifts_at_the_end_of_the_calendar_does_not_overflow():
    shifts = planner.offset_shifts(
        home_zone="America/New_York",
        venue_zone="Europe/Copenhagen",
        start_date=dt.date(9999, 12, 30),
        end_date=dt.date(9999, 12, 31),
    )
    assert shifts == []


def test_offset_shifts_still_finds_the_autumn_gap():
    shifts = planner.offset_shifts(
        home_zone="America/New_York",
        venue_zone="Europe/Copenhagen",
        start_date=dt.date(2018, 10, 27),
        end_date=dt.date(2018, 11, 5),
    )
    assert [s.at.isoformat() for s in shifts] == [
        "2018-10-28T01:00:00+00:00",
        "2018-11-04T06:00:00+00:00",
    ]


@pytest.mark.parametrize("year", [1999, 2101, 9999])
def test_mission_create_refuses_a_year_out_of_range(organiser, year):
    with pytest.raises(ValidationError) as error:
        make_mission(organiser, start=f"{year}-12-30", end=f"{year}-12-31")
    assert error.value.message_dict["start_date"] == [YEARS_MESSAGE]
    assert not Mission.objects.exists()


def test_mission_form_refuses_a_year_out_of_range(organiser):
    form = MissionForm(data={"start_date": "9999-12-30", "end_date": "9999-12-31"})
    assert not form.is_valid()
    assert form.errors["start_date"] == [YEARS_MESSAGE]
    assert form.errors["end_date"] == [YEARS_MESSAGE]


def test_day_and_duplicate_forms_refuse_a_year_out_of_range(db):
    assert DayForm(data={"date": "9999-12-31"}).errors["date"] == [YEARS_MESSAGE]
    duplicate = DuplicateForm(data={"title": "Copy", "start_date": "9999-12-25"})
    assert duplicate.errors["start_date"] == [YEARS_MESSAGE]


def test_mission_duplicate_to_a_far_year_is_refused(organiser, mission):
    with pytest.raises(ValidationError) as error:
        services.mission_duplicate(
            mission=mission, by=organiser, title="Copy", start_date=dt.date(9999, 12, 25)
        )
    assert error.value.message_dict["start_date"] == [YEARS_MESSAGE]
    assert Mission.objects.count() == 1


@pytest.fixture
def legacy_far_mission(organiser):
    """A mission stored before the range was enforced, at the end of the calendar."""
    mission = make_mission(organiser, title="Far away")
    Mission.objects.filter(pk=mission.pk).update(
        start_date=dt.date(9999, 12, 30), end_date=dt.date(9999, 12, 31)
    )
    mission.refresh_from_db()
    return mission


def test_day_on_a_far_mission_gets_a_message_not_an_overflow(organiser, legacy_far_mission):
    with pytest.raises(ValidationError) as error:
        services.day_create(mission=legacy_far_mission, by=organiser, date=dt.date(9999, 12, 31))
    assert error.value.message_dict["date"] == [YEARS_MESSAGE]


def test_duplicating_a_far_mission_into_range_works(organiser, legacy_far_mission):
    copy = services.mission_duplicate(
        mission=legacy_far_mission, by=organiser, title="Back", start_date=dt.date(2030, 5, 1)
    )
    assert (copy.start_date, copy.end_date) == (dt.date(2030, 5, 1), dt.date(2030, 5, 2))


def test_pages_of_a_far_mission_answer(client, organiser, legacy_far_mission):
    client.login(email=organiser.email, password=PASSWORD)
    for name in ("plan", "itinerary", "duplicate"):
        response = client.get(reverse(f"missions:{name}", args=[legacy_far_mission.slug]))
        assert response.status_code == 200, name


def test_duplicate_view_with_a_far_year_answers_400_with_the_message(client, organiser, mission):
    client.login(email=organiser.email, password=PASSWORD)
    response = client.post(
        reverse("missions:duplicate", args=[mission.slug]),
        {"title": "Copy", "start_date": "9999-12-25"},
    )
    assert response.status_code == 400
    assert YEARS_MESSAGE in response.content.decode()
    assert Mission.objects.count() == 1


def test_check_in_search_with_a_nul_byte_finds_the_person(
    postgres, client, organiser, organization
):
    event = make_event(organiser)
    person = make_member(organization, "ada@test.example.org", full_name="Ada Lovelace")
    register(event, person, organization)
    client.login(email=organiser.email, password=PASSWORD)

    response = client.get(reverse("events:check_in", args=[event.slug]), {"q": "Ada\x00"})

    assert response.status_code == 200
    assert [r.user_id for r in response.context["attendees"]] == [person.pk]


@pytest.mark.parametrize("query", ["clean\x00", "\x00", "x\x1b[0m"])
def test_directory_search_with_control_characters_answers(postgres, client, query):
    response = client.get(reverse("organizations:list"), {"q": query, "region": query})
    assert response.status_code == 200
