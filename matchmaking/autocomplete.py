"""A session's participants chosen by typing (``common.autocomplete``): the field of the
organisers' meeting form and the lookup its search endpoint shares with it.

A session can have hundreds of participants, so the form offers no ``<select>`` of them. A
participant is named as the organisers already see them: by the person's full name, or the
part of their email before the ``@`` when they gave no name (what ``display_name`` shows);
never by the whole address, which the matchmaking pages do not show. Two participants with
the same name are told apart as ``Name #id``; the suggestions add the organisation.
"""

from __future__ import annotations

from django.db.models import CharField, F, QuerySet, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Left, StrIndex
from django.utils.translation import gettext_lazy as _

from common.autocomplete import AutocompleteChoiceField, Lookup

from .models import Participant, Session


def _describe_participant(participant: Participant) -> str:
    return participant.display_name


# ``name`` is the annotation of ``session_participants``; it is not unique within a session.
PARTICIPANT_LOOKUP = Lookup("name", unique=False, describe=_describe_participant)
PARTICIPANT_SEARCH_FIELDS = ("name", "organization__name")


def session_participants(session: Session) -> QuerySet[Participant]:
    """Every participant of ``session``, hidden profiles included (organisers add meetings for
    them too), each with its ``name`` as typed in the meeting form; the person and the
    organisation come in the same query."""
    email_local_part = Left("user__email", StrIndex("user__email", Value("@")) - 1)
    return (
        Participant.objects.filter(session=session)
        .select_related("user", "organization")
        .annotate(
            name=Case(
                When(user__full_name="", then=email_local_part),
                default=F("user__full_name"),
                output_field=CharField(),
            )
        )
    )


def participant_field(session: Session, **kwargs) -> AutocompleteChoiceField:
    """One participant of ``session``, typed by name; suggestions come from the session's
    own search endpoint, which only its organisers may use."""
    return AutocompleteChoiceField(
        queryset=session_participants(session),
        url_name="matchmaking:participant_search",
        url_kwargs={"slug": session.slug},
        lookup=PARTICIPANT_LOOKUP,
        noun=_("participant of this session"),
        **kwargs,
    )
