"""Feedback surveys: who is invited when a mission or event ends, the single email each
person gets, their answers (a second submission replaces the first), and the organisers'
own questions."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.email import send_templated
from common.links import absolute_url
from missions.events.models import Event, Registration
from missions.models import ItineraryItem, Mission
from organizations.models import Membership, User

from ..models import Survey, SurveyInvitation, SurveyQuestion, SurveyResponse

Role = SurveyInvitation.Role

# A mission or event is surveyed once it is over, and not once it is long past: the demo's
# 2018 mission is over too, but nobody should be asked about it years later by accident.
SURVEY_WINDOW = dt.timedelta(days=60)
ONE_INVITATION_PER_PERSON = "survey_invitation_one_per_person"


def survey_for(target: Mission | Event) -> Survey:
    """The target's survey, made on first use."""
    field = "mission" if isinstance(target, Mission) else "event"
    survey, _created = Survey.objects.get_or_create(**{field: target})
    return survey


def _participants(survey: Survey) -> list[tuple[User, str]]:
    """Delegates and hosts of a mission, or attendees of an event: each person once."""
    people: dict[int, tuple[User, str]] = {}
    if survey.mission_id:
        delegates = User.objects.filter(
            delegation_memberships__delegation__mission_id=survey.mission_id, is_active=True
        ).order_by("pk")
        for user in delegates:
            people.setdefault(user.pk, (user, Role.DELEGATE))
        host_organizations = (
            ItineraryItem.objects.filter(
                day__mission_id=survey.mission_id, kind=ItineraryItem.Kind.VISIT
            )
            .exclude(visit_status=ItineraryItem.VisitStatus.CANCELLED)
            .values("hosts")
        )
        hosts = User.objects.filter(
            pk__in=Membership.objects.filter(organization__in=host_organizations).values("user"),
            is_active=True,
        ).order_by("pk")
        for user in hosts:
            people.setdefault(user.pk, (user, Role.HOST))
    else:
        attendees = User.objects.filter(
            event_registrations__event_id=survey.event_id,
            event_registrations__status__in=Registration.ATTENDING_STATUSES,
            is_active=True,
        ).order_by("pk")
        for user in attendees:
            people.setdefault(user.pk, (user, Role.ATTENDEE))
    return list(people.values())


def survey_invite(*, survey: Survey) -> list[SurveyInvitation]:
    """Create the invitations of everyone who should answer (each person once) and enqueue
    the emails of those not yet sent, after commit."""
    invitations = []
    with transaction.atomic():
        for user, role in _participants(survey):
            invitation = SurveyInvitation.objects.filter(survey=survey, user=user).first()
            if invitation is None:
                try:
                    with transaction.atomic():
                        invitation = SurveyInvitation.objects.create(
                            survey=survey, user=user, role=role, token=secrets.token_urlsafe(32)
                        )
                except IntegrityError as error:  # another run made it a moment ago
                    if constraint_name(error) != ONE_INVITATION_PER_PERSON:
                        raise
                    invitation = SurveyInvitation.objects.get(survey=survey, user=user)
            if invitation.sent_at is None:
                invitations.append(invitation)
        ids = [invitation.pk for invitation in invitations]

        def enqueue() -> None:
            from ..tasks import task_survey_invitation_send

            for invitation_id in ids:
                task_survey_invitation_send.delay(invitation_id=invitation_id)

        transaction.on_commit(enqueue)
    return invitations


def surveys_send_due(*, now: dt.datetime | None = None) -> int:
    """Invite the people of every mission and event that ended within the survey window.
    Run periodically; each person is emailed once whatever the number of runs."""
    now = now or timezone.now()
    today = now.date()
    count = 0
    missions = Mission.objects.filter(
        status__in=Mission.PUBLIC_STATUSES,
        end_date__lt=today,
        end_date__gte=today - SURVEY_WINDOW,
    )
    for mission in missions:
        count += len(survey_invite(survey=survey_for(mission)))
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, ends_at__lt=now, ends_at__gte=now - SURVEY_WINDOW
    )
    for event in events:
        count += len(survey_invite(survey=survey_for(event)))
    return count


def survey_invitation_send(*, invitation: SurveyInvitation) -> int:
    """Email the invitation's link, exactly once: ``sent_at`` is set under the row lock."""
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("user", "survey__mission", "survey__event")
            .get(pk=invitation.pk)
        )
        if invitation.sent_at is not None:
            return 0
        context = {
            "invitation": invitation,
            "target": invitation.survey.target,
            "link": absolute_url("reports:survey_answer", token=invitation.token),
        }
        send_templated(
            template="reports/email/survey_invitation",
            context=context,
            to=[invitation.user.email],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return 1


def survey_response_submit(
    *, survey: Survey, by: User, role: str = "", answers: dict[str, Any]
) -> tuple[SurveyResponse, bool]:
    """Record ``by``'s answers; a second submission replaces the first.

    ``answers`` holds overall_rating, contacts_made, collaborations_planned, comments,
    consent_to_quote, usefulness ({item id: 1-5}) and questions ({question id: value}).
    Returns the response and whether it replaced an earlier one."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        response = SurveyResponse.objects.filter(survey=survey, user=by).first()
        replaced = response is not None
        if response is None:
            response = SurveyResponse(survey=survey, user=by)
        else:
            response.times_replaced += 1
        if not role:
            invitation = SurveyInvitation.objects.filter(survey=survey, user=by).first()
            role = invitation.role if invitation else ""
        response.role = role
        response.overall_rating = answers["overall_rating"]
        response.contacts_made = answers.get("contacts_made") or 0
        response.collaborations_planned = answers.get("collaborations_planned") or 0
        response.comments = answers.get("comments", "")
        response.consent_to_quote = bool(answers.get("consent_to_quote"))
        response.answers = {
            "usefulness": {str(k): v for k, v in (answers.get("usefulness") or {}).items()},
            "questions": {str(k): v for k, v in (answers.get("questions") or {}).items()},
        }
        response.submitted_at = timezone.now()
        response.full_clean()
        response.save()
    return response, replaced


def survey_question_add(*, survey: Survey, by: User, label: str, kind: str) -> SurveyQuestion:
    """An organiser adds a question to their survey."""
    from ..permissions import is_survey_organiser

    if not is_survey_organiser(by, survey):
        raise ValidationError(_("Only the organisers may add questions."))
    with transaction.atomic():
        last = survey.questions.order_by("-position").first()
        question = SurveyQuestion(
            survey=survey,
            label=label,
            kind=kind,
            position=(last.position + 1) if last else 0,
        )
        question.full_clean()
        question.save()
    return question


def usefulness_items(survey: Survey) -> list[tuple[str, str]]:
    """The visits and sessions (or agenda slots) a respondent rates: [(id, label)]."""
    if survey.mission_id:
        items = (
            ItineraryItem.objects.filter(day__mission_id=survey.mission_id)
            .filter(Q(kind=ItineraryItem.Kind.VISIT) | Q(kind=ItineraryItem.Kind.SESSION))
            .exclude(visit_status=ItineraryItem.VisitStatus.CANCELLED)
            .order_by("starts_at", "pk")
        )
        return [(str(item.pk), item.title) for item in items]
    return [
        (str(item.pk), item.title)
        for item in survey.event.agenda_items.filter(parent=None).order_by("starts_at", "pk")
    ]
