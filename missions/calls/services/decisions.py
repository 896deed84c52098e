"""Selection and decisions: proposal, prepared decisions sent in one batch, emails once,
the delegation and the waiting list."""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Mapping

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.email import send_email
from common.links import absolute_url
from common.services import require_permission
from common.text import header_text
from organizations.models import Organization, Sector, User

from .. import selection, selectors
from ..models import (
    Application,
    Call,
    DecisionTemplate,
    StatusChange,
)
from ._common import (
    DEFAULT_TEMPLATES,
    Status,
    _set_status,
)

# --- Selection and decisions ----------------------------------------------------------------

PROPOSAL_TIMEOUT = 24 * 3600  # a proposal kept for a problem nobody changed


def selection_propose(*, call: Call, by: User) -> selection.Proposal:
    """The selection of highest total weighted score that meets the call's limits.

    The optimiser's answer is kept in Django's cache under the problem itself: every
    candidate's id, score, organisation, state and sectors, and the call's limits. A review,
    a decision, a new application or a changed quota changes the problem, hence the key, so
    the next request solves afresh; nothing is invalidated by hand and nothing stale can be
    served. The call's id is part of the key too: a proposal is never shared between calls.
    An answer cut short by the time limit ("feasible", not proven optimal) is not kept."""
    require_permission(by, "calls.manage_call", call)
    candidates, limits = selectors.selection_problem(call)
    key = _proposal_key(call, candidates, limits)
    proposal = cache.get(key)
    if proposal is None:
        proposal = selection.propose(candidates, limits)
        if proposal.status != "feasible":
            cache.set(key, proposal, PROPOSAL_TIMEOUT)
    return proposal


def _proposal_key(
    call: Call, candidates: list[selection.Candidate], limits: selection.Limits
) -> str:
    """The cache key of a selection problem: the same for the same problem in any process
    (sectors and limits are sorted: a set's order changes from one process to the next)."""
    problem = json.dumps(
        [
            [
                [c.id, c.points, c.organization, c.state, sorted(c.sectors)]
                for c in sorted(candidates, key=lambda c: c.id)
            ],
            limits.max_selected,
            limits.max_per_organization,
            sorted(limits.state_max.items()),
            sorted(limits.sector_min.items()),
        ]
    )
    return f"calls:proposal:{call.pk}:{hashlib.sha256(problem.encode()).hexdigest()}"


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
    require_permission(by, "calls.manage_call", call)
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


def proposal_refusal(proposal: selection.Proposal) -> str:
    """Why no selection meets every limit and quota, naming the quota that cannot be met:
    "At least 2 in sector Agrifood: only 1 application in sector Agrifood." One query."""
    names = dict(
        Sector.objects.filter(slug__in=[v.key for v in proposal.shortfalls]).values_list(
            "slug", "name"
        )
    )
    reasons = []
    for violation in proposal.shortfalls:
        values = {
            "limit": violation.limit,
            "actual": violation.actual,
            "sector": names.get(violation.key, violation.key),
        }
        if violation.kind == "sector":
            reasons.append(
                ngettext(
                    "at least %(limit)s in sector %(sector)s: only %(actual)s application "
                    "in sector %(sector)s",
                    "at least %(limit)s in sector %(sector)s: only %(actual)s applications "
                    "in sector %(sector)s",
                    violation.actual,
                )
                % values
            )
        elif violation.kind == "sector_capped":
            reasons.append(
                _(
                    "at least %(limit)s in sector %(sector)s: at most %(actual)s of its "
                    "applications can be selected within the other limits (in all, per "
                    "organisation, per state)"
                )
                % values
            )
        else:
            reasons.append(_("at least %(limit)s in sector %(sector)s") % values)
    if not reasons:
        return _("No selection meets every limit and quota: relax a quota.")
    if proposal.shortfalls[0].kind == "sector_together":
        return _(
            "No selection meets these quotas all at once, within the call's limits: "
            "%(quotas)s. Relax one of them."
        ) % {"quotas": "; ".join(reasons)}
    return _("No selection meets every quota: %(reasons)s. Relax this quota.") % {
        "reasons": "; ".join(reasons)
    }


