"""A draft application (never submitted) is its applicant's alone: organisers, site
admins and reviewers get 404 for it and its files."""

from __future__ import annotations

import pytest
from django.urls import reverse

from missions.calls import services
from organizations.models import Role
from tests.missions.calls.factories import (
    PDF_BYTES,
    make_applicant,
    make_application,
    make_us_org,
    upload,
)

from ..factories import PASSWORD, make_user


@pytest.fixture
def site_admin(db):
    return make_user("admin@test.example.org", roles=(Role.SITE_ADMIN,))


@pytest.fixture
def draft(call, applicant_a, org_a):
    """A draft application with an attachment, never submitted."""
    application = make_application(call, applicant_a, org_a, submit=False)
    attachment = services.attachment_add(
        application=application, by=applicant_a, upload=upload(PDF_BYTES, "letter.pdf")
    )
    return application, attachment


@pytest.fixture
def reviewer_of_the_call(call, organiser):
    """A reviewer assigned to another, submitted application of the same call."""
    other = make_us_org("Lone Star E-Mobility Cluster", "Texas", "E-mobility")
    submitted = make_application(call, make_applicant("b@test.example.org", other), other)
    reviewer = make_user("reviewer.b@test.example.org", roles=(Role.REVIEWER,))
    services.reviewer_assign(application=submitted, reviewer=reviewer, by=organiser)
    return reviewer


def _draft_pages(call, application, attachment):
    return [
        reverse("calls:manage_application", args=[call.pk, application.pk]),
        reverse("calls:attachment", args=[attachment.pk]),
    ]


@pytest.mark.parametrize("who", ["organiser", "site_admin", "reviewer_of_the_call"])
def test_draft_application_and_its_attachment_are_hidden_from_others(
    client, request, call, draft, who
):
    user = request.getfixturevalue(who)
    client.login(email=user.email, password=PASSWORD)
    for url in _draft_pages(call, *draft):
        assert client.get(url).status_code == 404, url


def test_draft_application_and_its_attachment_are_open_to_the_applicant(
    client, call, draft, applicant_a
):
    application, attachment = draft
    client.login(email=applicant_a.email, password=PASSWORD)
    assert client.get(reverse("calls:application", args=[application.pk])).status_code == 200
    response = client.get(reverse("calls:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_submitted_application_opens_to_its_organiser(client, call, draft, applicant_a, organiser):
    application, attachment = draft
    services.application_submit(application=application, by=applicant_a)
    client.login(email=organiser.email, password=PASSWORD)
    for url in _draft_pages(call, application, attachment):
        assert client.get(url).status_code == 200, url
