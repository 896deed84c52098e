"""Reads of more than one row: each returns only what the given user may see, with what
its page shows fetched up front (a fixed number of queries however long the mission)."""

from __future__ import annotations

import hashlib

from django.db.models import Prefetch, Q, QuerySet

from common import pagecache
from organizations.models import Membership, Organization, User
from organizations.permissions import is_organiser

from . import planner
from .models import (
    ChangeLogEntry,
    DelegationMember,
    ItineraryDay,
    ItineraryItem,
    Mission,
)


def missions_editable_by(user) -> QuerySet[Mission]:
    """The missions this user organises: those naming them as organiser, provided they hold
    the organiser role (every mission for site admins).

    This is THE definition of "an organiser of this mission": the rules predicate
    ``missions.permissions.is_mission_organiser`` asks this queryset, and the calls and
    reports read it too, so the rule and the lists cannot disagree.
    """
    if not is_organiser(user):
        return Mission.objects.none()
    if user.is_superuser:
        return Mission.objects.all()
    return Mission.objects.filter(pk__in=Mission.objects.filter(organisers=user).values("pk"))


def missions_visible_to(user) -> QuerySet[Mission]:
    """Published and completed missions for everyone, plus any mission the user organises."""
    if user.is_authenticated and user.is_superuser:
        return Mission.objects.all()
    visible = Q(status__in=Mission.PUBLIC_STATUSES)
    if is_organiser(user):
        visible |= Q(pk__in=missions_editable_by(user).values("pk"))
    return Mission.objects.filter(visible)


def public_mission_list() -> list[Mission]:
    """The published and completed missions, the latest first, with their sectors: 2 queries."""
    return list(
        Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES)
        .prefetch_related("sectors")
        .order_by("-start_date", "pk")
    )


def unpublished_missions_of(user) -> list[Mission]:
    """The missions not yet public that ``user`` organises (all of them for a superuser);
    no query for anyone else."""
    if not is_organiser(user):
        return []
    return list(
        missions_visible_to(user)
        .exclude(status__in=Mission.PUBLIC_STATUSES)
        .order_by("-start_date", "pk")
    )


def mission_page(user) -> QuerySet[Mission]:
    """Missions for the mission page, with its organisers and sectors."""
    return missions_visible_to(user).prefetch_related("sectors", "organiser_organizations")


def _items_queryset(*, public_only: bool) -> QuerySet[ItineraryItem]:
    items = ItineraryItem.objects.prefetch_related(
        Prefetch("hosts", queryset=Organization.objects.order_by("name"))
    ).order_by("position", "starts_at", "pk")
    if public_only:
        items = items.filter(is_public=True)
    return items


def itinerary_days(mission: Mission, *, public_only: bool = False) -> list[ItineraryDay]:
    """The days of ``mission`` with their ordered items and each visit's hosts: 3 queries."""
    return list(
        ItineraryDay.objects.filter(mission=mission)
        .prefetch_related(Prefetch("items", queryset=_items_queryset(public_only=public_only)))
        .order_by("date", "pk")
    )


def itinerary_items(mission: Mission, *, public_only: bool = False) -> list[ItineraryItem]:
    """Every item of the mission in time order, with its day and hosts: 2 queries."""
    return list(
        _items_queryset(public_only=public_only)
        .filter(day__mission=mission)
        .select_related("day")
        .order_by("starts_at", "position", "pk")
    )


def plan_items(items: list[ItineraryItem]) -> list[planner.PlanItem]:
    return [
        planner.PlanItem(
            id=item.pk,
            kind=item.kind,
            title=item.title,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            time_zone=item.time_zone,
            city=item.city,
            from_city=item.from_city,
            to_city=item.to_city,
            cancelled=item.is_cancelled,
            end_zone=item.end_zone,
        )
        for item in items
    ]


def mission_warnings(mission: Mission, items: list[ItineraryItem] | None = None):
    """The planner's warnings for the mission's itinerary."""
    if items is None:
        items = list(ItineraryItem.objects.filter(day__mission=mission))
    return planner.check_itinerary(
        start_date=mission.start_date, end_date=mission.end_date, items=plan_items(items)
    )


