"""Reads of more than one row: each returns only what the reader may see, with what its page
shows fetched up front. The cost of each page is stated and held by a query-count test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.models import Meeting, Session
from missions.calls.selectors import calls_visible_to
from missions.events.selectors import events_visible_to
from missions.models import Call, Event, ItineraryItem, Mission, Registration
from missions.selectors import missions_visible_to
from organizations.models import Membership, Organization

from .models import (
    Outcome,
    OutcomeConfirmation,
    Partnership,
    PartnershipChange,
    PartnershipMember,
    Programme,
    ProgrammePartner,
)
from .permissions import runs_programmes

# --- Programmes -----------------------------------------------------------------------------


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Public programmes for everyone; every programme for organisers and staff."""
    if runs_programmes(user):
        return Programme.objects.all()
    return Programme.objects.filter(is_public=True)


def programme_list(user) -> QuerySet[Programme]:
    """The list page: 2 queries (programmes, their partners)."""
    return programmes_visible_to(user).prefetch_related(
        Prefetch(
            "partner_links",
            queryset=ProgrammePartner.objects.select_related("organization").order_by(
                "role", "organization__name"
            ),
        )
    )


@dataclass
class Series:
    """A programme's activities the reader may see, split at ``now``."""

    upcoming_missions: list[Mission] = field(default_factory=list)
    past_missions: list[Mission] = field(default_factory=list)
    upcoming_events: list[Event] = field(default_factory=list)
    past_events: list[Event] = field(default_factory=list)
    open_calls: list[Call] = field(default_factory=list)
    closed_calls: list[Call] = field(default_factory=list)

    @property
    def events(self) -> list[Event]:
        return self.past_events + self.upcoming_events

    @property
    def is_empty(self) -> bool:
        return not (
            self.upcoming_missions
            or self.past_missions
            or self.upcoming_events
            or self.past_events
            or self.open_calls
            or self.closed_calls
        )