def decisions_send(*, call: Call, by: User) -> int:
    """Apply every prepared decision in one batch: statuses change (and are recorded),
    selected applicants join the delegation, and one email per applicant is queued after
    commit. Returns how many decisions were sent."""
    from ..tasks import task_decision_email

    require_permission(by, "calls.manage_call", call)
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


def _locked_for_email(application_id: int) -> Application | None:
    """The application with what its emails name, its row locked so that two runs of an
    email task queue up behind each other. Only its own row (``of``): locking the joined
    call too deadlocked with ``decisions_send``, which locks the call, then applications."""
    return (
        Application.objects.select_for_update(of=("self",))
        .filter(pk=application_id)
        .select_related("call__mission", "organization", "contact")
        .first()
    )


def _mission_ended(application: Application) -> bool:
    """Whether the call's mission is over: nobody is emailed about it any more (a decision
    or a free place in a delegation that has come home helps no one)."""
    return application.call.mission.end_date < timezone.localdate()


def decision_email_send(*, application_id: int) -> bool:
    """Email the applicant their current decision, once per decision. Nothing is sent once
    the mission has ended.

    The row lock makes two runs of the task queue up behind each other; the second finds
    the decision already notified and sends nothing. The email is sent while the lock is
    held, so a crash between sending and committing may send it again on retry (at least
    once), never two at the same time.
    """
    with transaction.atomic():
        application = _locked_for_email(application_id)
        if application is None or application.status not in Application.DECISIONS:
            return False
        if application.notified_status == application.status or _mission_ended(application):
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
            "application_url": absolute_url("calls:application", pk=application.pk),
        }
        message = string.Template(body).safe_substitute(values)
        if values["application_url"] not in message:
            # An organiser's own text need not remember the link: it is always there.
            message = (
                message.rstrip()
                + "\n\n"
                + _("Your application: %(url)s") % {"url": values["application_url"]}
            )
        send_email(
            subject=header_text(string.Template(subject).safe_substitute(values)),
            body=message,
            to=[application.contact.email],
        )
        application.notified_status = application.status
        application.decision_sent_at = timezone.now()
        application.save(update_fields=["notified_status", "decision_sent_at"])
    return True


def _delegation_add(application: Application) -> None:
    """The selected applicant joins the mission's delegation: an automatic consequence of
    a decision already allowed, made by the system (``by=None``), not in an organiser's
    name."""
    from missions.services import delegation_member_add

    mission = application.call.mission
    if mission.delegation.members.filter(user=application.contact_id).exists():
        return
    delegation_member_add(
        mission=mission,
        by=None,
        user=application.contact,
        organization=application.organization,
    )


def _delegation_remove(application: Application) -> None:
    """A selected applicant who withdrew leaves the delegation; made by the system."""
    from missions.services import delegation_member_remove

    mission = application.call.mission
    member = mission.delegation.members.filter(user=application.contact_id).first()
    if member is not None:
        delegation_member_remove(member=member, by=None)


def _promote_from_waitlist(
    call: Call, *, withdrawn: Application, withdrawal: StatusChange
) -> Application | None:
    """Give the place ``withdrawn`` left to the best-ranked waitlisted application whose
    promotion keeps every limit and quota of the call (``selection.promotion``: maximum
    delegates, per organisation and per state, and sector minimums), and tell them after
    commit. When nobody on the waiting list may take it, nobody is promoted: the
    ``withdrawal`` record says why and the mission's organisers are emailed after commit.
    Runs inside the withdrawal's transaction."""
    from ..tasks import task_decision_email, task_place_unfilled_email

    # One promotion at a time per call, and none while decisions are prepared or sent
    # (application_withdraw already holds this lock; taking it again costs nothing).
    Call.objects.select_for_update().get(pk=call.pk)
    waitlisted = list(
        Application.objects.select_for_update()
        .filter(call=call, status=Status.WAITLISTED)
        .select_related("call__mission", "organization", "contact")
        .order_by(F("waitlist_rank").asc(nulls_last=True), "pk")
    )
    candidates, limits = selectors.selection_problem(call)
    candidates.append(selectors.application_candidate(withdrawn))
    selected = set(
        Application.objects.filter(call=call, status=Status.SELECTED).values_list("pk", flat=True)
    )
    result = selection.promotion(
        candidates,
        before_ids=selected | {withdrawn.pk},
        selected_ids=selected,
        waitlist_ids=[application.pk for application in waitlisted],
        limits=limits,
    )
    by_id = {application.pk: application for application in waitlisted}
    if result.chosen is None:
        withdrawal.note = _unfilled_note(result, by_id)
        withdrawal.save(update_fields=["note"])
        pk = withdrawn.pk
        transaction.on_commit(lambda: task_place_unfilled_email.delay(application_id=pk))
        return None
    application = by_id[result.chosen]
    application.waitlist_rank = None
    _set_status(application, Status.SELECTED, by=None, note=_("Promoted from the waiting list"))
    _delegation_add(application)
    withdrawal.note = _("%(organization)s took the place from the waiting list.") % {
        "organization": application.organization.name
    }
    withdrawal.save(update_fields=["note"])
    pk = application.pk
    transaction.on_commit(lambda: task_decision_email.delay(application_id=pk))
    return application