def mission_dst_warnings(
    mission: Mission, *, home_zones: set[str], items: list[ItineraryItem]
) -> list[planner.OffsetShift]:
    """Clock changes between any home zone and any venue zone during the mission."""
    venue_zones = {item.time_zone for item in items} or {mission.time_zone}
    shifts = []
    for home in sorted(home_zones):
        for venue in sorted(venue_zones):
            if home == venue:
                continue
            shifts += planner.offset_shifts(
                home_zone=home,
                venue_zone=venue,
                start_date=mission.start_date,
                end_date=mission.end_date,
            )
    return sorted(shifts, key=lambda s: (s.at, s.home_zone, s.venue_zone))


def organizations_met(items: list[ItineraryItem]) -> list[Organization]:
    """The hosts of the visits and sessions not cancelled, from already-fetched items."""
    seen: dict[int, Organization] = {}
    for item in items:
        if item.kind != ItineraryItem.Kind.TRAVEL and not item.is_cancelled:
            for host in item.hosts.all():
                seen.setdefault(host.pk, host)
    return sorted(seen.values(), key=lambda o: o.name)


def delegation_members(mission: Mission) -> QuerySet[DelegationMember]:
    return (
        DelegationMember.objects.filter(delegation__mission=mission)
        .select_related("user", "organization")
        .order_by("role", "user__full_name", "pk")
    )


def delegate_of(mission: Mission, user) -> DelegationMember | None:
    if not user.is_authenticated:
        return None
    return (
        DelegationMember.objects.filter(delegation__mission=mission, user=user)
        .select_related("organization")
        .first()
    )


def member_by_feed_token(token: str) -> DelegationMember | None:
    """The delegate whose private calendar secret this is, on a public mission."""
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        DelegationMember.objects.filter(
            feed_token_hash=digest,
            delegation__mission__status__in=Mission.PUBLIC_STATUSES,
            user__is_active=True,
        )
        .select_related("delegation__mission", "user")
        .first()
    )


def change_log(mission: Mission) -> QuerySet[ChangeLogEntry]:
    return (
        ChangeLogEntry.objects.filter(mission=mission)
        .select_related("by")
        .order_by("-created_at", "-pk")
    )


def change_recipients(entry: ChangeLogEntry) -> list[tuple[User, str]]:
    """Whom ``entry`` concerns, each once: the mission's organisers when a host answered
    about a visit; the delegates of a published mission; each contact of an affected host
    organisation."""
    recipients: dict[int, tuple[User, str]] = {}
    if entry.action in (
        ChangeLogEntry.Action.VISIT_CONFIRMED,
        ChangeLogEntry.Action.VISIT_TIME_PROPOSED,
    ):
        for user in entry.mission.organisers.filter(is_active=True).order_by("email"):
            recipients.setdefault(user.pk, (user, "organiser"))
    if entry.mission.status == Mission.Status.PUBLISHED:
        delegates = User.objects.filter(
            delegation_memberships__delegation__mission=entry.mission, is_active=True
        ).order_by("email")
        for user in delegates:
            recipients.setdefault(user.pk, (user, "delegate"))
    hosts = (
        User.objects.filter(
            memberships__organization__in=entry.affected_hosts.all(), is_active=True
        )
        .distinct()
        .order_by("email")
    )
    for user in hosts:
        recipients.setdefault(user.pk, (user, "host"))
    return list(recipients.values())


def planning_items(mission: Mission) -> QuerySet[ItineraryItem]:
    """The items of ``mission`` for its organisers' pages, each with its day and mission."""
    return ItineraryItem.objects.filter(day__mission=mission).select_related("day__mission")


