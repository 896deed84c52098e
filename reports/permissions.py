"""Who may ask for, download and write the reports, and answer or read the surveys.

Staff read every report (they have nothing else to do on the portal, and reports are what
they send on); organisers those of their own missions and events; a participant only their
own badge. A matchmaking session's print files (all agendas, the table sheet) stay its
organisers' alone, as they were when the matchmaking pages rendered them: staff do not
read them. Views read their objects through ``reports.selectors`` scoped to the reader,
so anything else is a 404.
"""

from __future__ import annotations

import rules

from matchmaking.models import Session
from matchmaking.permissions import is_session_organiser
from missions.events.models import Event, Registration
from missions.events.permissions import is_event_organiser
from missions.models import Mission
from missions.permissions import is_mission_organiser
from organizations.permissions import is_organiser, is_staff_member

#: The portal's staff role, or a site admin (one definition, in organizations).
is_staff_role = is_staff_member


@rules.predicate
def is_reports_user(user) -> bool:
    """Staff and organisers have a reports home."""
    return is_staff_member(user) or is_organiser(user)


def organises(user, target) -> bool:
    """``user`` organises ``target``: a mission, an event, or the event of a registration."""
    if isinstance(target, Mission):
        return is_mission_organiser(user, target)
    if isinstance(target, Registration):
        return is_event_organiser(user, target.event)
    if isinstance(target, Event):
        return is_event_organiser(user, target)
    if isinstance(target, Session):
        return is_session_organiser(user, target)
    return False


def _staff_may_read(target) -> bool:
    """Staff read every mission's and event's documents, not a session's print files."""
    return not isinstance(target, Session)


@rules.predicate
def is_target_organiser(user, target) -> bool:
    return target is not None and organises(user, target)


@rules.predicate
def may_make_documents(user, target) -> bool:
    if target is None or not user.is_authenticated:
        return False
    return (is_staff_role(user) and _staff_may_read(target)) or organises(user, target)


@rules.predicate
def may_download(user, job) -> bool:
    if job is None or not user.is_authenticated:
        return False
    target = job.target
    if (is_staff_role(user) and _staff_may_read(target)) or organises(user, target):
        return True
    return job.registration_id is not None and job.registration.user_id == user.pk


@rules.predicate
def is_survey_organiser(user, survey) -> bool:
    return survey is not None and organises(user, survey.target)


def may_request(user, kind: str, target) -> bool:
    """Whether ``user`` may ask for document ``kind`` of ``target``."""
    if not user.is_authenticated:
        return False
    if (is_staff_role(user) and _staff_may_read(target)) or organises(user, target):
        return True
    return isinstance(target, Registration) and target.user_id == user.pk


rules.add_perm("reports.open_reports_home", is_reports_user)
rules.add_perm("reports.make_documents", may_make_documents)
rules.add_perm("reports.download_document", may_download)
rules.add_perm("reports.write_report_texts", is_target_organiser)
rules.add_perm("reports.edit_survey", is_survey_organiser)
rules.add_perm("reports.read_survey_results", is_staff_role | is_survey_organiser)
