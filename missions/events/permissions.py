"""Who may do what with events and registrations.

Views declare these permissions and read their objects through the scoped selectors in
``missions.events.selectors``: another person's registration and an organiser page of
someone else's event are 404s. Accepting a seat offer and the registration's calendar belong
to the registrant alone (``act_as_registrant``); their views load from the person's own
registrations, since ``has_perm`` is always true for a superuser.
"""

import rules

from organizations.permissions import is_organiser

from .models import Event, Registration
from .selectors import events_organised_by


@rules.predicate
def is_public_event(user, event: Event | None) -> bool:
    return event is not None and event.is_public


@rules.predicate
def is_event_organiser(user, event: Event | None) -> bool:
    """An organiser named on this event (or a site admin)."""
    if not user.is_authenticated or event is None:
        return False
    # One definition of "organises", shared with the lists: the selector.
    return events_organised_by(user).filter(pk=event.pk).exists()


@rules.predicate
def has_live_registration(user, event: Event | None) -> bool:
    """Registered for the event and neither cancelled nor rejected."""
    if not user.is_authenticated or event is None:
        return False
    return (
        event.registrations.filter(user=user)
        .exclude(status__in=(Registration.Status.CANCELLED, Registration.Status.REJECTED))
        .exists()
    )


@rules.predicate
def is_registrant(user, registration: Registration | None) -> bool:
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def is_registration_event_organiser(user, registration: Registration | None) -> bool:
    return registration is not None and is_event_organiser(user, registration.event)


rules.add_perm("missions.see_event", is_public_event | is_event_organiser)
rules.add_perm("missions.create_event", is_organiser)
rules.add_perm("missions.manage_event", is_event_organiser)
rules.add_perm("missions.register_for_event", rules.is_authenticated & is_public_event)
# Participants see who else comes (only those who consented); organisers see everyone.
rules.add_perm(
    "missions.view_event_participants",
    is_event_organiser | (is_public_event & has_live_registration),
)
rules.add_perm("missions.see_registration", is_registrant | is_registration_event_organiser)
rules.add_perm("missions.act_as_registrant", is_registrant)
rules.add_perm("missions.cancel_registration", is_registrant | is_registration_event_organiser)
