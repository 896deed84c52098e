"""The application workflow: drafts, deadline, submission, withdrawal, history."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from missions.calls import services
from missions.calls.models import Application, StatusChange

from .factories import complete_answers, make_application, make_call

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DEADLINE = dt.datetime(2018, 9, 14, 17, 0, tzinfo=NEW_YORK)


@pytest.fixture
def deadline_call(organiser, mission):
    return make_call(
        organiser, mission, opens_at=DEADLINE - dt.timedelta(days=30), closes_at=DEADLINE
    )


def test_submit_one_second_before_the_deadline_is_accepted(deadline_call, applicant_a, org_a):
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        application = services.application_start(
            call=deadline_call, by=applicant_a, organization=org_a
        )
        services.application_save_draft(
            application=application, by=applicant_a, answers=complete_answers(deadline_call)
        )
    with time_machine.travel(DEADLINE - dt.timedelta(seconds=1), tick=False):
        services.application_submit(application=application, by=applicant_a)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at == DEADLINE - dt.timedelta(seconds=1)


def test_submit_one_second_late_is_refused_and_stores_nothing(deadline_call, applicant_a, org_a):
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        application = services.application_start(
            call=deadline_call, by=applicant_a, organization=org_a
        )
    answers = complete_answers(deadline_call)
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError, match="deadline has passed"):
            services.application_submit(application=application, by=applicant_a, answers=answers)
        with pytest.raises(ValidationError, match="deadline has passed"):
            services.application_save_draft(
                application=application, by=applicant_a, answers=answers
            )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.answers == {}
    assert application.submitted_at is None
    assert not StatusChange.objects.filter(application=application).exists()


def test_exactly_at_the_deadline_is_late(deadline_call, applicant_a, org_a):
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        application = services.application_start(
            call=deadline_call, by=applicant_a, organization=org_a
        )
    with time_machine.travel(DEADLINE, tick=False), pytest.raises(ValidationError):
        services.application_save_draft(application=application, by=applicant_a, answers={})


def test_start_before_opening_is_refused(deadline_call, applicant_a, org_a):
    with (
        time_machine.travel(DEADLINE - dt.timedelta(days=31), tick=False),
        pytest.raises(ValidationError, match="not open yet"),
    ):
        services.application_start(call=deadline_call, by=applicant_a, organization=org_a)
    assert not Application.objects.exists()


def test_submitted_application_is_edited_until_the_deadline(call, application_a, applicant_a):
    answers = complete_answers(call) | {
        str(call.questions.get(label="Motivation").pk): "Updated motivation."
    }
    services.application_save_draft(application=application_a, by=applicant_a, answers=answers)
    application_a.refresh_from_db()
    assert application_a.status == Application.Status.SUBMITTED
    assert "Updated motivation." in application_a.answers.values()


def test_start_only_for_own_organization(call, applicant_a, org_b):
    with pytest.raises(ValidationError, match="organisation you belong to"):
        services.application_start(call=call, by=applicant_a, organization=org_b)


def test_start_twice_returns_the_live_application(call, applicant_a, org_a):
    first = services.application_start(call=call, by=applicant_a, organization=org_a)
    second = services.application_start(call=call, by=applicant_a, organization=org_a)
    assert first.pk == second.pk


def test_another_person_cannot_edit_the_application(application_a, applicant_b, call):
    with pytest.raises(PermissionDenied):
        services.application_save_draft(
            application=application_a, by=applicant_b, answers=complete_answers(call)
        )


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("Motivation", "x" * 201, "limited to 200 characters"),
        ("Your role", "x" * 501, "limited to 500 characters"),
        ("Your role", 12, "must be text"),
        ("Main sector", "Nuclear", "Choose one of the offered"),
        ("Interests", ["Visits", "Visits"], "Choose among"),
        ("Interests", "Visits", "Choose among"),
        ("Can you travel?", "yes", "Answer yes or no"),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(call, applicant_a, org_a, label, value, message):
    application = services.application_start(call=call, by=applicant_a, organization=org_a)
    answers = complete_answers(call) | {str(call.questions.get(label=label).pk): value}
    with pytest.raises(ValidationError, match=message):
        services.application_save_draft(application=application, by=applicant_a, answers=answers)
    application.refresh_from_db()
    assert application.answers == {}


def test_junk_answers_are_refused(call, applicant_a, org_a):
    application = services.application_start(call=call, by=applicant_a, organization=org_a)
    for junk in (["not", "a", "dict"], {"999999": "unknown question"}, "text"):
        with pytest.raises(ValidationError):
            services.application_save_draft(application=application, by=applicant_a, answers=junk)


def test_submit_requires_every_required_answer(call, applicant_a, org_a):
    application = services.application_start(call=call, by=applicant_a, organization=org_a)
    partial = complete_answers(call)
    del partial[str(call.questions.get(label="Motivation").pk)]
    services.application_save_draft(application=application, by=applicant_a, answers=partial)
    with pytest.raises(ValidationError, match="needs an answer"):
        services.application_submit(application=application, by=applicant_a)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_every_status_change_is_recorded(call, application_a, applicant_a, organiser):
    services.application_withdraw(application=application_a, by=applicant_a)
    history = list(
        StatusChange.objects.filter(application=application_a).values_list(
            "from_status", "to_status", "by__email"
        )
    )
    assert history == [
        ("draft", "submitted", applicant_a.email),
        ("submitted", "withdrawn", applicant_a.email),
    ]


def test_withdrawn_person_may_apply_again(call, application_a, applicant_a, org_a):
    services.application_withdraw(application=application_a, by=applicant_a)
    again = make_application(call, applicant_a, org_a, submit=False)
    assert again.pk != application_a.pk
