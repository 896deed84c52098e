"""Fixtures for matchmaking: a session organised by ``organiser`` taking requests, with two
participants (``alice`` EU, ``bob`` US) and a second organiser who organises another session."""

from __future__ import annotations

import pytest

from matchmaking.models import Participant
from tests.factories import make_user

from .factories import make_participant, make_session, make_session_organiser


@pytest.fixture
def session(organiser):
    return make_session(organiser, title="EU-US cluster matchmaking")


@pytest.fixture
def alice(session):
    return make_participant(
        session, make_user("alice@test.example.org", full_name="Alice Weber"), side="eu"
    )


@pytest.fixture
def bob(session):
    return make_participant(
        session, make_user("bob@test.example.org", full_name="Bob Miller"), side="us"
    )


@pytest.fixture
def carol(session):
    return make_participant(
        session,
        make_user("carol@test.example.org", full_name="Carol Jones"),
        side=Participant.Side.US,
    )


@pytest.fixture
def other_organiser(db):
    organiser = make_session_organiser("other.organiser@test.example.org")
    make_session(organiser, title="Another session")
    return organiser
