"""Profiles and marketplace items: who may write them, in which phase, with what input."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking.models import MarketplaceItem, Participant, Session
from matchmaking.services import participants as services
from matchmaking.services.sessions import session_phase_set
from tests.factories import make_organization, make_user

from .factories import make_item, make_participant, make_session


def test_participant_create_twice_is_refused(session, alice):
    with pytest.raises(ValidationError, match="already have a profile"):
        make_participant(session, alice.user)
    assert Participant.objects.filter(user=alice.user).count() == 1


def test_participant_create_in_a_draft_session_is_refused(organiser):
    session = make_session(organiser, phase=Session.Phase.DRAFT)
    user = make_user()
    with pytest.raises(PermissionDenied):
        services.participant_create(session=session, user=user, by=user, side="eu")
    assert not Participant.objects.exists()


def test_participant_create_after_profiles_close_is_refused(organiser, session):
    session_phase_set(session=session, phase=Session.Phase.SCHEDULING, by=organiser)
    session.refresh_from_db()
    user = make_user()
    with pytest.raises(PermissionDenied):
        services.participant_create(session=session, user=user, by=user, side="eu")


def test_participant_create_for_someone_else_is_refused(session, other_user):
    with pytest.raises(PermissionDenied):
        services.participant_create(session=session, user=make_user(), by=other_user, side="eu")


def test_organiser_creates_a_profile_on_behalf_in_any_organisation(organiser, session):
    user = make_user()
    organization = make_organization("Not theirs")
    participant = services.participant_create(
        session=session, user=user, by=organiser, side="us", organization=organization
    )
    assert participant.organization == organization


def test_participant_create_with_zero_attendees_is_refused(session):
    user = make_user()
    with pytest.raises(ValidationError):
        services.participant_create(session=session, user=user, by=user, side="eu", attendees=0)
    assert not Participant.objects.exists()


def test_participant_update_by_another_participant_is_refused(alice, bob):
    with pytest.raises(PermissionDenied):
        services.participant_update(participant=alice, by=bob.user, summary="Hacked")
    alice.refresh_from_db()
    assert alice.summary == ""


def test_participant_update_unavailable_slot_of_another_session_is_refused(organiser, alice):
    elsewhere = make_session(organiser).slots.first()
    with pytest.raises(ValidationError, match="slots of this session"):
        services.participant_update(participant=alice, by=alice.user, unavailable_slots=[elsewhere])
    assert not alice.unavailable_slots.exists()


def test_participant_rotate_token_changes_it(alice):
    old = alice.agenda_token
    assert services.participant_rotate_token(participant=alice, by=alice.user).agenda_token != old


def test_item_crud_by_owner(alice, sector):
    item = make_item(alice, title="Pilot lines", sectors=(sector,))
    services.item_update(item=item, by=alice.user, title="Pilot lines for batteries")
    item.refresh_from_db()
    assert item.title == "Pilot lines for batteries"
    assert list(item.sectors.all()) == [sector]
    services.item_delete(item=item, by=alice.user)
    assert not MarketplaceItem.objects.exists()


def test_item_by_another_participant_is_refused(alice, bob):
    item = make_item(alice)
    with pytest.raises(PermissionDenied):
        services.item_update(item=item, by=bob.user, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.item_delete(item=item, by=bob.user)
    assert MarketplaceItem.objects.get().participant == alice


def test_item_beyond_twenty_is_refused(alice):
    for _ in range(services.MAX_ITEMS):
        make_item(alice)
    with pytest.raises(ValidationError, match="at most 20"):
        make_item(alice)
    assert alice.items.count() == 20


def test_item_with_control_characters_is_refused(alice):
    with pytest.raises(ValidationError):
        make_item(alice, title="Hidden\x00text")
    assert not MarketplaceItem.objects.exists()


def test_profile_and_items_are_frozen_once_agendas_are_published(organiser, session, alice):
    item = make_item(alice)
    session_phase_set(session=session, phase=Session.Phase.AGENDAS_PUBLISHED, by=organiser)
    alice.session.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be changed in the phase"):
        services.participant_update(participant=alice, by=alice.user, summary="Late")
    with pytest.raises(ValidationError, match="cannot be changed in the phase"):
        services.item_update(item=item, by=alice.user, title="Late")
    services.participant_update(participant=alice, by=organiser, summary="Fixed by the desk")
    alice.refresh_from_db()
    assert alice.summary == "Fixed by the desk"
