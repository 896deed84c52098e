"""The data of a mission's documents: the mission report and the delegation booklet."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from missions import mapsvg
from missions import selectors as missions_selectors
from missions.events.models import Event, Registration
from missions.models import Application, ItineraryItem, Mission
from missions.templatetags.mission_times import format_range
from organizations.models import Organization, Sector

from ...models import ReportJob
from .common import (
    LAYOUT_VERSION,
    _counted,
    _country,
    _dates,
    _day,
    _matchmaking,
    _organization,
    _survey_query,
    _survey_results,
    _texts,
)


def _mission_head(mission: Mission) -> dict[str, Any]:
    return {
        "title": mission.title,
        "slug": mission.slug,
        "direction": str(mission.get_direction_display()),
        "dates": _dates(mission.start_date, mission.end_date),
        "start": mission.start_date.isoformat(),
        "end": mission.end_date.isoformat(),
        "days": (mission.end_date - mission.start_date).days + 1,
        "countries": [str(country.name) for country in mission.countries],
        "sectors": sorted(s.name for s in mission.sectors.all()),
        "organisers": sorted(o.name for o in mission.organiser_organizations.all()),
        "summary": mission.summary,
        "description": mission.description,
    }


def _load_mission(mission: Mission) -> Mission:
    """The mission with its sectors and organising organisations: 3 queries."""
    return (
        Mission.objects.filter(pk=mission.pk)
        .prefetch_related("sectors", "organiser_organizations")
        .get()
    )


def _itinerary(mission: Mission) -> tuple[list[dict], list[ItineraryItem]]:
    """Days with their items, from ``missions.selectors.itinerary_items``: 2 queries."""
    items = missions_selectors.itinerary_items(mission)
    by_day: dict[dt.date, list[ItineraryItem]] = defaultdict(list)
    titles: dict[dt.date, str] = {}
    for item in items:
        by_day[item.day.date].append(item)
        titles[item.day.date] = item.day.title
    days = []
    for date in sorted(by_day):
        days.append(
            {
                "date": date.isoformat(),
                "label": _day(date),
                "title": titles[date],
                "items": [_item(item) for item in by_day[date]],
            }
        )
    return days, items


def _item(item: ItineraryItem) -> dict[str, Any]:
    row = {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "title": item.title,
        "time": format_range(item.starts_at, item.ends_at, item.time_zone, item.end_zone),
        "city": item.city,
        "venue": item.venue_name,
        "topic": item.topic,
        "cancelled": item.is_cancelled,
        "hosts": [host.name for host in item.hosts.all()],
    }
    if item.kind == ItineraryItem.Kind.TRAVEL:
        row["route"] = f"{item.from_city} → {item.to_city}"
        row["mode"] = str(item.get_travel_mode_display())
    if item.kind == ItineraryItem.Kind.SESSION:
        row["session_kind"] = str(item.get_session_kind_display())
    return row


def _hosts_by_place(items: list[ItineraryItem]) -> list[dict[str, Any]]:
    """Every host met (visits and sessions not cancelled), grouped by the country and city
    where they met the delegation. A visit records its city, not its country: a city's
    country is the one most of its hosts based in that city have (Rotterdam is in the
    Netherlands even when the International Cleantech Network of Denmark meets there)."""
    met: dict[str, dict[int, str]] = defaultdict(dict)
    votes: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        if item.kind == ItineraryItem.Kind.TRAVEL or item.is_cancelled:
            continue
        for host in item.hosts.all():
            city = item.city or host.city or _("Unknown city")
            met[city][host.pk] = host.name
            votes[city][_country(host)] += 3 if host.city == city else 1
    places: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    hosts_in_country: dict[str, set[int]] = defaultdict(set)
    for city, hosts in met.items():
        ranked = sorted(votes[city].items(), key=lambda pair: (-pair[1], pair[0]))
        country = ranked[0][0] or _("Unknown country")
        places[country][city] |= set(hosts.values())
        hosts_in_country[country] |= set(hosts)
    return [
        {
            "country": country,
            "cities": [
                {"city": city, "organizations": sorted(names)}
                for city, names in sorted(places[country].items())
            ],
            "count": len(hosts_in_country[country]),
        }
        for country in sorted(places)
    ]


def _delegation(mission: Mission) -> dict[str, Any]:
    """Delegates and their organisations: 2 queries."""
    members = list(
        missions_selectors.delegation_members(mission).prefetch_related(
            Prefetch("organization__sectors", queryset=Sector.objects.order_by("name"))
        )
    )
    organizations: dict[int, dict[str, Any]] = {}
    for member in members:
        row = organizations.setdefault(
            member.organization_id, {**_organization(member.organization), "delegates": []}
        )
        row["delegates"].append(
            {"name": member.user.get_full_name(), "role": str(member.get_role_display())}
        )
    organizations_sorted = sorted(organizations.values(), key=lambda o: o["name"])
    return {
        "members": len(members),
        "organizations": organizations_sorted,
        "states": sorted({o["region"] for o in organizations_sorted if o["region"]}),
        "sectors": sorted({s for o in organizations_sorted for s in o["sectors"]}),
        "by_state": _counted(o["region"] for o in organizations_sorted),
        "by_kind": _counted(o["kind"] for o in organizations_sorted),
    }


def _call(mission: Mission) -> dict[str, Any]:
    """The applications to the mission's calls (drafts left out): 2 queries."""
    applications = list(
        Application.objects.filter(call__mission=mission)
        .exclude(status=Application.Status.DRAFT)
        .select_related("organization")
        .prefetch_related(
            Prefetch("organization__sectors", queryset=Sector.objects.order_by("name"))
        )
        .order_by("pk")
    )
    selected = [a for a in applications if a.status == Application.Status.SELECTED]
    return {
        "received": len(applications),
        "selected": len(selected),
        "withdrawn": len([a for a in applications if a.status == Application.Status.WITHDRAWN]),
        "applicant_states": _counted(a.organization.region for a in applications),
        "selected_states": sorted({a.organization.region for a in selected} - {""}),
        "selected_sectors": sorted(
            {s.name for a in selected for s in a.organization.sectors.all()}
        ),
    }


