"""The events services: registering, seats, approval, the waiting list and its offers."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from missions.events import selectors, services
from missions.events.models import Event, Registration
from tests.factories import make_organization

from .factories import COPENHAGEN, make_event, register

pytestmark = pytest.mark.django_db

Status = Registration.Status
CPH = zoneinfo.ZoneInfo(COPENHAGEN)


def statuses(event: Event) -> list[str]:
    return list(event.registrations.order_by("created_at", "pk").values_list("status", flat=True))


# --- Registering without approval -------------------------------------------------------------


def test_registration_takes_seats_then_waitlists_in_order(event, members, organization):
    for member in members[:4]:
        register(event, member, organization)

    assert statuses(event) == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    third, fourth = event.registrations.filter(status=Status.WAITLISTED).order_by("pk")
    assert selectors.waitlist_position(third) == 1
    assert selectors.waitlist_position(fourth) == 2
    assert selectors.seat_counts(event).held == 2


def test_registration_without_waiting_list_is_refused_when_full(organiser, members, organization):
    event = make_event(organiser, capacity=1, waiting_list_enabled=False)
    register(event, members[0], organization)

    with pytest.raises(ValidationError, match="All seats are taken"):
        register(event, members[1], organization)

    assert statuses(event) == [Status.CONFIRMED]


def test_registration_keeps_the_form_answers(organiser, members, organization, sector):
    event = make_event(organiser)
    question = services.question_add(
        event=event, by=organiser, label="What would you like to learn?", required=True
    )

    registration = register(
        event,
        members[0],
        organization,
        role="Cluster manager",
        sectors_of_interest=[sector],
        wants_matchmaking=True,
        consent_to_list=True,
        answers={str(question.pk): "  Transatlantic links  "},
    )

    registration.refresh_from_db()
    assert registration.answers == {str(question.pk): "Transatlantic links"}
    assert registration.role == "Cluster manager"
    assert list(registration.sectors_of_interest.all()) == [sector]
    assert registration.wants_matchmaking and registration.consent_to_list


def test_registration_refuses_a_missing_required_answer(organiser, members, organization):
    event = make_event(organiser)
    services.question_add(event=event, by=organiser, label="Your cluster's size", required=True)

    with pytest.raises(ValidationError, match="Please answer “Your cluster's size”"):
        register(event, members[0], organization, answers={})


def test_registration_for_an_organization_one_does_not_belong_to_is_refused(event, members):
    stranger_org = make_organization("Another Cluster")

    with pytest.raises(ValidationError, match="organisation you belong to"):
        register(event, members[0], stranger_org)


def test_registering_twice_is_refused(event, members, organization):
    register(event, members[0], organization)

    with pytest.raises(ValidationError, match="You are already registered for this event."):
        register(event, members[0], organization)

    assert event.registrations.count() == 1


def test_registering_again_after_cancelling_is_allowed(event, members, organization):
    first = register(event, members[0], organization)
    services.registration_cancel(registration=first, by=members[0])

    again = register(event, members[0], organization)

    assert again.status == Status.CONFIRMED
    assert sorted(statuses(event)) == [Status.CANCELLED, Status.CONFIRMED]


def test_registering_for_a_cancelled_event_is_refused(event, organiser, members, organization):
    services.event_cancel(event=event, by=organiser)

    with pytest.raises(ValidationError, match="This event has been cancelled"):
        register(event, members[0], organization)


def test_registering_for_a_draft_event_is_refused(organiser, members, organization):
    draft = make_event(organiser, publish=False)

    with pytest.raises(ValidationError, match="not open for registration"):
        register(draft, members[0], organization)


@pytest.mark.parametrize(
    ("offset", "accepted"), [(dt.timedelta(seconds=-1), True), (dt.timedelta(seconds=1), False)]
)
def test_deadline_one_second_before_and_after(organiser, members, organization, offset, accepted):
    # "26 October 2018 14:00 CET", as the 2018 roundtable's page said: Copenhagen was still on
    # summer time until 28 October, so 14:00 on its clocks was 14:00 CEST (12:00 UTC).
    deadline = dt.datetime(2018, 10, 26, 14, 0, tzinfo=CPH)
    with time_machine.travel(dt.datetime(2018, 10, 1, tzinfo=CPH), tick=False):
        event = make_event(
            organiser, starts_at=dt.datetime(2018, 11, 6, 8, 30, tzinfo=CPH), deadline=deadline
        )
    with time_machine.travel(deadline + offset, tick=False):
        if accepted:
            assert register(event, members[0], organization).status == Status.CONFIRMED
        else:
            with pytest.raises(
                ValidationError,
                match=r"The registration deadline \(Oct. 26, 2018, 2 p.m. CEST\) has passed.",
            ):
                register(event, members[0], organization)


def test_registration_before_opening_is_refused(organiser, members, organization):
    opens = dt.datetime(2018, 9, 1, 9, 0, tzinfo=CPH)
    with time_machine.travel(dt.datetime(2018, 8, 1, tzinfo=CPH), tick=False):
        event = make_event(
            organiser,
            starts_at=dt.datetime(2018, 11, 6, 8, 30, tzinfo=CPH),
            registration_opens_at=opens,
        )
        with pytest.raises(ValidationError, match="Registration opens on"):
            register(event, members[0], organization)


def test_event_create_refuses_naive_datetimes(organiser):
    with pytest.raises(ValidationError, match="has no time zone"):
        make_event(organiser, starts_at=dt.datetime(2030, 1, 1, 9, 0))


def test_event_create_is_for_organisers_only(cluster_manager):
    with pytest.raises(PermissionDenied):
        make_event(cluster_manager)


# --- Approval ---------------------------------------------------------------------------------


def test_with_approval_registrations_wait_and_hold_no_seat(approval_event, members, organization):
    for member in members[:3]:
        register(approval_event, member, organization)

    assert statuses(approval_event) == [Status.PENDING] * 3
    assert selectors.seat_counts(approval_event).held == 0


def test_bulk_approval_gives_seats_in_order_then_waitlists(
    approval_event, organiser, members, organization
):
    registrations = [register(approval_event, member, organization) for member in members[:3]]

    result = services.registrations_decide(
        event=approval_event,
        by=organiser,
        registration_ids=[r.pk for r in registrations],
        approve=True,
        message="Welcome to Copenhagen!",
    )

    assert [r.user for r in result.approved] == members[:2]
    assert [r.user for r in result.waitlisted] == [members[2]]
    assert statuses(approval_event) == [Status.APPROVED, Status.APPROVED, Status.WAITLISTED]
    assert Registration.objects.get(pk=registrations[0].pk).decision_message == (
        "Welcome to Copenhagen!"
    )


def test_approval_when_full_without_waiting_list_is_refused(organiser, members, organization):
    event = make_event(organiser, capacity=1, approval_required=True, waiting_list_enabled=False)
    first, second = (register(event, member, organization) for member in members[:2])

    result = services.registrations_decide(
        event=event, by=organiser, registration_ids=[first.pk, second.pk], approve=True
    )

    assert [r.pk for r in result.approved] == [first.pk]
    assert [r.pk for r in result.refused] == [second.pk]
    assert statuses(event) == [Status.APPROVED, Status.PENDING]


def test_rejecting_an_approved_registration_offers_the_seat(
    approval_event, organiser, members, organization
):
    registrations = [register(approval_event, member, organization) for member in members[:3]]
    services.registrations_decide(
        event=approval_event,
        by=organiser,
        registration_ids=[r.pk for r in registrations],
        approve=True,
    )

    services.registrations_decide(
        event=approval_event,
        by=organiser,
        registration_ids=[registrations[0].pk],
        approve=False,
        message="Only one person per cluster, sorry.",
    )

    assert statuses(approval_event) == [Status.REJECTED, Status.APPROVED, Status.OFFERED]


def test_only_the_event_organisers_decide(approval_event, members, organization, cluster_manager):
    registration = register(approval_event, members[0], organization)

    with pytest.raises(PermissionDenied):
        services.registrations_decide(
            event=approval_event,
            by=cluster_manager,
            registration_ids=[registration.pk],
            approve=True,
        )


# --- Capacity ---------------------------------------------------------------------------------


def test_capacity_lowered_below_the_seats_held_is_refused(event, organiser, members, organization):
    for member in members[:2]:
        register(event, member, organization)

    with pytest.raises(ValidationError) as refused:
        services.event_set_capacity(event=event, by=organiser, capacity=1)

    assert refused.value.message_dict == {
        "capacity": [
            "2 seats are already held (approved, confirmed or offered); the capacity cannot go "
            "below that. Cancel or reject registrations first."
        ]
    }
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_capacity_raised_offers_the_new_seats_in_order(event, organiser, members, organization):
    for member in members:
        register(event, member, organization)

    services.event_set_capacity(event=event, by=organiser, capacity=4)

    assert statuses(event) == [Status.CONFIRMED] * 2 + [Status.OFFERED] * 2 + [Status.WAITLISTED]


# --- Waiting list and offers with a frozen clock ----------------------------------------------


def test_freed_seat_goes_to_the_first_waiting_and_expires_to_the_next(
    organiser, members, organization
):
    start = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        event = make_event(
            organiser, capacity=1, offer_hours=24, starts_at=start + dt.timedelta(days=30)
        )
        holder = register(event, members[0], organization)
        clock.shift(dt.timedelta(minutes=1))
        first_waiting = register(event, members[1], organization)
        clock.shift(dt.timedelta(minutes=1))
        second_waiting = register(event, members[2], organization)

        clock.shift(dt.timedelta(hours=1))
        services.registration_cancel(registration=holder, by=members[0])
        first_waiting.refresh_from_db()
        assert first_waiting.status == Status.OFFERED
        assert first_waiting.offer_expires_at == start + dt.timedelta(hours=25, minutes=2)

        # One second before expiry nothing moves.
        clock.move_to(first_waiting.offer_expires_at - dt.timedelta(seconds=1))
        assert services.offers_expire() == 0
        # At expiry the offer is withdrawn and goes to the next person, once.
        clock.move_to(first_waiting.offer_expires_at)
        assert services.offers_expire() == 1
        assert services.offers_expire() == 0

        first_waiting.refresh_from_db()
        second_waiting.refresh_from_db()
        assert first_waiting.status == Status.CANCELLED
        assert second_waiting.status == Status.OFFERED
        assert second_waiting.offer_expires_at == start + dt.timedelta(hours=49, minutes=2)
        # The expiry and the new offer are the system's: no person is recorded on them.
        assert (first_waiting.decided_by, second_waiting.decided_by) == (None, None)
        with pytest.raises(ValidationError, match="no seat offer"):
            services.registration_accept_offer(registration=first_waiting, by=members[1])

        services.registration_accept_offer(registration=second_waiting, by=members[2])
        second_waiting.refresh_from_db()
        assert second_waiting.status == Status.CONFIRMED
        assert selectors.seat_counts(event).held == 1


def test_an_expired_offer_cannot_be_accepted_even_before_the_task_runs(
    organiser, members, organization
):
    start = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        event = make_event(
            organiser, capacity=1, offer_hours=2, starts_at=start + dt.timedelta(days=30)
        )
        holder = register(event, members[0], organization)
        waiting = register(event, members[1], organization)
        services.registration_cancel(registration=holder, by=members[0])

        clock.shift(dt.timedelta(hours=2))
        with pytest.raises(ValidationError, match="This offer expired at"):
            services.registration_accept_offer(registration=waiting, by=members[1])


def test_offer_expiry_never_runs_past_the_event_start(organiser, members, organization):
    start = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        event = make_event(
            organiser,
            capacity=1,
            offer_hours=48,
            starts_at=start + dt.timedelta(hours=10),
            deadline=start + dt.timedelta(hours=5),
        )
        holder = register(event, members[0], organization)
        waiting = register(event, members[1], organization)
        services.registration_cancel(registration=holder, by=members[0])

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == event.starts_at


def test_only_the_registrant_accepts_an_offer(event, members, organization):
    holder, _second, waiting = (register(event, m, organization) for m in members[:3])
    services.registration_cancel(registration=holder, by=members[0])

    with pytest.raises(PermissionDenied):
        services.registration_accept_offer(registration=waiting, by=members[0])


# --- Check-in ---------------------------------------------------------------------------------


def test_check_in_keeps_the_first_time_and_refuses_people_without_a_seat(
    organiser, members, organization
):
    event = make_event(organiser, capacity=1)
    attending = register(event, members[0], organization)
    waiting = register(event, members[1], organization)

    first = services.registration_check_in(registration=attending, by=organiser)
    second = services.registration_check_in(registration=attending, by=organiser)

    assert first.checked_in_at is not None
    assert second.checked_in_at == first.checked_in_at
    with pytest.raises(ValidationError, match="has no seat"):
        services.registration_check_in(registration=waiting, by=organiser)
    assert selectors.seat_counts(event).checked_in == 1
