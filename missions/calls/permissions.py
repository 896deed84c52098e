"""Who may do what with calls, applications and reviews.

Views declare these permissions and read their objects through ``missions.calls.selectors``,
which return only what the user may see: another applicant's application, or an
application a reviewer is not assigned to, is a 404. Loaded by ``MissionsConfig.ready()``.

- The organisers of a call are the organisers of its mission.
- An application is seen by its contact person, the reviewers assigned to it and the call's
  organisers; only its contact edits it. Applicants never see reviewers or scores.
"""

import rules

from missions.permissions import is_mission_organiser


@rules.predicate
def is_call_organiser(user, call) -> bool:
    return call is not None and is_mission_organiser(user, call.mission)


@rules.predicate
def is_published_call(user, call) -> bool:
    return call is not None and call.is_published


@rules.predicate
def is_application_contact(user, application) -> bool:
    return user.is_authenticated and application is not None and application.contact_id == user.pk


@rules.predicate
def is_application_reviewer(user, application) -> bool:
    if not user.is_authenticated or application is None:
        return False
    return application.assignments.filter(reviewer=user).exists()


@rules.predicate
def is_application_call_organiser(user, application) -> bool:
    return application is not None and is_call_organiser(user, application.call)


@rules.predicate
def is_assignment_reviewer(user, assignment) -> bool:
    return user.is_authenticated and assignment is not None and assignment.reviewer_id == user.pk


rules.add_perm("calls.view_call", is_published_call | is_call_organiser)
rules.add_perm("calls.apply", rules.is_authenticated & is_published_call)
rules.add_perm("calls.manage_call", is_call_organiser)
rules.add_perm(
    "calls.view_application",
    is_application_contact | is_application_reviewer | is_application_call_organiser,
)
rules.add_perm("calls.edit_application", is_application_contact)
rules.add_perm("calls.manage_application", is_application_call_organiser)
rules.add_perm("calls.review", is_assignment_reviewer)
