"""Wall-clock times at a venue become instants; skipped and repeated times are handled."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from missions.templatetags.mission_times import format_range
from missions.timezones import require_aware, wall_time_to_utc


def test_require_aware_rejects_naive_and_normalises_to_utc():
    with pytest.raises(ValidationError) as error:
        require_aware(dt.datetime(2018, 11, 6, 9), field="starts_at")
    assert "has no time zone" in error.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError):
        require_aware("2018-11-06 09:00", field="starts_at")
    offset = dt.timezone(dt.timedelta(hours=1))
    aware = require_aware(dt.datetime(2018, 11, 6, 9, tzinfo=offset), field="starts_at")
    assert aware == dt.datetime(2018, 11, 6, 8, tzinfo=dt.UTC)
    assert aware.tzinfo == dt.UTC


def test_wall_time_skipped_by_spring_forward_is_refused():
    with pytest.raises(ValidationError) as error:
        wall_time_to_utc(dt.datetime(2018, 3, 25, 2, 30), "Europe/Brussels", field="start_time")
    assert error.value.message_dict["start_time"] == [
        "2018-03-25 02:30 does not exist in Europe/Brussels: the clocks change at that time."
    ]


def test_wall_time_repeated_on_2018_10_28_means_the_first():
    # 02:30 happened twice in Brussels on 28 October 2018: first in summer time (UTC+2).
    first = wall_time_to_utc(dt.datetime(2018, 10, 28, 2, 30), "Europe/Brussels", field="t")
    assert first == dt.datetime(2018, 10, 28, 0, 30, tzinfo=dt.UTC)


def test_format_range_across_the_2018_10_28_change():
    # 01:00–04:00 on 28 October in Brussels lasts four hours and changes from CEST to CET.
    starts = dt.datetime(2018, 10, 27, 23, 0, tzinfo=dt.UTC)
    ends = dt.datetime(2018, 10, 28, 3, 0, tzinfo=dt.UTC)
    assert format_range(starts, ends, "Europe/Brussels") == "01:00 CEST–04:00 CET"
    # New York had not changed yet: still EDT all along, on the evening of the 27th.
    assert format_range(starts, ends, "America/New_York") == "19:00–23:00 EDT"