def _unfilled_note(result: selection.Promotion, by_id: Mapping[int, Application]) -> str:
    """Why nobody was promoted, short enough for a status change's note (300 characters)."""
    if not result.passed_over:
        return _("Nobody promoted: the waiting list is empty.")
    reasons = "; ".join(
        f"{by_id[pk].organization.name} ({', '.join(map(describe_violation, violations))})"
        for pk, violations in result.passed_over
    )
    note = _("Nobody promoted: no one on the waiting list keeps the call's limits: %(reasons)s.")
    note = note % {"reasons": reasons}
    return note if len(note) <= 300 else note[:299] + "…"


def place_unfilled_notify(*, application_id: int) -> int:
    """Email the mission's organisers that the place ``application_id`` left when it
    withdrew stays free, and why. Returns how many were emailed; a second run sends nothing.

    A withdrawn application gets no email of its own, so its ``notified_status`` records
    that this one went out; the row lock makes two runs queue up behind each other. Nothing
    is sent once the mission has ended.
    """
    with transaction.atomic():
        application = _locked_for_email(application_id)
        if application is None or application.status != Status.WITHDRAWN:
            return 0
        if application.notified_status == Status.WITHDRAWN or _mission_ended(application):
            return 0
        withdrawal = (
            application.status_changes.filter(to_status=Status.WITHDRAWN)
            .order_by("-at", "-pk")
            .first()
        )
        call = application.call
        organisers = list(call.mission.organisers.filter(is_active=True).order_by("pk"))
        subject = _("%(call)s: a place in the delegation is free") % {"call": call.title}
        body = _(
            "%(person)s (%(organization)s) withdrew from the delegation of %(mission)s.\n\n"
            "%(note)s\n\n"
            "Choose who takes the place on the call's decisions page, or leave it free:\n"
            "%(decisions_url)s\n"
        ) % {
            "person": application.contact.get_full_name(),
            "organization": application.organization.name,
            "mission": call.mission.title,
            "note": withdrawal.note if withdrawal else "",
            "decisions_url": absolute_url("calls:decisions", pk=call.pk),
        }
        for organiser in organisers:
            send_email(subject=header_text(subject), body=body, to=[organiser.email])
        application.notified_status = Status.WITHDRAWN
        application.save(update_fields=["notified_status"])
    return len(organisers)


def submission_email_send(*, application_id: int) -> bool:
    """Confirm to the applicant that their application is in, once.

    Under the application's row lock: sent only while it is still submitted and not yet
    confirmed (``notified_status``); a second run finds it confirmed and sends nothing.
    Nothing is sent once the mission has ended."""
    from django.template.loader import render_to_string

    with transaction.atomic():
        application = _locked_for_email(application_id)
        if application is None or application.status != Status.SUBMITTED:
            return False
        if application.notified_status == Status.SUBMITTED:
            return False
        if _mission_ended(application):
            return False
        context = {
            "application": application,
            "call": application.call,
            "mission": application.call.mission,
            "application_url": absolute_url("calls:application", pk=application.pk),
        }
        send_email(
            subject=header_text(
                render_to_string("missions/calls/email/submitted_subject.txt", context)
            ),
            body=render_to_string("missions/calls/email/submitted_body.txt", context),
            to=[application.contact.email],
        )
        application.notified_status = Status.SUBMITTED
        application.save(update_fields=["notified_status"])
    return True