def _roundtables(mission: Mission) -> list[dict[str, Any]]:
    """The mission's roundtable events, with their seat counts: 1 query."""
    from django.db.models import Count, Q

    events = (
        Event.objects.filter(mission=mission, kind=Event.Kind.ROUNDTABLE)
        .annotate(
            attending=Count(
                "registrations",
                filter=Q(registrations__status__in=Registration.ATTENDING_STATUSES),
            ),
            checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .order_by("starts_at", "pk")
    )
    return [
        {
            "title": event.title,
            "date": _day(event.starts_at.astimezone(event.tz).date()),
            "time": format_range(event.starts_at, event.ends_at, event.time_zone),
            "venue": ", ".join(part for part in (event.venue_name, event.city) if part),
            "attending": event.attending,
            "checked_in": event.checked_in,
        }
        for event in events
    ]


def _usefulness_labels_for_items(items: list[ItineraryItem]) -> dict[str, str]:
    return {
        str(item.pk): f"{item.title} ({item.starts_at.astimezone(item.tz):%d %b})"
        for item in items
        if item.kind != ItineraryItem.Kind.TRAVEL and not item.is_cancelled
    }


def mission_report_data(mission: Mission) -> dict[str, Any]:
    """Everything the mission report prints: 20 queries whatever the mission's size."""
    mission = _load_mission(mission)
    days, items = _itinerary(mission)
    hosts = _hosts_by_place(items)
    survey = _survey_query().filter(mission=mission).first()
    return {
        "layout": LAYOUT_VERSION,
        "kind": ReportJob.Kind.MISSION_REPORT,
        "mission": _mission_head(mission),
        "texts": _texts(mission=mission),
        "call": _call(mission),
        "delegation": _delegation(mission),
        "days": days,
        "hosts_by_country": hosts,
        "hosts_count": len(missions_selectors.organizations_met(items)),
        "visits_count": len(
            [i for i in items if i.kind == ItineraryItem.Kind.VISIT and not i.is_cancelled]
        ),
        "map_svg": mapsvg.map_for_items(items, title=mission.title),
        "roundtables": _roundtables(mission),
        "matchmaking": _matchmaking(mission=mission),
        "survey": _survey_results(survey, _usefulness_labels_for_items(items)),
    }


def delegation_booklet_data(mission: Mission) -> dict[str, Any]:
    """The booklet: one page per delegate organisation and per host, then the itinerary."""
    mission = _load_mission(mission)
    days, items = _itinerary(mission)
    visits_by_host: dict[int, list[dict[str, str]]] = defaultdict(list)
    for item in items:
        if item.kind == ItineraryItem.Kind.TRAVEL or item.is_cancelled:
            continue
        for host in item.hosts.all():
            visits_by_host[host.pk].append(
                {
                    "title": item.title,
                    "date": _day(item.starts_at.astimezone(item.tz).date()),
                    "time": format_range(item.starts_at, item.ends_at, item.time_zone),
                    "city": item.city,
                    "topic": item.topic,
                }
            )
    hosts = (
        Organization.objects.filter(pk__in=list(visits_by_host))
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("name")))
        .order_by("name", "pk")
    )
    return {
        "layout": LAYOUT_VERSION,
        "kind": ReportJob.Kind.DELEGATION_BOOKLET,
        "mission": _mission_head(mission),
        "delegation": _delegation(mission),
        "hosts": [{**_organization(host), "visits": visits_by_host[host.pk]} for host in hosts],
        "days": days,
    }
