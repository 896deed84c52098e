"""Who may do what with programmes, partnerships and outcomes.

Views declare these permissions and read their objects through ``programmes.selectors``,
which return only what the reader may see: an internal outcome of another organisation, its
evidence, or a partnership awaiting validation is a 404 to anyone outside it.

- Organisers and staff run programmes and partnerships and approve partnership changes.
- Managers of a partner organisation propose changes to their partnership.
- Only staff (the ``staff`` role; site administrators hold every role) verify outcomes.
"""

import rules

from organizations.models import Membership
from organizations.permissions import is_organiser, is_staff_member

#: The staff role: the people who verify outcomes before they count.
is_staff = is_staff_member


@rules.predicate
def is_public_programme(user, programme) -> bool:
    return programme is not None and programme.is_public


@rules.predicate
def is_public_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.is_public


@rules.predicate
def is_partnership_member(user, partnership) -> bool:
    """A member (of any role) of one of the partnership's partner organisations."""
    if not user.is_authenticated or partnership is None:
        return False
    return Membership.objects.filter(
        user=user, organization__partnership_memberships__partnership=partnership
    ).exists()


@rules.predicate
def is_partnership_manager(user, partnership) -> bool:
    """A manager of one of the partnership's partner organisations."""
    if not user.is_authenticated or partnership is None:
        return False
    return Membership.objects.filter(
        user=user,
        role=Membership.Role.MANAGER,
        organization__partnership_memberships__partnership=partnership,
    ).exists()


@rules.predicate
def is_outcome_insider(user, outcome) -> bool:
    """Its reporter, or a member of one of the organisations involved or confirming."""
    if not user.is_authenticated or outcome is None:
        return False
    if outcome.reported_by_id == user.pk:
        return True
    return Membership.objects.filter(user=user, organization__outcomes=outcome).exists()


@rules.predicate
def is_public_verified_outcome(user, outcome) -> bool:
    return (
        outcome is not None
        and outcome.visibility == outcome.Visibility.PUBLIC
        and outcome.state == outcome.State.VERIFIED
    )


runs_programmes = is_organiser | is_staff


@rules.predicate
def is_meeting_participant(user, meeting) -> bool:
    if not user.is_authenticated or meeting is None:
        return False
    request = meeting.request
    return user.pk in (request.sender.user_id, request.receiver.user_id)


@rules.predicate
def may_report_on(user, source) -> bool:
    """Who reports an outcome of ``source``: a meeting's participants, a partnership's
    managers, and organisers or staff for anything."""
    from matchmaking.models import Meeting

    from .models import Partnership

    if not user.is_authenticated or source is None:
        return False
    if runs_programmes(user):
        return True
    if isinstance(source, Meeting):
        return is_meeting_participant(user, source)
    if isinstance(source, Partnership):
        return is_partnership_manager(user, source)
    return False


rules.add_perm("programmes.see_programme", is_public_programme | runs_programmes)
rules.add_perm("programmes.run_programmes", runs_programmes)
rules.add_perm(
    "programmes.see_partnership", is_public_partnership | is_partnership_member | runs_programmes
)
rules.add_perm("programmes.run_partnerships", runs_programmes)
rules.add_perm("programmes.propose_partnership_change", is_partnership_manager)
rules.add_perm("programmes.report_outcome", may_report_on)
rules.add_perm(
    "programmes.see_outcome", is_public_verified_outcome | is_outcome_insider | runs_programmes
)
rules.add_perm("programmes.download_evidence", is_outcome_insider | runs_programmes)
rules.add_perm("programmes.verify_outcome", is_staff)
