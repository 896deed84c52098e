"""The clock-change walk is remembered per zones and dates; callers get their own list."""

from __future__ import annotations

import datetime as dt

from missions import planner


def shifts():
    return planner.offset_shifts(
        home_zone="America/New_York",
        venue_zone="Europe/Copenhagen",
        start_date=dt.date(2018, 10, 26),
        end_date=dt.date(2018, 11, 6),
    )


def test_offset_shifts_are_remembered_and_unchanged():
    first = shifts()
    hits = planner._offset_shifts.cache_info().hits
    second = shifts()

    assert planner._offset_shifts.cache_info().hits == hits + 1
    assert second == first
    # Europe moves its clocks on 28 October, the US on 4 November.
    assert [(s.at, s.difference_before, s.difference_after) for s in first] == [
        (
            dt.datetime(2018, 10, 28, 1, 0, tzinfo=dt.UTC),
            dt.timedelta(hours=6),
            dt.timedelta(hours=5),
        ),
        (
            dt.datetime(2018, 11, 4, 6, 0, tzinfo=dt.UTC),
            dt.timedelta(hours=5),
            dt.timedelta(hours=6),
        ),
    ]


def test_a_caller_changing_its_list_does_not_change_the_next_one():
    mine = shifts()
    mine.clear()
    assert len(shifts()) == 2
