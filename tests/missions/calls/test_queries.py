"""List pages cost the same number of queries for 1 and 3 applications."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.calls import services

from .factories import make_applicant, make_application, make_us_org, score_all

STATES = ["Ohio", "Texas", "Maryland"]


def build(call, organiser, reviewer, count: int, prefix: str) -> None:
    for number in range(count):
        organization = make_us_org(f"Query Org {prefix}{number}", STATES[number], "Clean energy")
        user = make_applicant(f"query{prefix}{number}@test.example.org", organization)
        application = make_application(call, user, organization)
        assignment = services.reviewer_assign(
            application=application, reviewer=reviewer, by=organiser
        )
        score_all(assignment, reviewer, 3, 5)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("view_name", ["manage", "ranking", "export", "reviews", "decisions"])
def test_same_query_count_for_1_and_3_applications(
    client, call, organiser, assigned_reviewer, mission, view_name, django_assert_num_queries
):
    from .factories import make_call

    user = assigned_reviewer if view_name == "reviews" else organiser

    def url(for_call):
        if view_name == "reviews":
            return reverse("calls:reviews")
        return reverse(f"calls:{view_name}", kwargs={"pk": for_call.pk})

    build(call, organiser, assigned_reviewer, 1, "a")
    client.force_login(user)
    one = count_queries(client, url(call))
    other = make_call(organiser, mission, title="Second call")
    build(other, organiser, assigned_reviewer, 3, "b")
    # For "reviews" the reviewer now has 4 assignments across two calls instead of 1.
    with django_assert_num_queries(one):
        client.get(url(other))


def test_application_list_pages_and_keeps_the_filters(
    client, call, organiser, assigned_reviewer, monkeypatch
):
    from common import pagination

    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    build(call, organiser, assigned_reviewer, 3, "p")
    client.force_login(organiser)
    url = reverse("calls:manage", kwargs={"pk": call.pk})

    first = client.get(url, {"status": "under_review"})
    second = client.get(url, {"status": "under_review", "page": 2})

    assert len(first.context["applications"]) == 2
    assert len(second.context["applications"]) == 1
    assert "status=under_review&amp;page=2" in first.content.decode()
