"""A reviewer sees other reviewers' scores only after submitting their own; once review has
closed, the form is read-only and says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from missions.calls import services
from missions.calls.models import Application, Score

from .factories import make_application, score_all


@pytest.fixture
def two_reviews(call, organiser, applicant_a, org_a, reviewer, assigned_reviewer):
    application = make_application(call, applicant_a, org_a)
    mine = services.reviewer_assign(application=application, reviewer=reviewer, by=organiser)
    theirs = services.reviewer_assign(
        application=application, reviewer=assigned_reviewer, by=organiser
    )
    score_all(theirs, assigned_reviewer, 4, 9, comment="Their secret opinion.")
    return mine, theirs


def test_review_other_scores_hidden_until_own_are_submitted(client, reviewer, two_reviews):
    mine, _theirs = two_reviews
    client.force_login(reviewer)
    url = reverse("calls:review", args=[mine.pk])
    page = client.get(url).content.decode()
    assert "Their secret opinion." not in page
    assert "Other reviewers" not in page
    score_all(mine, reviewer, 3, 5)
    page = client.get(url).content.decode()
    assert "Their secret opinion." in page


def test_review_organiser_sees_every_score(client, organiser, call, two_reviews):
    mine, _theirs = two_reviews
    client.force_login(organiser)
    url = reverse(
        "calls:manage_application",
        kwargs={"pk": call.pk, "application_pk": mine.application_id},
    )
    page = client.get(url).content.decode()
    assert "Fit 4/5" in page and "Impact 9/10" in page  # the other reviewer's
    assert "not scored yet" in page  # the reader's own, not yet in


def test_review_closed_form_is_read_only_and_says_why(client, reviewer, organiser, two_reviews):
    mine, _theirs = two_reviews
    score_all(mine, reviewer, 3, 5)
    application = mine.application
    services.decisions_prepare(
        call=application.call, by=organiser, decisions={application.pk: "selected"}
    )
    services.decisions_send(call=application.call, by=organiser)
    client.force_login(reviewer)
    url = reverse("calls:review", args=[mine.pk])
    page = client.get(url).content.decode()
    assert "Review has closed: a decision on this application (Selected) was taken." in page
    assert "Submit scores" not in page
    assert "disabled" in page
    before = sorted(Score.objects.filter(assignment=mine).values_list("value", flat=True))
    criteria = list(application.call.criteria.all())
    response = client.post(url, {f"c_{c.pk}": "1" for c in criteria})
    assert response.status_code in (302, 400)
    after = sorted(Score.objects.filter(assignment=mine).values_list("value", flat=True))
    assert after == before


def test_review_withdrawn_application_says_so(client, reviewer, applicant_a, two_reviews):
    mine, _theirs = two_reviews
    services.application_withdraw(application=mine.application, by=applicant_a)
    assert Application.objects.get(pk=mine.application_id).status == "withdrawn"
    client.force_login(reviewer)
    page = client.get(reverse("calls:review", args=[mine.pk])).content.decode()
    assert "Review has closed: the applicant withdrew this application." in page
