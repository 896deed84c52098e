"""Selection and decisions: proposal, prepared decisions sent in one batch, emails once,
the delegation and the waiting list."""

from __future__ import annotations

import string
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization, User

from .. import selection, selectors
from ..models import (
    Application,
    Call,
    DecisionTemplate,
)
from ._common import (
    DEFAULT_TEMPLATES,
    Status,
    _require,
    _set_status,
)

# --- Selection and decisions ----------------------------------------------------------------


def selection_propose(*, call: Call, by: User) -> selection.Proposal:
    """The selection of highest total weighted score that meets the call's limits."""
    _require(by, "calls.manage_call", call)
    candidates, limits = selectors.selection_problem(call)
    return selection.propose(candidates, limits)


def decisions_prepare(
    *,
    call: Call,
    by: User,
    decisions: Mapping[int, str],
    waitlist: list[int] | None = None,
) -> list[selection.Violation]:
    """Record the decision each application will get when the batch is sent.

    ``decisions`` maps application ids to selected / waitlisted / rejected; ``waitlist`` is the
    order of the waitlisted ones (default: as given). Refused when the selection breaks the
    total or per-organisation limit; quota shortfalls are returned for the organiser to see.
    """
    _require(by, "calls.manage_call", call)
    allowed = {s.value for s in Application.DECISIONS}
    if any(d not in allowed for d in decisions.values()):
        raise ValidationError(_("Unknown decision."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update().filter(
                call=call, pk__in=list(decisions)
            )
        }
        if set(decisions) - set(applications):
            raise ValidationError(_("Some applications are not part of this call."))
        for application in applications.values():
            if application.status not in (*Application.IN_REVIEW, Status.WAITLISTED):
                raise ValidationError(
                    _("%(application)s is %(status)s; its decision cannot change.")
                    % {"application": application, "status": application.get_status_display()}
                )
        candidates, limits = selectors.selection_problem(call)
        already = set(
            Application.objects.filter(call=call, status=Status.SELECTED).values_list(
                "pk", flat=True
            )
        )
        selected = already | {pk for pk, d in decisions.items() if d == Status.SELECTED}
        selected |= set(
            Application.objects.filter(call=call, decision_pending=Status.SELECTED)
            .exclude(pk__in=list(decisions))
            .values_list("pk", flat=True)
        )
        violations = selection.check(candidates, selected, limits)
        hard = [v for v in violations if v.kind in ("total", "organization")]
        if hard:
            raise ValidationError(
                _("This selection exceeds the call's limits: %(problems)s.")
                % {"problems": "; ".join(describe_violation(v) for v in hard)}
            )
        order = [pk for pk in (waitlist or []) if decisions.get(pk) == Status.WAITLISTED]
        order += [pk for pk, d in decisions.items() if d == Status.WAITLISTED and pk not in order]
        for pk, decision in decisions.items():
            application = applications[pk]
            application.decision_pending = decision
            application.waitlist_rank = (
                order.index(pk) + 1 if decision == Status.WAITLISTED else None
            )
            application.save(update_fields=["decision_pending", "waitlist_rank", "updated_at"])
    return violations


def describe_violation(violation: selection.Violation) -> str:
    if violation.kind == "total":
        return _("%(actual)s selected, at most %(limit)s") % vars(violation)
    if violation.kind == "organization":
        name = Organization.objects.filter(pk=violation.key).values_list("name", flat=True)
        return _("%(actual)s from %(name)s, at most %(limit)s") % {
            "actual": violation.actual,
            "limit": violation.limit,
            "name": name.first() or "?",
        }
    if violation.kind == "state":
        return _("%(actual)s from %(key)s, at most %(limit)s") % vars(violation)
    return _("%(actual)s in sector %(key)s, at least %(limit)s") % vars(violation)


def decisions_send(*, call: Call, by: User) -> int:
    """Apply every prepared decision in one batch: statuses change (and are recorded),
    selected applicants join the delegation, and one email per applicant is queued after
    commit. Returns how many decisions were sent."""
    from ..tasks import task_decision_email

    _require(by, "calls.manage_call", call)
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        pending = list(
            Application.objects.select_for_update()
            .filter(call=call)
            .exclude(decision_pending="")
            .select_related("call__mission", "organization", "contact")
            .order_by("pk")
        )
        for application in pending:
            decision = application.decision_pending
            application.decision_pending = ""
            _set_status(application, decision, by=by, note=_("Decision sent"))
            if decision == Status.SELECTED:
                _delegation_add(application)
            pk = application.pk
            transaction.on_commit(lambda pk=pk: task_decision_email.delay(application_id=pk))
    return len(pending)


def decision_email_send(*, application_id: int) -> bool:
    """Email the applicant their current decision, once per decision.

    The row lock makes two runs of the task queue up behind each other; the second finds
    the decision already notified and sends nothing. The email is sent while the lock is
    held, so a crash between sending and committing may send it again on retry (at least
    once), never two at the same time.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .filter(pk=application_id)
            .select_related("call__mission", "organization", "contact")
            .first()
        )
        if application is None or application.status not in Application.DECISIONS:
            return False
        if application.notified_status == application.status:
            return False
        template = DecisionTemplate.objects.filter(
            call=application.call, decision=application.status
        ).first()
        subject, body = (
            (template.subject, template.body)
            if template
            else map(str, DEFAULT_TEMPLATES[Status(application.status)])
        )
        values = {
            "contact_name": application.contact.get_full_name(),
            "organization": application.organization.name,
            "call": application.call.title,
            "mission": application.call.mission.title,
            "waitlist_rank": application.waitlist_rank or "",
        }
        send_mail(
            subject=string.Template(subject).safe_substitute(values).replace("\n", " ")[:200],
            message=string.Template(body).safe_substitute(values),
            from_email=None,
            recipient_list=[application.contact.email],
        )
        application.notified_status = application.status
        application.decision_sent_at = timezone.now()
        application.save(update_fields=["notified_status", "decision_sent_at"])
    return True


def _delegation_actor(mission) -> User:
    """Delegation changes need a mission organiser; automatic ones (a withdrawal promoting
    the waiting list) act in the name of the mission's first organiser."""
    organiser = mission.organisers.filter(is_active=True).order_by("pk").first()
    if organiser is None:
        raise ValidationError(_("The mission has no organiser to manage its delegation."))
    return organiser


def _delegation_add(application: Application) -> None:
    from missions.services import delegation_member_add

    mission = application.call.mission
    if mission.delegation.members.filter(user=application.contact_id).exists():
        return
    delegation_member_add(
        mission=mission,
        by=_delegation_actor(mission),
        user=application.contact,
        organization=application.organization,
    )


def _delegation_remove(application: Application) -> None:
    from missions.services import delegation_member_remove

    mission = application.call.mission
    member = mission.delegation.members.filter(user=application.contact_id).first()
    if member is not None:
        delegation_member_remove(member=member, by=_delegation_actor(mission))


def _promote_from_waitlist(call: Call) -> Application | None:
    """Select the first waitlisted application (by rank) that keeps within the total,
    per-organisation and per-state limits; tell them after commit."""
    from ..tasks import task_decision_email

    candidates, limits = selectors.selection_problem(call)
    selected = set(
        Application.objects.filter(call=call, status=Status.SELECTED).values_list("pk", flat=True)
    )
    waitlisted = (
        Application.objects.select_for_update()
        .filter(call=call, status=Status.WAITLISTED)
        .select_related("call__mission", "organization", "contact")
        .order_by("waitlist_rank", "pk")
    )
    for application in waitlisted:
        violations = selection.check(candidates, selected | {application.pk}, limits)
        if any(v.kind != "sector" for v in violations):
            continue
        application.waitlist_rank = None
        _set_status(application, Status.SELECTED, by=None, note=_("Promoted from the waiting list"))
        _delegation_add(application)
        pk = application.pk
        transaction.on_commit(lambda pk=pk: task_decision_email.delay(application_id=pk))
        return application
    return None
