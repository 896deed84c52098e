"""Who may do what with missions, itineraries and delegations.

Views declare these permissions and read their objects through the scoped selectors in
``missions.selectors``, so another organiser's draft or another delegate's feed is a 404.
"""

import rules
from django.db.models import Q

from organizations.models import Membership
from organizations.permissions import is_organiser

from .selectors import missions_editable_by


@rules.predicate
def is_public_mission(user, mission) -> bool:
    return mission is not None and mission.is_public


@rules.predicate
def is_mission_organiser(user, mission) -> bool:
    """An organiser named on this mission (or a site admin): they plan and publish it."""
    if not user.is_authenticated or mission is None:
        return False
    # One definition of "organises", shared with the lists: the selector.
    return missions_editable_by(user).filter(pk=mission.pk).exists()


@rules.predicate
def is_delegate(user, mission) -> bool:
    if not user.is_authenticated or mission is None:
        return False
    return mission.delegation.members.filter(user=user).exists()


@rules.predicate
def is_visit_host_contact(user, item) -> bool:
    """A member of one of the organisations hosting this visit."""
    if not user.is_authenticated or item is None or item.kind != "visit":
        return False
    return Membership.objects.filter(Q(organization__in=item.hosts.all()), user=user).exists()


rules.add_perm("missions.see_mission", is_public_mission | is_mission_organiser)
rules.add_perm("missions.create_mission", is_organiser)
rules.add_perm("missions.plan_mission", is_mission_organiser)
rules.add_perm("missions.view_change_log", is_mission_organiser | (is_public_mission & is_delegate))
rules.add_perm("missions.respond_to_visit", is_visit_host_contact)
rules.add_perm("missions.view_host_visits", rules.is_authenticated)