def programme_series(programme: Programme, user, *, now: dt.datetime | None = None) -> Series:
    """Its missions, events and calls the reader may see: 3 queries, however many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    series = Series()
    missions = (
        missions_visible_to(user)
        .filter(programme_link__programme=programme)
        .order_by("start_date", "pk")
    )
    for mission in missions:
        target = series.past_missions if mission.end_date < today else series.upcoming_missions
        target.append(mission)
    events = (
        events_visible_to(user)
        .filter(programme_link__programme=programme)
        .order_by("starts_at", "pk")
    )
    for event in events:
        (series.past_events if event.ends_at < now else series.upcoming_events).append(event)
    calls = (
        calls_visible_to(user)
        .filter(programme_link__programme=programme)
        .order_by("closes_at", "pk")
    )
    for call in calls:
        (series.closed_calls if call.closes_at <= now else series.open_calls).append(call)
    series.past_missions.reverse()
    series.past_events.reverse()
    series.closed_calls.reverse()
    return series


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # Bar length as a share of the longest bar, in per cent (0–100).
    percent: float
    # Its vertical position in the chart's SVG.
    y: int


@dataclass
class Figure:
    """One figure of the figures page: its rows, drawn as a bar chart and exported as CSV."""

    key: str
    title: str
    label_heading: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(value for _label, value in self.rows)

    @property
    def cards(self) -> list[dict]:
        """The rows as summary cards (``includes/stat_cards.html``)."""
        return [{"label": label, "value": value} for label, value in self.rows]

    @property
    def bars(self) -> list[Bar]:
        top = max((value for _label, value in self.rows), default=0) or 1
        return [
            Bar(label, value, round(100 * value / top, 1), 10 + index * BAR_STEP)
            for index, (label, value) in enumerate(self.rows)
        ]

    @property
    def chart_height(self) -> int:
        return 20 + BAR_STEP * max(len(self.rows), 1)


BAR_STEP = 34
FIGURE_KEYS = ("ran", "outcomes-by-type", "outcomes-by-country")


def programme_figures(programme: Programme, *, now: dt.datetime | None = None) -> list[Figure]:
    """What the programme ran and what came of it: 6 queries, however much there is.

    Ran: events held (published, over) and their participants (approved or confirmed
    registrations); missions held (public, begun) and their delegates; organisations met
    (hosts of visits that were not cancelled and have begun); matchmaking meetings held in
    sessions of its missions or events. Came of it: verified outcomes only, by type and by
    country (an outcome counts once in each country of its organisations).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    events = Event.objects.filter(
        programme_link__programme=programme, status=Event.Status.PUBLISHED, ends_at__lt=now
    ).aggregate(
        events=Count("pk", distinct=True),
        participants=Count(
            "registrations",
            filter=Q(registrations__status__in=Registration.ATTENDING_STATUSES),
            distinct=True,
        ),
    )
    missions = Mission.objects.filter(
        programme_link__programme=programme,
        status__in=Mission.PUBLIC_STATUSES,
        start_date__lte=today,
    ).aggregate(
        missions=Count("pk", distinct=True),
        delegates=Count("delegation__members", distinct=True),
    )
    organizations_met = (
        Organization.objects.filter(
            hosted_visits__day__mission__programme_link__programme=programme,
            hosted_visits__day__mission__status__in=Mission.PUBLIC_STATUSES,
            hosted_visits__kind=ItineraryItem.Kind.VISIT,
            hosted_visits__starts_at__lt=now,
        )
        .exclude(hosted_visits__visit_status=ItineraryItem.VisitStatus.CANCELLED)
        .distinct()
        .count()
    )
    meetings = Meeting.objects.filter(
        Q(session__event__programme_link__programme=programme)
        | Q(session__mission__programme_link__programme=programme),
        status=Meeting.Status.HELD,
    ).count()
    verified = Outcome.objects.filter(programme=programme, state=Outcome.State.VERIFIED)
    by_kind = dict(verified.values_list("kind").annotate(n=Count("pk")).order_by())
    by_country = dict(
        Outcome.organizations.through.objects.filter(
            outcome__programme=programme, outcome__state=Outcome.State.VERIFIED
        )
        .values_list("organization__country")
        .annotate(n=Count("outcome", distinct=True))
        .order_by()
    )
    from django_countries import countries

    country_rows = sorted(
        ((dict(countries).get(code, code), n) for code, n in by_country.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return [
        Figure(
            "ran",
            _("What the programme ran"),
            _("Activity"),
            [
                (_("Events held"), events["events"]),
                (_("Event participants"), events["participants"]),
                (_("Missions"), missions["missions"]),
                (_("Delegates"), missions["delegates"]),
                (_("Organisations met"), organizations_met),
                (_("Matchmaking meetings held"), meetings),
            ],
        ),
        Figure(
            "outcomes-by-type",
            _("Verified outcomes by type"),
            _("Type"),
            [(str(kind.label), by_kind.get(kind.value, 0)) for kind in Outcome.Kind],
        ),
        Figure(
            "outcomes-by-country",
            _("Verified outcomes by country"),
            _("Country"),
            [(str(name), n) for name, n in country_rows],
        ),
    ]


# --- Partnerships ---------------------------------------------------------------------------


def partnerships_visible_to(user) -> QuerySet[Partnership]:
    """Validated partnerships for everyone; members of a partner also see their own;
    organisers and staff see all."""
    if runs_programmes(user):
        return Partnership.objects.all()
    visible = Q(status=Partnership.Status.VALIDATED)
    if user.is_authenticated:
        visible |= Q(
            Exists(
                Membership.objects.filter(
                    user=user,
                    organization__partnership_memberships__partnership=OuterRef("pk"),
                )
            )
        )
    return Partnership.objects.filter(visible)


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=PartnershipMember.objects.select_related("organization").order_by(
            "role", "organization__name"
        ),
    )


def partnership_directory(user, *, base: QuerySet[Partnership] | None = None):
    """The directory rows: 3 queries (partnerships, sectors, partners)."""
    queryset = base if base is not None else partnerships_visible_to(user)
    return queryset.prefetch_related("sectors", _members_prefetch()).order_by("name", "pk")


def partnership_page(user) -> QuerySet[Partnership]:
    return partnerships_visible_to(user).prefetch_related("sectors", _members_prefetch())


@dataclass
class Activities:
    missions: list[Mission]
    events: list[Event]
    sessions: list[Session]


def partnership_activities(partnership: Partnership, user) -> Activities:
    """The missions, events and matchmaking sessions a partner organisation took part in
    (travelled, hosted a visit, attended or organised, met): 4 queries."""
    partner_ids = list(partnership.memberships.values_list("organization_id", flat=True))
    missions = (
        missions_visible_to(user)
        .filter(
            Q(delegation__members__organization__in=partner_ids)
            | Q(days__items__hosts__in=partner_ids)
        )
        .distinct()
        .order_by("-start_date", "pk")
    )
    events = (
        events_visible_to(user)
        .filter(
            Q(
                registrations__organization__in=partner_ids,
                registrations__status__in=Registration.ATTENDING_STATUSES,
            )
            | Q(organising_partners__in=partner_ids)
        )
        .distinct()
        .order_by("-starts_at", "pk")
    )
    sessions = (
        Session.objects.filter(participants__organization__in=partner_ids)
        .exclude(phase=Session.Phase.DRAFT)
        .distinct()
        .order_by("-created_at", "pk")
    )
    return Activities(list(missions), list(events), list(sessions))


def partnership_outcomes(partnership: Partnership, user) -> list[Outcome]:
    """Outcomes reported on the partnership or involving one of its partners, that the
    reader may see: 2 queries."""
    partner_ids = partnership.memberships.values("organization_id")
    ids = (
        outcomes_visible_to(user)
        .filter(Q(partnership=partnership) | Q(organizations__in=partner_ids))
        .values("pk")
    )
    return list(
        Outcome.objects.filter(pk__in=ids)
        .exclude(state=Outcome.State.REJECTED)
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("name")))
        .order_by("-date", "-pk")
    )


CHANGE_LABELS = {
    "description": _("Description"),
    "target_countries": _("Target countries"),
    "target_regions": _("Other target regions"),
    "sector_ids": _("Sectors"),
    "ends_on": _("Ends on"),
}


