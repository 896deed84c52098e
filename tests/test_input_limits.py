"""The shared input limits (common/forms.py) on the real forms: a date outside 2000–2100 and a
pasted 2 MB text are refused by the server with a message that says the range or the limit,
and nothing is saved or cut."""

from __future__ import annotations

import pytest
from django.urls import reverse

from missions.events.models import Event
from missions.models import Mission

from .test_constraints import (
    NEXT_YEAR,
    _agenda_form,
    _call_form,
    _event_form,
    _mission_form,
    _mm_day_form,
    _organization_form,
    _partnership_form,
    _programme_form,
    _propose_form,
    _visit_form,
    world,  # noqa: F401 - the fixture the form builders take
)

DATE_RANGE = "Choose a date between 2000 and 2100."
PASTE = "x" * 2_000_000


DATE_CASES = {
    "mission first day 1900": (_mission_form, "start_date", "1900-01-01"),
    "mission last day 9999": (_mission_form, "end_date", "9999-12-31"),
    "itinerary item ends 9999": (_visit_form, "end_date", "9999-12-31"),
    "host proposes 1999": (_propose_form, "date", "1999-12-31"),
    "event starts 9999": (_event_form, "starts_at", "9999-12-31T10:00"),
    "event registration opens 1900": (_event_form, "registration_opens_at", "1900-01-01T10:00"),
    "agenda item starts 2101": (_agenda_form, "starts_at", "2101-01-01T10:00"),
    "call opens 1999": (_call_form, "opens_at", "1999-01-01T10:00"),
    "call closes 9999": (_call_form, "closes_at", "9999-12-31T10:00"),
    "matchmaking day 9999": (_mm_day_form, "date", "9999-01-01"),
    "programme starts 1900": (_programme_form, "starts_on", "1900-01-01"),
    "partnership ends 2101": (_partnership_form, "ends_on", "2101-01-01"),
}


@pytest.mark.parametrize("case", sorted(DATE_CASES))
def test_form_refuses_a_date_outside_2000_to_2100(world, case):  # noqa: F811
    build, field, value = DATE_CASES[case]
    form = build(world, **{field: value})
    assert not form.is_valid()
    assert DATE_RANGE in form.errors[field]


def test_date_inputs_carry_the_range(world):  # noqa: F811
    html = str(_mission_form(world)["start_date"]) + str(_event_form(world)["starts_at"])
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html
    assert 'min="2000-01-01T00:00"' in html and 'max="2100-12-31T23:59"' in html


TEXT_CASES = {
    "mission description": (_mission_form, "description", "20000"),
    "itinerary visit notes": (_visit_form, "notes", "5000"),
    "itinerary visit speakers": (_visit_form, "speakers", "2000"),
    "call description": (_call_form, "description", "20000"),
    "call eligibility": (_call_form, "eligibility", "5000"),
    "organisation description": (_organization_form, "description", "5000"),
    "programme description": (_programme_form, "description", "20000"),
    "event description": (_event_form, "description", "20000"),
    "partnership description": (_partnership_form, "description", "20000"),
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_form_refuses_a_pasted_2_mb_text_naming_the_limit(world, case):  # noqa: F811
    build, field, limit = TEXT_CASES[case]
    form = build(world, **{field: PASTE})
    assert not form.is_valid()
    message = " ".join(form.errors[field]).replace(",", "")
    assert f"at most {limit} characters" in message, message
    assert "2000000" in message, message


def test_decision_letter_and_report_text_are_limited(db):
    from missions.calls.forms import DecisionTemplateForm
    from reports.forms import ReportTextForm

    letter = DecisionTemplateForm({"subject": "Your application", "body": PASTE})
    assert not letter.is_valid()
    assert "at most 10000 characters (it has 2000000)" in letter.errors["body"][0]
    report = ReportTextForm({"summary": PASTE, "roundtable_summary": "", "conclusions": ""})
    assert not report.is_valid()
    assert "at most 10000 characters (it has 2000000)" in report.errors["summary"][0]


def test_mission_page_refuses_year_9999_and_2_mb_and_saves_nothing(client, world):  # noqa: F811
    client.force_login(world["organiser"])
    before = Mission.objects.count()
    data = {
        "title": "Far mission",
        "direction": "us_to_eu",
        "start_date": "9999-12-30",
        "end_date": "9999-12-31",
        "time_zone": "Europe/Copenhagen",
        "description": PASTE,
    }
    response = client.post(reverse("missions:create"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert DATE_RANGE in text
    assert "at most 20000 characters (it has 2000000)" in text
    assert Mission.objects.count() == before


def test_event_page_refuses_year_9999_and_saves_nothing(client, world):  # noqa: F811
    client.force_login(world["organiser"])
    before = Event.objects.count()
    form = _event_form(world, starts_at="9999-12-31T10:00", ends_at="9999-12-31T12:00")
    response = client.post(reverse("events:create"), form.data)
    assert response.status_code == 400
    assert DATE_RANGE in response.content.decode()
    assert Event.objects.count() == before


def test_sensible_dates_are_accepted(world):  # noqa: F811
    for build, field, value in (
        (_mission_form, "start_date", f"{NEXT_YEAR}-05-04"),
        (_event_form, "starts_at", f"{NEXT_YEAR}-05-04T10:00"),
        (_mm_day_form, "date", "2100-12-31"),
        (_programme_form, "starts_on", "2000-01-01"),
    ):
        form = build(world, **{field: value})
        assert form.is_valid(), form.errors
