"""The planner's checks over plain data: each one triggered, and each one quiet."""

import datetime as dt

from missions.planner import PlanItem, check_itinerary, offset_shifts

from .factories import at

START, END = dt.date(2018, 11, 6), dt.date(2018, 11, 9)


def visit(id, start, end, city="Copenhagen", day="2018-11-06", zone="Europe/Copenhagen"):
    return PlanItem(
        id, "visit", f"Visit {id}", at(day, start, zone), at(day, end, zone), zone, city=city
    )


def travel(id, origin, destination, start, end, day="2018-11-06", zone="Europe/Copenhagen"):
    return PlanItem(
        id,
        "travel",
        f"{origin} → {destination}",
        at(day, start, zone),
        at(day, end, zone),
        zone,
        from_city=origin,
        to_city=destination,
    )


def codes(items):
    return [w.code for w in check_itinerary(start_date=START, end_date=END, items=items)]


def test_overlap_when_two_visits_share_an_hour():
    warnings = check_itinerary(
        start_date=START,
        end_date=END,
        items=[visit(1, "09:00", "11:00"), visit(2, "10:30", "12:00")],
    )
    assert [(w.code, w.item_ids) for w in warnings] == [("overlap", (1, 2))]
    assert warnings[0].message == "“Visit 1” and “Visit 2” overlap."


def test_overlap_not_reported_for_back_to_back_items():
    assert codes([visit(1, "09:00", "11:00"), visit(2, "11:00", "12:00")]) == []


def test_overlap_ignores_cancelled_visits():
    cancelled = PlanItem(
        2,
        "visit",
        "Gone",
        at("2018-11-06", "10:00"),
        at("2018-11-06", "11:00"),
        "Europe/Copenhagen",
        city="Copenhagen",
        cancelled=True,
    )
    assert codes([visit(1, "09:00", "11:00"), cancelled]) == []


def test_overlap_across_zones_compares_instants():
    # 10:00 in New York is 16:00 in Copenhagen: no overlap with 09:00–11:00 Copenhagen.
    new_york = visit(2, "10:00", "11:00", city="New York", zone="America/New_York")
    assert codes([visit(1, "09:00", "11:00"), new_york]) == []


def test_outside_dates_when_visit_is_the_day_before_the_mission():
    warnings = check_itinerary(
        start_date=START, end_date=END, items=[visit(1, "09:00", "10:00", day="2018-11-05")]
    )
    assert [w.code for w in warnings] == ["outside_dates"]
    assert "2018-11-05" in warnings[0].message


def test_outside_dates_uses_the_venue_zone():
    # The venue's own zone decides which day a visit is on, not UTC or the viewer's zone.
    late = visit(1, "23:00", "23:59", day="2018-11-09")
    assert codes([late]) == []
    tokyo = visit(2, "07:00", "08:00", day="2018-11-10", zone="Asia/Tokyo", city="Tokyo")
    # 07:00 on the 10th in Tokyo is 23:00 on the 9th in Copenhagen: outside, in its zone.
    assert codes([tokyo]) == ["outside_dates"]


def test_outside_dates_not_reported_for_travel_the_day_after():
    assert codes([travel(1, "Rotterdam", "Amsterdam", "09:00", "10:00", day="2018-11-10")]) == []


def test_late_arrival_when_train_arrives_after_the_visit_starts():
    items = [
        visit(1, "09:00", "11:00"),
        travel(2, "Copenhagen", "Malmö", "12:00", "14:30"),
        visit(3, "14:00", "16:00", city="Malmö"),
    ]
    warnings = check_itinerary(start_date=START, end_date=END, items=items)
    assert [(w.code, w.item_ids) for w in warnings] == [("late_arrival", (2, 3))]
    assert "arrives at 2018-11-06 14:30 CET" in warnings[0].message


def test_late_arrival_not_reported_when_train_arrives_in_time():
    items = [
        visit(1, "09:00", "11:00"),
        travel(2, "Copenhagen", "Malmö", "12:00", "13:30"),
        visit(3, "14:00", "16:00", city="Malmö"),
    ]
    assert codes(items) == []


def test_travel_origin_when_leg_leaves_from_elsewhere():
    items = [
        visit(1, "09:00", "11:00", city="Copenhagen"),
        travel(2, "Malmö", "Leuven", "12:00", "16:00"),
    ]
    warnings = check_itinerary(start_date=START, end_date=END, items=items)
    assert [(w.code, w.item_ids) for w in warnings] == [("travel_origin", (1, 2))]
    assert warnings[0].message == (
        "“Malmö → Leuven” leaves from Malmö, but the delegation is in Copenhagen."
    )


def test_travel_origin_follows_the_previous_leg_and_ignores_case():
    items = [
        travel(1, "Copenhagen", "Malmö", "09:00", "10:00"),
        travel(2, "malmö ", "Leuven", "12:00", "16:00"),
    ]
    assert codes(items) == []


def test_offset_shifts_when_mission_spans_eu_dst_end_before_us():
    # 2018: the EU left summer time on Sunday 28 October, the US on Sunday 4 November.
    shifts = offset_shifts(
        home_zone="America/New_York",
        venue_zone="Europe/Brussels",
        start_date=dt.date(2018, 10, 26),
        end_date=dt.date(2018, 10, 30),
    )
    assert len(shifts) == 1
    shift = shifts[0]
    assert shift.at == dt.datetime(2018, 10, 28, 1, 0, tzinfo=dt.UTC)
    assert shift.local_date == dt.date(2018, 10, 28)
    assert shift.difference_before == dt.timedelta(hours=6)
    assert shift.difference_after == dt.timedelta(hours=5)


def test_offset_shifts_both_changes_when_mission_spans_both_sundays():
    shifts = offset_shifts(
        home_zone="America/Denver",
        venue_zone="Europe/Copenhagen",
        start_date=dt.date(2018, 10, 27),
        end_date=dt.date(2018, 11, 5),
    )
    assert [(s.at, s.difference_after) for s in shifts] == [
        (dt.datetime(2018, 10, 28, 1, 0, tzinfo=dt.UTC), dt.timedelta(hours=7)),
        (dt.datetime(2018, 11, 4, 8, 0, tzinfo=dt.UTC), dt.timedelta(hours=8)),
    ]


def test_offset_shifts_none_for_the_2018_mission_dates():
    # 6–9 November 2018: both sides had already changed; nothing to warn about.
    assert (
        offset_shifts(
            home_zone="America/New_York",
            venue_zone="Europe/Copenhagen",
            start_date=START,
            end_date=END,
        )
        == []
    )


def test_offset_shifts_none_between_zones_that_change_together():
    assert (
        offset_shifts(
            home_zone="Europe/Paris",
            venue_zone="Europe/Copenhagen",
            start_date=dt.date(2018, 10, 26),
            end_date=dt.date(2018, 10, 30),
        )
        == []
    )
