"""Who may do what in matchmaking.

Views declare these permissions and read their objects through the scoped selectors in
``matchmaking.selectors``: a session, profile or request outside the reader's scope is a
404. The names are verbs (``manage_session``, ``take_part``) so none collides with Django's
``add_/change_/delete_/view_<model>`` codenames.
"""

from __future__ import annotations

import rules

from organizations.permissions import is_organiser

from .models import MeetingRequest, Participant, Session


@rules.predicate
def is_session_organiser(user, session: Session | None) -> bool:
    """An organiser named on this session (or a site admin)."""
    if not user.is_authenticated or session is None:
        return False
    if user.is_superuser:
        return True
    return session.organisers.filter(pk=user.pk).exists()


@rules.predicate
def is_session_participant(user, session: Session | None) -> bool:
    if not user.is_authenticated or session is None:
        return False
    return session.participants.filter(user=user).exists()


@rules.predicate
def is_open_session(user, session: Session | None) -> bool:
    """Out of draft and either listed publicly or already joined by the reader."""
    if session is None or session.phase == Session.Phase.DRAFT:
        return False
    return session.is_public or is_session_participant(user, session)


@rules.predicate
def profiles_are_open(user, session: Session | None) -> bool:
    return session is not None and session.profiles_open


@rules.predicate
def owns_participant(user, participant: Participant | None) -> bool:
    return participant is not None and user.is_authenticated and participant.user_id == user.pk


@rules.predicate
def organises_participant_session(user, participant: Participant | None) -> bool:
    return participant is not None and is_session_organiser(user, participant.session)


@rules.predicate
def is_visible_participant(user, participant: Participant | None) -> bool:
    """A visible profile, shown to those who take part in the same session."""
    if participant is None or not participant.is_visible:
        return False
    return is_session_participant(user, participant.session)


@rules.predicate
def is_request_party(user, request: MeetingRequest | None) -> bool:
    if request is None or not user.is_authenticated:
        return False
    return user.pk in (request.sender.user_id, request.receiver.user_id)


@rules.predicate
def is_request_receiver(user, request: MeetingRequest | None) -> bool:
    return request is not None and user.is_authenticated and request.receiver.user_id == user.pk


@rules.predicate
def organises_request_session(user, request: MeetingRequest | None) -> bool:
    return request is not None and is_session_organiser(user, request.session)


rules.add_perm("matchmaking.create_session", is_organiser)
rules.add_perm("matchmaking.manage_session", is_session_organiser)
rules.add_perm("matchmaking.see_session", is_session_organiser | is_open_session)
rules.add_perm(
    "matchmaking.take_part", rules.is_authenticated & is_open_session & profiles_are_open
)
rules.add_perm("matchmaking.browse_participants", is_session_organiser | is_session_participant)
rules.add_perm("matchmaking.edit_profile", owns_participant)
rules.add_perm(
    "matchmaking.see_profile",
    owns_participant | organises_participant_session | is_visible_participant,
)
rules.add_perm("matchmaking.see_request", is_request_party | organises_request_session)
rules.add_perm("matchmaking.answer_request", is_request_receiver)
rules.add_perm("matchmaking.cancel_request", is_request_party | organises_request_session)
# Agendas (mmsched): one's own, or any of a session one organises.
rules.add_perm("matchmaking.see_agenda", owns_participant | organises_participant_session)