def visits_for_host(user) -> QuerySet[ItineraryItem]:
    """Visits hosted by an organisation the user belongs to, on missions being prepared or
    run (drafts included: hosts confirm before publication)."""
    if not user.is_authenticated:
        return ItineraryItem.objects.none()
    own = Membership.objects.filter(user=user).values("organization")
    return (
        ItineraryItem.objects.filter(
            kind=ItineraryItem.Kind.VISIT,
            day__mission__status__in=Mission.EDITABLE_STATUSES,
            pk__in=ItineraryItem.objects.filter(hosts__in=own).values("pk"),
        )
        .select_related("day__mission")
        .prefetch_related(Prefetch("hosts", queryset=Organization.objects.order_by("name")))
        .order_by("starts_at", "pk")
    )


# The home page (reports.home composes these): a fixed number of queries each.
HOME_LIMIT = 10


def home_missions_planning(user, *, today=None) -> list[Mission]:
    """The organiser's missions being prepared or run and not yet over, the soonest first.
    Each carries ``warnings`` (the planner's) and ``pending_visits`` (visits the hosts have
    not confirmed). Two queries: the missions, then all their items at once."""
    from django.db.models import Count
    from django.utils import timezone

    today = today or timezone.localdate()
    missions = list(
        missions_editable_by(user)
        .filter(status__in=Mission.EDITABLE_STATUSES, end_date__gte=today)
        .annotate(
            pending_visits=Count(
                "days__items",
                filter=Q(
                    days__items__kind=ItineraryItem.Kind.VISIT,
                    days__items__visit_status=ItineraryItem.VisitStatus.PROPOSED,
                ),
            )
        )
        .order_by("start_date", "pk")[:HOME_LIMIT]
    )
    if not missions:
        return missions
    items_of: dict[int, list[ItineraryItem]] = {mission.pk: [] for mission in missions}
    for item in ItineraryItem.objects.filter(day__mission__in=list(items_of)).select_related("day"):
        items_of[item.day.mission_id].append(item)
    for mission in missions:
        mission.warnings = mission_warnings(mission, items_of[mission.pk])
    return missions


def home_visits_to_confirm(user, *, today=None) -> list[ItineraryItem]:
    """Visits proposed to the reader's organisations on missions not yet over (two queries:
    the visits, then their hosts)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return list(
        visits_for_host(user).filter(
            visit_status=ItineraryItem.VisitStatus.PROPOSED, day__mission__end_date__gte=today
        )[:HOME_LIMIT]
    )


def home_upcoming_missions(user, *, today=None) -> list[Mission]:
    """Published missions not yet over, the soonest first (one query)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return list(
        Mission.objects.filter(status=Mission.Status.PUBLISHED, end_date__gte=today).order_by(
            "start_date", "pk"
        )[:HOME_LIMIT]
    )


def home_recent_missions(user) -> list[Mission]:
    """For staff: the missions they may see, the latest first, for their documents."""
    return list(missions_visible_to(user).order_by("-start_date", "pk")[:HOME_LIMIT])


# What the public pages of a mission show changes with: the mission itself (its save, or a
# day added or renamed, bumps ``updated_at``), its itinerary (items saved; removals and
# reorders leave a change-log entry), the organisations named (hosts, organisers), and the
# calls, events and matchmaking sessions listed on its page (through their reverse
# relations: missions imports none of those apps). Counts catch a row removed.
_VERSION_PARTS = {
    "latest": (
        "updated_at",
        "change_log__pk",
        "days__pk",
        "days__items__updated_at",
        "days__items__hosts__updated_at",
        "organiser_organizations__updated_at",
        "calls__updated_at",
        "events__updated_at",
        "matchmaking_sessions__updated_at",
        "sectors__updated_at",
    ),
    "count": ("days", "days__items", "sectors", "calls", "events", "matchmaking_sessions"),
}


def mission_content_version(mission: Mission) -> str:
    """A short string that changes whenever anything the mission's public pages (overview,
    map, public calendar) show changes: the key of their cached copies. One query, compiled
    once per process (``pagecache.content_version``)."""
    return pagecache.content_version(
        mission, latest=_VERSION_PARTS["latest"], count=_VERSION_PARTS["count"]
    )
