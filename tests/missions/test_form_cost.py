"""The time zone selects (about 600 zones) render in Python, not a template per option: the
new event and itinerary item pages spent most of their time there."""

from __future__ import annotations

import pytest

from common.widgets import FastSelect
from missions.events.forms import EventForm
from missions.forms import DelegationMemberForm, MissionForm, TravelForm


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (MissionForm, "time_zone"),
        (TravelForm, "time_zone"),
        (TravelForm, "arrival_time_zone"),
        (DelegationMemberForm, "home_time_zone"),
    ],
)
def test_time_zone_selects_render_fast_and_keep_the_choice(db, day1, form_class, name):
    extra = {"day": day1} if form_class is TravelForm else {}
    form = form_class(initial={name: "Europe/Copenhagen"}, **extra)
    html = str(form[name])
    assert isinstance(form.fields[name].widget, FastSelect)
    assert '<option value="Europe/Copenhagen" selected>Europe/Copenhagen</option>' in html
    assert html.count("<option") > 400


def test_event_time_zone_select_renders_fast(db, organiser):
    form = EventForm(user=organiser)
    assert isinstance(form.fields["time_zone"].widget, FastSelect)
    assert '<option value="Europe/Brussels" selected>Europe/Brussels</option>' in str(
        form["time_zone"]
    )
