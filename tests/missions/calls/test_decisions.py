"""Decisions: prepared, sent in one batch, one email each even when a task runs twice;
selected applicants join the delegation; a withdrawal promotes the waiting list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from missions.calls import services
from missions.calls.models import Application, DecisionTemplate
from missions.calls.tasks import task_decision_email
from missions.models import DelegationMember
from tests.missions.factories import make_mission

from ...conftest import outbox_cleared, wait_for
from .factories import make_applicant, make_application, make_us_org


@pytest.fixture
def mission(organiser):
    """A mission still ahead: its decisions are emailed (nothing is, once a mission ended)."""
    start = timezone.localdate() + dt.timedelta(days=60)
    return make_mission(
        organiser, start=start.isoformat(), end=(start + dt.timedelta(days=3)).isoformat()
    )


S = Application.Status


@pytest.fixture
def three(call):
    """Three submitted applications from three organisations in three states."""
    applications = []
    for number, state in enumerate(("Ohio", "Texas", "Maryland")):
        organization = make_us_org(f"Cluster {state}", state)
        user = make_applicant(f"decide{number}@test.example.org", organization)
        applications.append(make_application(call, user, organization))
    return applications


def test_decision_emails_are_sent_exactly_once_when_the_task_runs_twice(
    task_worker, call, three, organiser, mailoutbox, settings
):
    settings.SITE_URL = "http://testserver.example.org"
    first, second, third = three
    outbox_cleared()  # the submissions' confirmations
    template = DecisionTemplate.objects.get(call=call, decision=S.SELECTED)
    services.decision_template_update(
        template=template,
        by=organiser,
        subject="Welcome, $organization",
        body="Dear $contact_name, see you in $mission.",
    )
    services.decisions_prepare(
        call=call,
        by=organiser,
        decisions={first.pk: S.SELECTED, second.pk: S.WAITLISTED, third.pk: S.REJECTED},
    )
    assert mail.outbox == []  # prepared only
    assert services.decisions_send(call=call, by=organiser) == 3
    assert wait_for(lambda: len(mail.outbox) == 3)
    # The same tasks again, through the worker and in-process: nothing more is sent.
    for application in three:
        task_decision_email.delay(application_id=application.pk).get(timeout=15)
        task_decision_email.apply(kwargs={"application_id": application.pk})
    assert len(mail.outbox) == 3
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient[first.contact.email].subject == "Welcome, Cluster Ohio"
    assert by_recipient[first.contact.email].body == (
        f"Dear {first.contact.get_full_name()}, see you in {call.mission.title}.\n\n"
        f"Your application: http://testserver.example.org/calls/applications/{first.pk}/"
    )
    assert "waiting list" in by_recipient[second.contact.email].body
    assert "(position 1)" in by_recipient[second.contact.email].body
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: S.SELECTED, second.pk: S.WAITLISTED, third.pk: S.REJECTED}
    members = DelegationMember.objects.filter(delegation__mission=call.mission)
    assert [(m.user_id, m.organization_id) for m in members] == [
        (first.contact_id, first.organization_id)
    ]


def test_withdrawal_of_a_selected_one_promotes_the_first_waitlisted(
    task_worker, call, three, organiser, mailoutbox
):
    first, second, third = three
    outbox_cleared()  # the submissions' confirmations
    services.decisions_prepare(
        call=call,
        by=organiser,
        decisions={first.pk: S.SELECTED, second.pk: S.WAITLISTED, third.pk: S.WAITLISTED},
        waitlist=[third.pk, second.pk],
    )
    services.decisions_send(call=call, by=organiser)
    assert wait_for(lambda: len(mail.outbox) == 3)
    services.application_withdraw(application=first, by=first.contact)
    assert wait_for(lambda: len(mail.outbox) == 4)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: S.WITHDRAWN, second.pk: S.WAITLISTED, third.pk: S.SELECTED}
    members = DelegationMember.objects.filter(delegation__mission=call.mission)
    assert [m.user_id for m in members] == [third.contact_id]
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].to == [third.contact.email]
    assert "selected" in mail.outbox[-1].subject
    history = third.status_changes.values_list("from_status", "to_status", "note")
    assert list(history)[-1] == ("waitlisted", "selected", "Promoted from the waiting list")


def test_prepare_refuses_more_than_the_maximum(call, three, organiser):
    call.max_delegates = 2
    call.save()
    with pytest.raises(ValidationError, match="at most 2"):
        services.decisions_prepare(
            call=call, by=organiser, decisions={a.pk: S.SELECTED for a in three}
        )
    assert not Application.objects.exclude(decision_pending="").exists()


def test_prepare_refuses_two_from_one_organisation(call, organiser, org_a, applicant_a):
    colleague = make_applicant("colleague@test.example.org", org_a)
    applications = [make_application(call, u, org_a) for u in (applicant_a, colleague)]
    with pytest.raises(ValidationError, match="from Front Range"):
        services.decisions_prepare(
            call=call, by=organiser, decisions={a.pk: S.SELECTED for a in applications}
        )


def test_only_organisers_decide(call, three, applicant_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decisions_prepare(call=call, by=applicant_a, decisions={three[0].pk: S.SELECTED})
    with pytest.raises(PermissionDenied):
        services.decisions_send(call=call, by=applicant_a)


def test_propose_uses_scores_and_quotas(call, three, organiser, assigned_reviewer):
    from missions.calls.models import Quota

    from .factories import score_all

    for application, fit in zip(three, (5, 1, 3), strict=True):
        assignment = services.reviewer_assign(
            application=application, reviewer=assigned_reviewer, by=organiser
        )
        score_all(assignment, assigned_reviewer, fit, 5)
    call.max_delegates = 2
    call.save()
    proposal = services.selection_propose(call=call, by=organiser)
    assert proposal.selected == tuple(sorted((three[0].pk, three[2].pk)))
    services.quota_set(call=call, by=organiser, kind=Quota.Kind.PER_STATE_MAX, key="Ohio", number=0)
    proposal = services.selection_propose(call=call, by=organiser)
    assert proposal.selected == tuple(sorted((three[1].pk, three[2].pk)))


def test_a_proposal_is_kept_for_its_problem_and_a_revised_review_changes_it(
    client, call, three, organiser, assigned_reviewer, mission
):
    from django.core.cache import cache
    from django.urls import reverse

    from missions.calls import selectors
    from missions.calls.services.decisions import _proposal_key

    from .factories import make_call, score_all

    assignments = []
    for application, fit in zip(three, (5, 1, 3), strict=True):
        assignment = services.reviewer_assign(
            application=application, reviewer=assigned_reviewer, by=organiser
        )
        score_all(assignment, assigned_reviewer, fit, 5)
        assignments.append(assignment)
    call.max_delegates = 1
    call.save()
    client.force_login(organiser)
    url = reverse("calls:ranking", kwargs={"pk": call.pk})

    first = client.post(url)
    # The reviewer revises a score: the next proposal sees it at once.
    score_all(assignments[1], assigned_reviewer, 5, 10)
    second = client.post(url)

    assert first.url == f"{url}?selected={three[0].pk}"
    assert second.url == f"{url}?selected={three[1].pk}"
    # Each answer is kept under its own problem, and the call is part of the key.
    kept = cache.get(_proposal_key(call, *selectors.selection_problem(call)))
    assert kept.selected == (three[1].pk,)
    other = make_call(organiser, mission, title="Another call")
    limits = selectors.selection_limits(call)
    assert _proposal_key(call, [], limits) != _proposal_key(other, [], limits)


def test_selected_applicant_may_withdraw_after_the_deadline(call, three, organiser):
    import datetime as dt

    import time_machine

    first, second, _third = three
    services.decisions_prepare(
        call=call, by=organiser, decisions={first.pk: S.SELECTED, second.pk: S.WAITLISTED}
    )
    services.decisions_send(call=call, by=organiser)
    with time_machine.travel(call.closes_at + dt.timedelta(days=20), tick=False):
        services.application_withdraw(application=first, by=first.contact)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.WITHDRAWN, S.SELECTED)
    members = DelegationMember.objects.filter(delegation__mission=call.mission)
    assert [m.user_id for m in members] == [second.contact_id]


def test_the_decision_email_links_to_the_application_once(
    task_worker, call, three, organiser, client, mailoutbox
):
    first, second, _third = three
    outbox_cleared()  # the submissions' confirmations
    template = DecisionTemplate.objects.get(call=call, decision=S.SELECTED)
    services.decision_template_update(
        template=template, by=organiser, subject="Selected", body="See $application_url now."
    )
    services.decisions_prepare(
        call=call, by=organiser, decisions={first.pk: S.SELECTED, second.pk: S.REJECTED}
    )
    services.decisions_send(call=call, by=organiser)

    assert wait_for(lambda: len(mail.outbox) == 2)
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    first_link = f"/calls/applications/{first.pk}/"
    assert by_recipient[first.contact.email].count(first_link) == 1
    assert by_recipient[first.contact.email].startswith("See http://127.0.0.1:8000" + first_link)
    assert by_recipient[second.contact.email].endswith(
        f"Your application: http://127.0.0.1:8000/calls/applications/{second.pk}/"
    )
    # The link opens the application for its applicant, and for nobody else.
    client.force_login(first.contact)
    assert client.get(first_link).status_code == 200
    client.force_login(second.contact)
    assert client.get(first_link).status_code == 404
