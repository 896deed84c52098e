"""Every database constraint a form can reach is caught by that form, in words of its own.

The database constraints (``Meta.constraints``) are the last line: when one of them is the
first to refuse, the person sees ``Constraint "event_ends_after_start" is violated.``. So
every ``CheckConstraint`` and ``UniqueConstraint`` of our apps is listed here, once:

- ``FORM_CASES``: the form that can reach it, and the data that would break it. The test
  submits that data to the form and expects an error naming the problem in words, never
  "Constraint … is violated" nor the constraint's name;
- ``SERVICE_CASES``: constraints that depend on rows the form cannot see (a second
  registration of the same person): the form's data goes to the service the view calls,
  as the view does, and the refusal lands on the form in words;
- ``UNREACHABLE``: constraints no form can break, with the reason.

A constraint added to a model without an entry here fails ``test_every_constraint_is_listed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, UniqueConstraint
from django.http import QueryDict
from django.utils import timezone

from common.views import add_error_to_form
from organizations.models import Role

from .factories import make_organization, make_user
from .missions.factories import make_day, make_mission, make_visit

OUR_APPS = ("organizations", "missions", "matchmaking", "programmes", "reports", "common")

NEXT_YEAR = timezone.now().year + 1


def _all_constraints() -> dict[str, str]:
    """Constraint name -> model label, for every model of our apps."""
    found = {}
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in OUR_APPS:
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, (CheckConstraint, UniqueConstraint)):
                found[constraint.name] = model._meta.label
    return found


def _post(data: dict) -> QueryDict:
    """Form data as a request brings it (lists for the multiple choices)."""
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, [str(v) for v in value] if isinstance(value, list) else [value])
    return query


def _organization_value(form_class, field: str, organization) -> str:
    """How a form takes an organisation: its id in a select, its name typed otherwise."""
    from django.forms import ModelChoiceField

    if type(form_class.base_fields[field]) in (ModelChoiceField,):
        return str(organization.pk)
    return organization.name


def _messages(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


# -- the forms, bound to data ---------------------------------------------------------


def _mission_form(world, **data):
    from missions.forms import MissionForm

    base = {
        "title": "Mission",
        "direction": "us_to_eu",
        "start_date": f"{NEXT_YEAR}-05-04",
        "end_date": f"{NEXT_YEAR}-05-08",
        "time_zone": "Europe/Copenhagen",
    }
    return MissionForm(_post({**base, **data}))


def _visit_form(world, **data):
    from missions.forms import VisitForm

    base = {
        "title": "Visit",
        "start_time": "10:00",
        "end_time": "11:00",
        "time_zone": "Europe/Copenhagen",
        "hosts": [world["host"].name],
        "visit_status": "proposed",
        "venue_name": "BLOXHUB",
        "latitude": "55.6",
        "longitude": "12.5",
    }
    return VisitForm(_post({**base, **data}), day=world["day"])


def _session_item_form(world, **data):
    from missions.forms import SessionForm

    base = {
        "title": "Roundtable",
        "start_time": "10:00",
        "end_time": "11:00",
        "time_zone": "Europe/Copenhagen",
        "session_kind": "roundtable",
    }
    return SessionForm(_post({**base, **data}), day=world["day"])


def _travel_form(world, **data):
    from missions.forms import TravelForm

    base = {
        "title": "Train",
        "start_time": "10:00",
        "end_time": "11:00",
        "time_zone": "Europe/Copenhagen",
        "from_city": "Copenhagen",
        "to_city": "Malmö",
        "travel_mode": "train",
    }
    return TravelForm(_post({**base, **data}), day=world["day"])


def _propose_form(world, **data):
    from missions.forms import ProposeTimeForm

    base = {"date": "2018-11-06", "start_time": "10:00", "end_time": "11:00"}
    return ProposeTimeForm(_post({**base, **data}), item=world["visit"])


def _event_form(world, **data):
    from missions.events.forms import EventForm

    base = {
        "title": "Roundtable",
        "kind": "roundtable",
        "time_zone": "Europe/Copenhagen",
        "starts_at": f"{NEXT_YEAR}-05-04T10:00",
        "ends_at": f"{NEXT_YEAR}-05-04T12:00",
        "registration_opens_at": f"{NEXT_YEAR}-04-01T10:00",
        "registration_deadline": f"{NEXT_YEAR}-05-01T10:00",
        "capacity": "20",
        "offer_hours": "48",
    }
    return EventForm(_post({**base, **data}), user=world["organiser"])


def _agenda_form(world, **data):
    from missions.events.forms import AgendaItemForm

    base = {
        "title": "Welcome",
        "kind": "talk",
        "starts_at": f"{NEXT_YEAR}-05-04T10:00",
        "ends_at": f"{NEXT_YEAR}-05-04T10:30",
    }
    return AgendaItemForm(_post({**base, **data}), event=world["event"])


def _call_form(world, **data):
    from missions.calls.forms import CallForm

    base = {
        "title": "Call",
        "time_zone": "Europe/Copenhagen",
        "opens_at": f"{NEXT_YEAR}-01-04T10:00",
        "closes_at": f"{NEXT_YEAR}-02-04T10:00",
        "max_delegates": "10",
        "max_per_organization": "2",
        "conflict_rule": "organization",
        "reviews_per_application": "2",
    }
    return CallForm(_post({**base, **data}))


def _call_question_form(world, **data):
    from missions.calls.forms import QuestionForm

    base = {"kind": "text", "label": "Why?", "max_length": "500", "position": "1"}
    return QuestionForm(_post({f"question-{k}": v for k, v in {**base, **data}.items()}))


def _criterion_form(world, **data):
    from missions.calls.forms import CriterionForm

    base = {"name": "Fit", "weight": "1", "scale_max": "5", "position": "1"}
    return CriterionForm(_post({f"criterion-{k}": v for k, v in {**base, **data}.items()}))


def _score_form(world, **data):
    from missions.calls.forms import ScoreForm
    from missions.calls.models import Criterion

    criterion = Criterion(pk=1, name="Fit", weight=1, scale_max=5)
    return ScoreForm(_post({"c_1": "3", **data}), criteria=[criterion])


def _organization_form(world, **data):
    from organizations.forms import OrganizationForm

    base = {"name": "Cluster", "kind": "cluster", "country": "DK", "city": "Aarhus"}
    return OrganizationForm(_post({**base, **data}))


def _mm_session_form(world, **data):
    from matchmaking.forms import SessionForm

    base = {
        "title": "B2B",
        "time_zone": "Europe/Berlin",
        "meeting_minutes": "30",
        "phase": "draft",
        "request_expiry_days": "7",
        "max_meetings_per_participant": "8",
    }
    return SessionForm(_post({**base, **data}))


def _mm_day_form(world, **data):
    from matchmaking.forms import DayForm

    base = {"date": f"{NEXT_YEAR}-05-04", "start_time": "09:00", "end_time": "12:00"}
    return DayForm(_post({**base, **data}))


def _mm_tables_form(world, **data):
    from matchmaking.forms import TablesForm

    return TablesForm(_post({"count": "2", "prefix": "Table", "seats": "2", **data}))


def _mm_profile_form(world, **data):
    from matchmaking.forms import ProfileForm

    base = {"side": "eu", "attendees": "1"}
    return ProfileForm(
        _post({**base, **data}), session=world["mm_session"], user=world["organiser"]
    )


def _mm_outcome_form(world, **data):
    from matchmaking.views.agenda import OutcomeForm

    return OutcomeForm(_post({"rating": "3", "agreement_signed": "none", **data}))


def _programme_form(world, **data):
    from programmes.forms import ProgrammeForm

    base = {
        "name": "Programme",
        "funder": "EC",
        "starts_on": "2020-01-01",
        "ends_on": "2024-12-31",
    }
    return ProgrammeForm(_post({**base, **data}))


def _partnership_form(world, **data):
    from programmes.forms import PartnershipForm

    base = {"name": "Partnership", "starts_on": "2020-01-01", "partners": [world["host"].name]}
    return PartnershipForm(_post({**base, **data}))


def _survey_form(world, **data):
    from reports.forms import SurveyAnswerForm

    base = {"overall_rating": "4", "contacts_made": "0", "collaborations_planned": "0"}
    return SurveyAnswerForm(_post({**base, **data}))


# Constraint name -> (the form that reaches it, the data that would break it, a word the
# form's message must contain). Each form is first shown valid without that data.
FORM_CASES: dict[str, tuple[Callable, dict, str]] = {
    "organization_latitude_range": (_organization_form, {"latitude": "91", "longitude": "0"}, "90"),
    "organization_longitude_range": (
        _organization_form,
        {"latitude": "0", "longitude": "181"},
        "180",
    ),
    "organization_coordinates_both_or_neither": (
        _organization_form,
        {"latitude": "10"},
        "both latitude and longitude",
    ),
    "mission_end_not_before_start": (
        _mission_form,
        {"start_date": f"{NEXT_YEAR}-05-08", "end_date": f"{NEXT_YEAR}-05-04"},
        "before the first day",
    ),
    "itinerary_item_ends_after_start": (
        _visit_form,
        {"start_time": "11:00", "end_time": "10:00"},
        "end must be after the start",
    ),
    "itinerary_item_travel_has_cities": (_travel_form, {"to_city": ""}, "required"),
    "itinerary_item_visit_has_status": (_visit_form, {"visit_status": "junk"}, "valid choice"),
    "itinerary_item_session_has_kind": (_session_item_form, {"session_kind": ""}, "required"),
    "itinerary_item_proposal_ends_after_start": (
        _propose_form,
        {"start_time": "11:00", "end_time": "10:00"},
        "end must be after the start",
    ),
    "itinerary_item_coordinates_valid": (
        _visit_form,
        {"latitude": "91", "longitude": "200"},
        "90",
    ),
    "call_closes_after_opening": (
        _call_form,
        {"closes_at": f"{NEXT_YEAR}-01-01T10:00"},
        "deadline must come after the opening",
    ),
    "call_max_delegates_positive": (_call_form, {"max_delegates": "0"}, "greater than or equal"),
    "call_max_per_organization_positive": (
        _call_form,
        {"max_per_organization": "0"},
        "greater than or equal",
    ),
    "question_max_length_range": (
        _call_question_form,
        {"max_length": "20001"},
        "less than or equal",
    ),
    "criterion_weight_range": (_criterion_form, {"weight": "0"}, "greater than or equal"),
    "criterion_scale_range": (_criterion_form, {"scale_max": "101"}, "less than or equal"),
    "score_value_range": (_score_form, {"c_1": "6"}, "less than or equal"),
    "event_ends_after_start": (
        _event_form,
        {"ends_at": f"{NEXT_YEAR}-05-04T09:00"},
        "must end after it starts",
    ),
    "event_capacity_not_negative": (_event_form, {"capacity": "-1"}, "greater than or equal"),
    "event_offer_hours_positive": (_event_form, {"offer_hours": "0"}, "greater than or equal"),
    "event_deadline_after_opening": (
        _event_form,
        {"registration_deadline": f"{NEXT_YEAR}-03-01T10:00"},
        "deadline must come after registration opens",
    ),
    "event_coordinates_valid": (_event_form, {"latitude": "91", "longitude": "0"}, "90"),
    "agenda_item_ends_after_start": (
        _agenda_form,
        {"ends_at": f"{NEXT_YEAR}-05-04T09:00"},
        "must end after it starts",
    ),
    "mm_session_meeting_minutes_min": (
        _mm_session_form,
        {"meeting_minutes": "4"},
        "greater than or equal",
    ),
    "mm_session_max_meetings_positive": (
        _mm_session_form,
        {"max_meetings_per_participant": "0"},
        "greater than or equal",
    ),
    "mm_session_expiry_positive": (
        _mm_session_form,
        {"request_expiry_days": "0"},
        "greater than or equal",
    ),
    "mm_table_seats_positive": (_mm_tables_form, {"seats": "0"}, "greater than or equal"),
    "mm_participant_attendees_positive": (
        _mm_profile_form,
        {"attendees": "0"},
        "greater than or equal",
    ),
    "mm_participant_max_meetings_positive": (
        _mm_profile_form,
        {"max_meetings": "0"},
        "greater than or equal",
    ),
    "mm_day_ends_after_start": (
        _mm_day_form,
        {"start_time": "12:00", "end_time": "09:00"},
        "end after the first starts",
    ),
    "mm_outcome_rating_range": (_mm_outcome_form, {"rating": "6"}, "valid choice"),
    "programme_ends_not_before_start": (
        _programme_form,
        {"ends_on": "2019-12-31"},
        "ends before it starts",
    ),
    "partnership_ends_not_before_start": (
        _partnership_form,
        {"ends_on": "2019-12-31"},
        "ends before it starts",
    ),
    "survey_response_rating_1_to_5": (_survey_form, {"overall_rating": "6"}, "valid choice"),
}


# -- constraints that need rows the form cannot see: form, then the view's service -----


def _day_twice(world) -> list[str]:
    from missions import services
    from missions.forms import DayForm

    form = DayForm({"date": "2018-11-06", "title": "Again"})
    assert form.is_valid(), form.errors
    try:
        services.day_create(mission=world["mission"], by=world["organiser"], **form.cleaned_data)
    except ValidationError as error:
        add_error_to_form(form, error)
    return _messages(form)


def _delegate_twice(world) -> list[str]:
    from missions import services
    from missions.forms import DelegationMemberForm

    person = make_user("delegate@example.org")
    data = {"email": person.email, "organization": world["host"].name, "role": "member"}
    messages = []
    for _attempt in range(2):
        form = DelegationMemberForm(data)
        assert form.is_valid(), form.errors
        try:
            services.delegation_member_add(
                mission=world["mission"],
                by=world["organiser"],
                user=form.cleaned_data["user"],
                organization=form.cleaned_data["organization"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_error_to_form(form, error)
        messages = _messages(form)
    return messages


def _second_head(world) -> list[str]:
    from missions import services
    from missions.forms import DelegationMemberForm

    messages = []
    for number in range(2):
        person = make_user(f"head{number}@example.org")
        form = DelegationMemberForm(
            {"email": person.email, "organization": world["host"].name, "role": "head"}
        )
        assert form.is_valid(), form.errors
        try:
            services.delegation_member_add(
                mission=world["mission"],
                by=world["organiser"],
                user=form.cleaned_data["user"],
                organization=form.cleaned_data["organization"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_error_to_form(form, error)
        messages = _messages(form)
    return messages


def _registration_twice(world) -> list[str]:
    from missions.events import services
    from missions.events.forms import RegistrationForm

    manager = make_user("manager@example.org", roles=(Role.EU_CLUSTER_MANAGER,))
    organization = make_organization("Registering Cluster", manager=manager)
    event = world["event"]
    messages = []
    for _attempt in range(2):
        form = RegistrationForm({"organization": organization.pk}, event=event, user=manager)
        assert form.is_valid(), form.errors
        try:
            services.registration_create(event=event, user=manager, **form.service_arguments())
        except ValidationError as error:
            add_error_to_form(form, error)
        messages = _messages(form)
    return messages


def _mm_day_twice(world) -> list[str]:
    from matchmaking.services import sessions as services

    session = world["mm_session"]
    date = session.days.first().date.isoformat()
    form = _mm_day_form(world, date=date)
    assert form.is_valid(), form.errors
    try:
        services.day_add(
            session=session, by=world["organiser"], spec=services.DaySpec(**form.cleaned_data)
        )
    except ValidationError as error:
        add_error_to_form(form, error)
    return _messages(form)


def _reviewer_twice(world) -> list[str]:
    from missions.calls import services
    from missions.calls.forms import AssignForm
    from organizations.models import User
    from tests.missions.calls.factories import (
        make_applicant,
        make_application,
        make_call,
        make_us_org,
    )

    mission = make_mission(world["organiser"], start=f"{NEXT_YEAR}-05-04", end=f"{NEXT_YEAR}-05-08")
    call = make_call(world["organiser"], mission)
    organization = make_us_org("Front Range Energy Cluster", "Colorado")
    applicant = make_applicant("applicant@example.org", organization)
    application = make_application(call, applicant, organization)
    reviewer = make_user("reviewer@example.org", roles=(Role.REVIEWER,))
    messages = []
    for _attempt in range(2):
        form = AssignForm({"reviewer": reviewer.email}, reviewers=User.objects.all(), call=call)
        assert form.is_valid(), form.errors
        try:
            services.reviewer_assign(
                application=application,
                reviewer=form.cleaned_data["reviewer"],
                by=world["organiser"],
            )
        except ValidationError as error:
            add_error_to_form(form, error)
        messages = _messages(form)
    return messages


# Constraint name -> what submits the form and then its service, twice where needed,
# returning the form's messages; and a word they must contain.
SERVICE_CASES: dict[str, tuple[Callable, str]] = {
    "itinerary_day_unique_date": (_day_twice, "already"),
    "delegation_member_unique_user": (_delegate_twice, "already"),
    "delegation_member_one_head": (_second_head, "head"),
    "registration_one_live_per_user": (_registration_twice, "already"),
    "mm_day_unique_date": (_mm_day_twice, "already has this day"),
    "review_assignment_unique": (_reviewer_twice, "already reviews it"),
}


# Constraint name -> why no form can break it: its columns are set by a service, not typed,
# or the service that the form calls updates the one existing row instead of adding one.
UNREACHABLE: dict[str, str] = {
    "user_email_unique_case_insensitive": "addresses are typed only in allauth's sign-up and "
    "email forms, which refuse an address already registered",
    "membership_unique_user_organization": "membership_add uses get_or_create",
    "invitation_one_open_per_address": "invitation_create renews the open invitation",
    "invitation_accepted_or_declined": "set by the accept and decline services",
    "itinerary_item_status_only_for_visits": "only the visit form has a status field",
    "quota_unique_key": "quota_set changes the call's quota of the same kind and key",
    "application_one_live_per_contact": "application_start returns the live application",
    "application_submitted_has_time": "set by application_submit",
    "review_assignment_conflict_not_scored": "set by conflict_declare and scores_submit",
    "score_unique_criterion": "the score form has one field per criterion",
    "decision_template_unique": "templates are made with the call; the form edits one",
    "registration_offer_has_expiry": "set by the waiting-list services",
    "registration_waitlist_has_time": "set by the waiting-list services",
    "mm_invitation_once": "invitations are created by session_invite_registrants",
    "mm_slot_unique_start": "slot_add refuses a slot that overlaps another, in words",
    "mm_slot_ends_after_start": "a slot's end is its start plus the meeting length",
    "mm_table_unique_name": "tables_add names new tables after the existing names",
    "mm_participant_one_per_user": "participant_create refuses a second profile, in words",
    "mm_request_not_to_oneself": "the pair is chosen by the services, not typed",
    "mm_request_pair_ordered": "the services order the pair",
    "mm_request_one_live_per_pair": "the request services refuse a second live request, in words",
    "mm_meeting_one_per_table_and_slot": "tables are chosen by the placing services",
    "mm_meeting_locked_has_slot": "set by the scheduling services",
    "mm_outcome_one_per_side": "the outcome service updates the side's one outcome",
    "mm_schedule_run_progress_range": "written by the scheduler",
    "programme_partner_unique": "the partner service uses update_or_create",
    "partnership_member_unique": "the partners field is a set: each organisation once",
    "outcome_exactly_one_source": "the source is the page the outcome is recorded from",
    "outcome_verified_has_time": "set by the verification service",
    "outcome_confirmation_one_per_organization": "written by the outcome services",
    "report_job_one_done_per_fingerprint": "report jobs are written by the report services",
    "report_job_one_target": "report jobs are written by the report services",
    "report_job_progress_at_most_100": "written by the report task",
    "report_text_one_target": "the target is the page the text is written on",
    "survey_one_target": "the target is the page the survey is made on",
    "survey_invitation_one_per_person": "invitations are written by the survey service",
    "survey_response_one_per_person": "the survey service updates the person's one response",
}


def test_every_constraint_is_listed():
    """A new constraint needs an entry: a form case, a service case or a reason."""
    listed = set(FORM_CASES) | set(SERVICE_CASES) | set(UNREACHABLE)
    constraints = _all_constraints()
    entries = [*FORM_CASES, *SERVICE_CASES, *UNREACHABLE]
    assert len(entries) == len(set(entries)), "a constraint is listed twice"
    missing = sorted(set(constraints) - listed)
    assert not missing, f"constraints without an entry in tests/test_constraints.py: {missing}"
    gone = sorted(listed - set(constraints))
    assert not gone, f"entries for constraints that no longer exist: {gone}"


@pytest.fixture
def world(db):
    organiser = make_user("organiser@example.org", roles=(Role.ORGANISER,))
    host = make_organization("Host Cluster")
    mission = make_mission(organiser)
    day = make_day(organiser, mission, "2018-11-06")
    visit = make_visit(organiser, day, [host])
    from tests.matchmaking.factories import make_session
    from tests.missions.events.factories import make_event

    return {
        "organiser": organiser,
        "host": host,
        "mission": mission,
        "day": day,
        "visit": visit,
        "event": make_event(organiser, starts_at=timezone.now() + dt.timedelta(days=30)),
        "mm_session": make_session(organiser),
    }


def _in_words(messages: list[str], name: str, expected: str) -> None:
    text = " ".join(messages)
    assert messages, f"{name}: the form accepted data the database refuses"
    assert "constraint" not in text.lower(), f"{name}: raw constraint text: {text}"
    assert name not in text, f"{name}: the constraint's name reached the form: {text}"
    assert expected.lower() in text.lower(), f"{name}: expected {expected!r} in {text!r}"


@pytest.mark.parametrize("name", sorted(FORM_CASES))
def test_form_catches_constraint_in_words(world, name):
    build, violating, expected = FORM_CASES[name]
    valid = build(world)
    assert valid.is_valid(), f"{name}: the base data should be valid: {valid.errors}"
    form = build(world, **violating)
    assert not form.is_valid()
    _in_words(_messages(form), name, expected)


@pytest.mark.parametrize("name", sorted(SERVICE_CASES))
def test_service_behind_form_refuses_constraint_in_words(world, name):
    submit, expected = SERVICE_CASES[name]
    _in_words(submit(world), name, expected)