def partnership_changes_for_review() -> list[PartnershipChange]:
    """The pending proposals, each with ``rows`` of (label, new value) in words: 2 queries."""
    from django_countries import countries

    from organizations.models import Sector

    changes = list(partnership_changes_pending())
    sector_ids = {pk for c in changes for pk in c.changes.get("sector_ids", [])}
    names = dict(Sector.objects.filter(pk__in=sector_ids).values_list("pk", "name"))
    country_names = dict(countries)
    for change in changes:
        rows = []
        for key, value in change.changes.items():
            if key == "sector_ids":
                text = ", ".join(names.get(pk, "?") for pk in value) or "–"
            elif key == "target_countries":
                text = ", ".join(str(country_names.get(code, code)) for code in value) or "–"
            else:
                text = value or "–"
            rows.append((str(CHANGE_LABELS.get(key, key)), text))
        change.rows = rows
    return changes


def programme_outcomes(programme: Programme, user) -> list[Outcome]:
    """The programme's verified outcomes the reader may see, newest first: 2 queries."""
    ids = (
        outcomes_visible_to(user)
        .filter(programme=programme, state=Outcome.State.VERIFIED)
        .values("pk")
    )
    return list(
        Outcome.objects.filter(pk__in=ids)
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("name")))
        .order_by("-date", "-pk")
    )


def partnership_changes_pending() -> QuerySet[PartnershipChange]:
    return (
        PartnershipChange.objects.filter(status=PartnershipChange.Status.PENDING)
        .select_related("partnership", "organization", "proposed_by")
        .order_by("created_at", "pk")
    )


def partnerships_awaiting_validation() -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(status=Partnership.Status.PENDING)
        .prefetch_related(_members_prefetch())
        .order_by("created_at", "pk")
    )


def partnerships_managed_by(user) -> QuerySet[Partnership]:
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        Exists(
            Membership.objects.filter(
                user=user,
                role=Membership.Role.MANAGER,
                organization__partnership_memberships__partnership=OuterRef("pk"),
            )
        )
    ).order_by("name", "pk")


# --- Outcomes -------------------------------------------------------------------------------


def _insider(user) -> Q:
    # Used inside an ``pk__in`` subquery, so the join through the organisations may repeat rows.
    return Q(reported_by=user) | Q(organizations__memberships__user=user)


def outcomes_visible_to(user) -> QuerySet[Outcome]:
    """Public verified outcomes for everyone; every outcome to its reporter, to members of the
    organisations involved, to organisers and staff. Internal ones to nobody else."""
    if runs_programmes(user):
        return Outcome.objects.all()
    public = Q(visibility=Outcome.Visibility.PUBLIC, state=Outcome.State.VERIFIED)
    if not user.is_authenticated:
        return Outcome.objects.filter(public)
    ids = Outcome.objects.filter(public | _insider(user)).values("pk")
    return Outcome.objects.filter(pk__in=ids)


def outcomes_with_evidence_for(user) -> QuerySet[Outcome]:
    """Outcomes whose evidence file the reader may download: insiders, organisers and staff
    only, never anyone else, whatever the outcome's visibility."""
    queryset = Outcome.objects.exclude(evidence="")
    if runs_programmes(user):
        return queryset
    if not user.is_authenticated:
        return Outcome.objects.none()
    return queryset.filter(pk__in=Outcome.objects.filter(_insider(user)).values("pk"))


def outcome_list(user) -> QuerySet[Outcome]:
    return (
        outcomes_visible_to(user)
        .select_related("programme")
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("name")))
        .order_by("-date", "-pk")
    )


def outcome_page(user) -> QuerySet[Outcome]:
    return (
        outcomes_visible_to(user)
        .select_related(
            "programme",
            "mission",
            "event",
            "partnership",
            "meeting__session",
            "meeting__request__sender__organization",
            "meeting__request__receiver__organization",
            "reported_by",
            "verified_by",
        )
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name")),
            Prefetch(
                "confirmations",
                queryset=OutcomeConfirmation.objects.select_related("organization", "person"),
            ),
        )
    )


def outcomes_to_verify() -> QuerySet[Outcome]:
    """The staff queue: reported outcomes, oldest first, with what each row shows."""
    return (
        Outcome.objects.filter(state=Outcome.State.REPORTED)
        .select_related("programme", "reported_by")
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name")),
            "confirmations",
        )
        .order_by("created_at", "pk")
    )


def meetings_reportable_by(user) -> QuerySet[Meeting]:
    """Meetings the reader took part in (organisers and staff: every meeting)."""
    queryset = Meeting.objects.exclude(
        status__in=(Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW)
    ).select_related(
        "session",
        "slot",
        "request__sender__organization",
        "request__receiver__organization",
        "request__sender__user",
        "request__receiver__user",
    )
    if runs_programmes(user):
        return queryset
    if not user.is_authenticated:
        return Meeting.objects.none()
    return queryset.filter(Q(request__sender__user=user) | Q(request__receiver__user=user))
