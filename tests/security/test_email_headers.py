"""Names and titles with control characters: refused at the form, and never able to break
an email subject (one header helper cleans every subject, for data already stored)."""

from __future__ import annotations

import pytest
from django.core import mail

from missions import services as mission_services
from missions.calls import services as call_services
from missions.calls.forms import CallForm, CriterionForm, DecisionTemplateForm
from missions.calls.forms import QuestionForm as CallQuestionForm
from missions.calls.models import Application, DecisionTemplate
from missions.events.forms import AgendaItemForm, EventForm
from missions.events.forms import QuestionForm as EventQuestionForm
from missions.forms import DayForm, DuplicateForm, MissionForm, VisitForm
from organizations.forms import OrganizationForm, ProfileForm, SectorForm
from organizations.models import Organization
from organizations.services import organization_set_validation
from tests.conftest import outbox_cleared, wait_for
from tests.missions.calls.factories import make_applicant, make_application, make_us_org
from tests.missions.events.factories import make_event, make_member, register
from tests.missions.factories import at, make_visit

from ..factories import make_organization, make_user


def test_validation_email_for_an_organisation_named_with_a_carriage_return(task_worker, organiser):
    manager = make_user("cr.manager@test.example.org")
    pending = make_organization("Evil\rCluster", validated=False, manager=manager)
    outbox_cleared()

    organization_set_validation(
        organization=pending, by=organiser, state=Organization.ValidationState.VALIDATED
    )

    assert wait_for(lambda: len(mail.outbox) >= 1)
    assert [m.subject for m in mail.outbox] == ["Evil Cluster is now in the directory"]


@pytest.fixture
def before_the_mission():
    """The mission is dated November 2018, and nothing is sent about a mission that has
    ended: the clock is set to October 2018 (and keeps ticking)."""
    import time_machine

    with time_machine.travel("2018-10-01 12:00 +0000", tick=True):
        yield


def test_change_email_for_an_item_titled_with_a_line_break(
    before_the_mission, task_worker, organiser, mission, day1, host_org, host_contact
):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00", title="Visit\r\nBcc: x@y")
    mission_services.mission_publish(mission=mission, by=organiser)
    outbox_cleared()

    mission_services.item_update(
        item=visit,
        by=organiser,
        starts_at=at("2018-11-06", "15:00"),
        ends_at=at("2018-11-06", "17:00"),
    )

    assert wait_for(lambda: len(mail.outbox) >= 1)
    assert mail.outbox[0].subject == (
        "[US cluster mission to the EU] Itinerary changed: Changed: Visit Bcc: x@y"
    )


def test_decision_email_for_an_organisation_named_with_a_carriage_return(
    before_the_mission, task_worker, call, organiser
):
    organization = make_us_org("Cluster\rOhio", "Ohio")
    application = make_application(
        call, make_applicant("cr.applicant@test.example.org", organization), organization
    )
    template = DecisionTemplate.objects.get(call=call, decision=Application.Status.SELECTED)
    call_services.decision_template_update(
        template=template, by=organiser, subject="Welcome, $organization", body="Hello."
    )
    call_services.decisions_prepare(
        call=call, by=organiser, decisions={application.pk: Application.Status.SELECTED}
    )
    outbox_cleared()

    call_services.decisions_send(call=call, by=organiser)

    assert wait_for(lambda: len(mail.outbox) >= 1)
    assert [m.subject for m in mail.outbox] == ["Welcome, Cluster Ohio"]


def test_registration_email_for_an_event_titled_with_a_carriage_return(
    task_worker, organiser, organization
):
    event = make_event(organiser, title="Round\rtable")
    person = make_member(organization, "cr.person@test.example.org")
    register(event, person, organization)

    assert wait_for(lambda: any(person.email in m.to for m in mail.outbox))
    subjects = [m.subject for m in mail.outbox if person.email in m.to]
    assert subjects == ["Your seat is confirmed: Round table"]


BAD = "Evil\rname"


@pytest.mark.parametrize(
    ("form_class", "field", "kwargs"),
    [
        (OrganizationForm, "name", {}),
        (SectorForm, "name", {}),
        (ProfileForm, "full_name", {}),
        (MissionForm, "title", {}),
        (DuplicateForm, "title", {}),
        (DayForm, "title", {}),
        (CallForm, "title", {}),
        (CallQuestionForm, "label", {}),
        (CriterionForm, "name", {}),
        (DecisionTemplateForm, "subject", {}),
        (EventForm, "title", {"user": "organiser"}),
        (EventQuestionForm, "label", {}),
    ],
)
def test_name_or_title_with_control_characters_is_refused_by_the_form(
    request, db, form_class, field, kwargs
):
    kwargs = {name: request.getfixturevalue(fixture) for name, fixture in kwargs.items()}
    prefix = getattr(form_class, "prefix", None)
    key = f"{prefix}-{field}" if prefix else field
    form = form_class(data={key: BAD}, **kwargs)
    assert not form.is_valid()
    assert "control_characters" in [error.code for error in form.errors.as_data()[field]]


def test_item_title_with_a_line_break_is_refused_by_the_form(organiser, day1):
    form = VisitForm(data={"title": "Visit\r\nBcc: x@y"}, day=day1)
    assert not form.is_valid()
    assert "control_characters" in [error.code for error in form.errors.as_data()["title"]]


def test_agenda_item_title_with_a_line_break_is_refused_by_the_form(organiser):
    event = make_event(organiser)
    form = AgendaItemForm(data={"title": "Panel\nBcc: x@y"}, event=event)
    assert not form.is_valid()
    assert "control_characters" in [error.code for error in form.errors.as_data()["title"]]


def test_name_with_a_tab_or_plain_text_passes_the_form(db):
    form = SectorForm(data={"name": "Clean tech"})
    assert form.is_valid(), form.errors
