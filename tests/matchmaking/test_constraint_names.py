"""The services recognise the database's refusals by constraint name, on SQLite as on
PostgreSQL (SQLite only lists the columns of a multi-column unique constraint, so matching
the name in the message text missed them): the clear message for the expected constraint,
anything else re-raised."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.db import constraint_name
from matchmaking.models import MeetingRequest, Participant
from matchmaking.services import participants as participant_services
from matchmaking.services import requests as services

from .factories import make_participant, make_session, send

pytestmark = pytest.mark.django_db


def test_a_second_live_request_between_a_pair_gets_the_clear_message(organiser):
    session = make_session(organiser)
    eu, us = make_participant(session, side="eu"), make_participant(session, side="us")
    send(eu, us)

    with pytest.raises(ValidationError, match="already a request between you"):
        services._save_new_request(MeetingRequest(session=session, sender=us, receiver=eu))

    assert MeetingRequest.objects.count() == 1


def test_another_refusal_of_a_request_is_re_raised(organiser):
    session = make_session(organiser)
    eu = make_participant(session, side="eu")

    with pytest.raises(IntegrityError) as caught:
        services._save_new_request(MeetingRequest(session=session, sender=eu, receiver=eu))

    assert constraint_name(caught.value) == "mm_request_not_to_oneself"


def test_a_second_profile_in_a_session_is_the_constraint_the_service_expects(organiser):
    session = make_session(organiser)
    first = make_participant(session)

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Participant.objects.create(session=session, user=first.user)

    assert constraint_name(caught.value) == participant_services.ONE_PER_USER
