"""The change log pages through a long history; the query count stays flat."""

import pytest
from django.urls import reverse

from common import pagination
from missions.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def _log(mission, count):
    ChangeLogEntry.objects.bulk_create(
        ChangeLogEntry(
            mission=mission, action=ChangeLogEntry.Action.MISSION_CHANGED, summary=f"Change {n}"
        )
        for n in range(count)
    )


@pytest.mark.parametrize("item_count", [1, 3])
def test_change_log_query_count_is_constant(
    client, organiser, mission, django_assert_num_queries, item_count
):
    _log(mission, item_count)
    client.force_login(organiser)

    # session, user, roles, mission and its permission checks, entries count, entries
    with django_assert_num_queries(9):
        response = client.get(reverse("missions:changes", kwargs={"slug": mission.slug}))

    assert len(response.context["entries"]) == item_count


def test_change_log_pages_newest_first(client, organiser, mission, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    _log(mission, 3)
    client.force_login(organiser)
    url = reverse("missions:changes", kwargs={"slug": mission.slug})

    first = client.get(url)
    second = client.get(url, {"page": 2})
    beyond = client.get(url, {"page": 99})

    assert [e.summary for e in first.context["entries"]] == ["Change 2", "Change 1"]
    assert [e.summary for e in second.context["entries"]] == ["Change 0"]
    assert beyond.context["page_obj"].number == 2
    assert 'rel="next"' in first.content.decode()
