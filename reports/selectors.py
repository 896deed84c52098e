"""Reads of report jobs, documents and surveys, scoped to what the reader may see.

Staff see every mission and event; organisers those they organise; a participant only the
jobs of their own badge. The reports home reads in a fixed number of queries (missions,
events, jobs), however many documents and versions there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from matchmaking.models import Session
from matchmaking.selectors import sessions_organised_by
from missions.events.models import Event, Registration
from missions.models import Mission
from organizations.permissions import is_organiser

from .models import ReportJob, Survey
from .permissions import is_staff_role

Kind = ReportJob.Kind


def _organiser_only(user) -> bool:
    return user.is_authenticated and not is_staff_role(user)


def missions_for_reports(user) -> QuerySet[Mission]:
    """Every mission for staff; the missions they organise for organisers; none otherwise."""
    if not user.is_authenticated:
        return Mission.objects.none()
    if is_staff_role(user):
        return Mission.objects.all()
    return Mission.objects.filter(
        Exists(Mission.organisers.through.objects.filter(mission=OuterRef("pk"), user=user))
    )


def events_for_reports(user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    if is_staff_role(user):
        return Event.objects.all()
    return Event.objects.filter(
        Exists(Event.organisers.through.objects.filter(event=OuterRef("pk"), user=user))
    )


def sessions_for_reports(user) -> QuerySet[Session]:
    """The matchmaking sessions whose print files the reader may make: those they organise
    (staff as such do not; see ``permissions``)."""
    return sessions_organised_by(user)


def registrations_for_badges(user) -> QuerySet[Registration]:
    """One's own registrations with a seat (a badge is printed for those)."""
    if not user.is_authenticated:
        return Registration.objects.none()
    return Registration.objects.filter(
        user=user, status__in=Registration.ATTENDING_STATUSES
    ).select_related("event")


def jobs_visible_to(user) -> QuerySet[ReportJob]:
    """Jobs of what the reader may read: every mission's and event's for staff; the
    missions, events and matchmaking sessions they organise; their own badge."""
    if not user.is_authenticated:
        return ReportJob.objects.none()
    jobs = ReportJob.objects.select_related(
        "mission", "event", "registration", "session", "requested_by"
    )
    organised_sessions = Q(session__in=sessions_for_reports(user).values("pk"))
    if is_staff_role(user):
        return jobs.filter(Q(session__isnull=True) | organised_sessions)
    return jobs.filter(
        Q(mission__in=missions_for_reports(user).values("pk"))
        | Q(event__in=events_for_reports(user).values("pk"))
        | organised_sessions
        | Q(registration__user=user, kind=Kind.BADGES)
    )


def document_versions(job: ReportJob) -> list[ReportJob]:
    """The other done files of ``job``'s document (same kind and target), newest first, for
    the job's page: one query. They have the job's target, so the same readers."""
    return list(
        ReportJob.objects.filter(
            kind=job.kind, target_key=job.target_key, status=ReportJob.Status.DONE
        )
        .exclude(pk=job.pk)
        .order_by("-version", "-pk")
    )


@dataclass
class Document:
    kind: str
    label: str
    latest: ReportJob | None = None
    in_progress: ReportJob | None = None
    older: list[ReportJob] = field(default_factory=list)


@dataclass
class TargetDocuments:
    target: Mission | Event
    target_type: str
    documents: list[Document]
    # Whether the reader organises it (writes its texts, adds survey questions).
    organised: bool = False


def _documents(target, target_type: str, kinds, jobs: list[ReportJob], user) -> TargetDocuments:
    documents = []
    for kind in kinds:
        document = Document(kind=kind, label=str(Kind(kind).label))
        for job in jobs:  # newest first
            if job.kind != kind:
                continue
            if job.status == ReportJob.Status.DONE:
                if document.latest is None:
                    document.latest = job
                else:
                    document.older.append(job)
            elif document.in_progress is None and job.status in (
                ReportJob.Status.QUEUED,
                ReportJob.Status.RUNNING,
            ):
                document.in_progress = job
        documents.append(document)
    organised = user.is_superuser or (
        is_organiser(user) and any(o.pk == user.pk for o in target.organisers.all())
    )
    return TargetDocuments(
        target=target, target_type=target_type, documents=documents, organised=organised
    )


def reports_home(user) -> list[TargetDocuments]:
    """Every mission and event the reader may report on, with each document's latest done
    version, the one on its way, and the older versions: 5 queries."""
    missions = list(
        missions_for_reports(user).prefetch_related("organisers").order_by("-start_date", "pk")
    )
    events = list(
        events_for_reports(user).prefetch_related("organisers").order_by("-starts_at", "pk")
    )
    keys = [ReportJob.key_for(m) for m in missions] + [ReportJob.key_for(e) for e in events]
    by_key: dict[str, list[ReportJob]] = defaultdict(list)
    for job in ReportJob.objects.filter(target_key__in=keys).order_by("-created_at", "-pk"):
        by_key[job.target_key].append(job)
    rows = [
        _documents(m, "mission", ReportJob.MISSION_KINDS, by_key[ReportJob.key_for(m)], user)
        for m in missions
    ]
    rows += [
        _documents(e, "event", ReportJob.EVENT_KINDS, by_key[ReportJob.key_for(e)], user)
        for e in events
    ]
    return rows


def survey_of(target) -> Survey | None:
    field_name = "mission" if isinstance(target, Mission) else "event"
    return (
        Survey.objects.filter(**{field_name: target})
        .prefetch_related("questions", "responses__user", "invitations")
        .first()
    )
