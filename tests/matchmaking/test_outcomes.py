"""Outcomes: both sides record what came of a meeting; months later they are asked once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchmaking.figures import session_figures
from matchmaking.models import Meeting, MeetingKind, MeetingOutcome, Session
from matchmaking.services.outcomes import outcome_record, outcomes_follow_up
from tests.factories import make_user

from .factories import accept, make_participant, send


def held_meeting(session, first, second, *, kind=MeetingKind.B2B, index=0) -> Meeting:
    request = accept(send(first, second, kind=kind))
    slot = session.slots.order_by("starts_at")[index]
    Meeting.objects.filter(request=request).update(
        slot=slot, table=session.tables.first(), status=Meeting.Status.HELD
    )
    return Meeting.objects.select_related("slot").get(request=request)


def after(meeting, **delta) -> dt.datetime:
    return meeting.slot.ends_at + dt.timedelta(**delta)


@pytest.fixture
def meeting(session, alice, bob):
    return held_meeting(session, alice, bob)


def test_outcome_record_by_both_sides(meeting, alice, bob):
    outcome_record(
        meeting=meeting,
        by=alice.user,
        rating=5,
        follow_up_planned=True,
        cooperation_type="partnership",
        agreement_signed=MeetingOutcome.Agreement.MOU,
        text="We will apply together.",
        now=after(meeting, hours=1),
    )
    outcome_record(meeting=meeting, by=bob.user, rating=3, now=after(meeting, hours=2))
    # A correction replaces the side's answer.
    outcome_record(meeting=meeting, by=bob.user, rating=4, now=after(meeting, hours=3))

    outcomes = {o.participant_id: o for o in MeetingOutcome.objects.all()}
    assert len(outcomes) == 2
    assert outcomes[alice.pk].agreement_signed == "mou" and outcomes[alice.pk].follow_up_planned
    assert outcomes[bob.pk].rating == 4


def test_outcome_record_refused_before_the_meeting(meeting, alice):
    with pytest.raises(ValidationError, match="after the meeting"):
        outcome_record(
            meeting=meeting, by=alice.user, rating=4, now=meeting.slot.starts_at - dt.timedelta(1)
        )

    assert not MeetingOutcome.objects.exists()


def test_outcome_record_refused_to_a_third_participant(meeting, carol):
    with pytest.raises(ValidationError, match="Only the two sides"):
        outcome_record(meeting=meeting, by=carol.user, rating=4, now=after(meeting, hours=1))


def test_outcome_record_refused_for_a_no_show(meeting, alice):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NO_SHOW)

    with pytest.raises(ValidationError, match="took place"):
        outcome_record(meeting=meeting, by=alice.user, rating=4, now=after(meeting, hours=1))


def test_outcome_record_rating_out_of_range_is_refused(meeting, alice):
    with pytest.raises(ValidationError):
        outcome_record(meeting=meeting, by=alice.user, rating=9, now=after(meeting, hours=1))

    assert not MeetingOutcome.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("carol", 404), ("alice", 200), ("organiser", 404)],
)
def test_outcome_page_by_role(client, session, meeting, alice, carol, organiser, role, expected):
    users = {"anonymous": None, "alice": alice.user, "carol": carol.user, "organiser": organiser}
    if users[role]:
        client.force_login(users[role])
    url = reverse("matchmaking:outcome", kwargs={"slug": session.slug, "pk": meeting.pk})

    response = client.get(url)

    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def test_outcome_page_before_the_meeting_shows_the_refusal(client, session, alice, bob):
    request = accept(send(alice, bob))
    Meeting.objects.filter(request=request).update(
        slot=session.slots.first(), table=session.tables.first(), status="scheduled"
    )
    client.force_login(alice.user)
    url = reverse("matchmaking:outcome", kwargs={"slug": session.slug, "pk": request.meeting.pk})

    response = client.post(url, {"rating": "4", "agreement_signed": "none"})

    assert response.status_code == 400
    assert "Record the outcome after the meeting." in response.content.decode()
    assert not MeetingOutcome.objects.exists()


def test_outcome_page_junk_rating_is_a_form_error(client, session, meeting, alice):
    client.force_login(alice.user)
    url = reverse("matchmaking:outcome", kwargs={"slug": session.slug, "pk": meeting.pk})

    response = client.post(url, {"rating": "11", "agreement_signed": "none"})

    assert response.status_code == 400
    assert not MeetingOutcome.objects.exists()


def test_outcomes_follow_up_asks_both_sides_once(meeting, alice, bob, mailoutbox):
    asked = outcomes_follow_up(now=after(meeting, days=91))
    again = outcomes_follow_up(now=after(meeting, days=120))

    assert (asked, again) == (1, 0)
    assert sorted(mail.to[0] for mail in mailoutbox) == [alice.user.email, bob.user.email]
    assert f"/meetings/{meeting.pk}/outcome/" in mailoutbox[0].body


def test_outcomes_follow_up_waits_for_the_session_setting(session, meeting, mailoutbox):
    assert outcomes_follow_up(now=after(meeting, days=60)) == 0
    Session.objects.filter(pk=session.pk).update(outcome_follow_up_days=30)

    assert outcomes_follow_up(now=after(meeting, days=60)) == 1
    assert len(mailoutbox) == 2


def test_outcomes_follow_up_skips_cancelled_and_no_show(meeting, mailoutbox):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NO_SHOW)

    assert outcomes_follow_up(now=after(meeting, days=91)) == 0
    assert mailoutbox == []


@pytest.mark.parametrize("count", [1, 3])
def test_session_figures_in_a_fixed_number_of_queries(
    session, alice, count, django_assert_num_queries
):
    others = [make_participant(session, make_user(), side="us") for _ in range(count)]
    for index, other in enumerate(others):
        meeting = held_meeting(session, alice, other, kind=MeetingKind.C2C, index=index)
        outcome_record(
            meeting=meeting,
            by=alice.user,
            rating=4,
            agreement_signed=MeetingOutcome.Agreement.AGREEMENT,
            now=after(meeting, hours=1),
        )

    with django_assert_num_queries(4):
        figures = session_figures(session)

    assert figures["requested"] == figures["accepted"] == count
    assert figures["meetings_held"] == figures["meetings_scheduled"] == count
    assert figures["by_kind"]["c2c"] == {"requested": count, "held": count}
    assert figures["outcomes_recorded"] == figures["agreements"] == count
    assert figures["average_rating"] == 4


def test_session_figures_count_declined_and_expired(session, alice, bob, carol):
    from matchmaking.services.requests import request_decline

    request_decline(request=send(alice, bob), by=bob.user, reason="Not our sector")
    expiring = send(alice, carol)
    type(expiring).objects.filter(pk=expiring.pk).update(status="expired")

    figures = session_figures(session)

    assert (figures["requested"], figures["declined"], figures["expired"]) == (2, 1, 1)
    assert figures["meetings_scheduled"] == 0
