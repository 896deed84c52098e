"""Gather a document's data: plain, JSON-ready dicts read through the apps' selectors.

Each ``*_data`` function reads a fixed number of queries however many days, visits,
delegates, registrations or answers there are (its query-count test holds it to that), and
returns only text, numbers, lists and dicts, in a stable order: the fingerprint of a
document is the hash of this data, and the templates render nothing else. Times are
formatted here, in the venue's zone, so the data says exactly what the page will print.

Who may call: the report services (``report_request``, ``report_render``), which check
permissions first; these functions read everything of their target.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from missions import mapsvg
from missions import selectors as missions_selectors
from missions.events import selectors as events_selectors
from missions.events.models import AgendaItem, AgendaPerson, Event, Registration
from missions.models import Application, ItineraryItem, Mission
from missions.templatetags.mission_times import format_range
from organizations.models import Organization, Sector

from ..models import ReportJob, ReportText, Survey, SurveyQuestion

# Bumped when a template or the data's shape changes, so old files are not reused.
LAYOUT_VERSION = 2


def fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _dates(start: dt.date, end: dt.date) -> str:
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def _country(organization: Organization) -> str:
    return str(organization.country.name) if organization.country else ""


def _organization(organization: Organization, *, sectors: bool = True) -> dict[str, Any]:
    row = {
        "id": organization.pk,
        "name": organization.name,
        "kind": str(organization.get_kind_display()),
        "country": _country(organization),
        "region": organization.region,
        "city": organization.city,
        "website": organization.website,
        "description": organization.description,
    }
    if sectors:
        row["sectors"] = sorted(s.name for s in organization.sectors.all())
    return row


def _counted(values) -> list[list[Any]]:
    """[[value, count], …], most frequent first, then alphabetical; blanks left out."""
    counts = Counter(value for value in values if value)
    return [[value, count] for value, count in sorted(counts.items(), key=lambda p: (-p[1], p[0]))]


# --- surveys -----------------------------------------------------------------------------


def _survey_results(survey: Survey | None, usefulness_labels: dict[str, str]) -> dict[str, Any]:
    """Aggregates of a survey's answers; comments only where the respondent agreed to be
    quoted. Reads the survey's responses and questions already prefetched."""
    if survey is None:
        return {"responses": 0}
    responses = list(survey.responses.all())
    questions = list(survey.questions.all())
    result: dict[str, Any] = {
        "responses": len(responses),
        "invited": survey.invited_count,
    }
    if not responses:
        return result
    ratings = [r.overall_rating for r in responses]
    result["rating_mean"] = round(sum(ratings) / len(ratings), 1)
    result["rating_counts"] = [[score, ratings.count(score)] for score in range(1, 6)]
    result["contacts_made"] = sum(r.contacts_made for r in responses)
    result["collaborations_planned"] = sum(r.collaborations_planned for r in responses)
    per_item: dict[str, list[int]] = defaultdict(list)
    per_question: dict[str, list[Any]] = defaultdict(list)
    for response in responses:
        for key, value in (response.answers.get("usefulness") or {}).items():
            if key in usefulness_labels and isinstance(value, int):
                per_item[key].append(value)
        for key, value in (response.answers.get("questions") or {}).items():
            per_question[key].append(value)
    result["usefulness"] = [
        [label, round(sum(per_item[key]) / len(per_item[key]), 1), len(per_item[key])]
        for key, label in usefulness_labels.items()
        if per_item.get(key)
    ]
    result["questions"] = []
    for question in questions:
        values = per_question.get(str(question.pk), [])
        row: dict[str, Any] = {"label": question.label, "kind": question.kind}
        if question.kind == SurveyQuestion.Kind.RATING:
            numbers = [v for v in values if isinstance(v, int)]
            row["mean"] = round(sum(numbers) / len(numbers), 1) if numbers else None
            row["answers"] = len(numbers)
        else:
            row["answers"] = len([v for v in values if v])
        result["questions"].append(row)
    # Quoted only with consent; never the name, only the role they answered as.
    result["quotes"] = [
        {"text": r.comments, "role": str(r.get_role_display() or "")}
        for r in responses
        if r.consent_to_quote and r.comments.strip()
    ]
    return result


def _survey_query():
    from django.db.models import Count

    return Survey.objects.annotate(invited_count=Count("invitations")).prefetch_related(
        Prefetch("responses", queryset=_responses_ordered()),
        Prefetch("questions", queryset=SurveyQuestion.objects.order_by("position", "pk")),
    )


def _responses_ordered():
    from ..models import SurveyResponse

    return SurveyResponse.objects.order_by("submitted_at", "pk")


def _texts(**target) -> dict[str, str]:
    text = ReportText.objects.filter(**target).first()
    if text is None:
        return {"summary": "", "roundtable_summary": "", "conclusions": ""}
    return {
        "summary": text.summary,
        "roundtable_summary": text.roundtable_summary,
        "conclusions": text.conclusions,
    }


# --- missions ----------------------------------------------------------------------------


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


def _matchmaking(*, mission: Mission | None = None, event: Event | None = None):
    """The matchmaking figures of the target's session, where matchmaking provides them."""
    try:
        from matchmaking import figures  # provided by the matchmaking app when it is ready
        from matchmaking.models import Session
    except ImportError:
        return None
    session = Session.objects.filter(mission=mission, event=event).order_by("pk").first()
    if session is None:
        return None
    found = figures.session_figures(session)
    labels = [
        ("participants", _("Participants")),
        ("requested", _("Meetings requested")),
        ("accepted", _("Requests accepted")),
        ("meetings_scheduled", _("Meetings scheduled")),
        ("meetings_held", _("Meetings held")),
        ("no_shows", _("No-shows")),
        ("outcomes_recorded", _("Outcomes recorded")),
        ("follow_ups_planned", _("Follow-ups planned")),
        ("mous", _("Memoranda of understanding")),
        ("agreements", _("Agreements signed")),
    ]
    rows = [[str(label), found[key]] for key, label in labels if key in found]
    for kind, counts in sorted((found.get("by_kind") or {}).items()):
        rows.append(
            [
                _("%(kind)s meetings: requested / held") % {"kind": kind.upper()},
                f"{counts.get('requested', 0)} / {counts.get('held', 0)}",
            ]
        )
    if found.get("average_rating") is not None:
        rows.append([_("Average meeting rating"), round(float(found["average_rating"]), 1)])
    return rows


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


# --- events ------------------------------------------------------------------------------


def _load_event(event: Event) -> Event:
    """The event with its agenda (nested slots and people), partners and sectors: 7 queries."""
    people = Prefetch(
        "people",
        queryset=AgendaPerson.objects.select_related("organization").order_by("position", "pk"),
    )
    children = Prefetch(
        "children",
        queryset=AgendaItem.objects.prefetch_related(people).order_by("starts_at", "position"),
    )
    top_level = Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.filter(parent=None)
        .prefetch_related(people, children)
        .order_by("starts_at", "position", "pk"),
        to_attr="agenda",
    )
    return (
        Event.objects.filter(pk=event.pk)
        .select_related("mission")
        .prefetch_related(top_level, "organising_partners", "sectors")
        .get()
    )


def _event_head(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "slug": event.slug,
        "kind": str(event.get_kind_display()),
        "date": _day(event.starts_at.astimezone(event.tz).date()),
        "time": format_range(event.starts_at, event.ends_at, event.time_zone),
        "venue": event.venue_name,
        "address": event.venue_address,
        "city": event.city,
        "description": event.description,
        "partners": sorted(o.name for o in event.organising_partners.all()),
        "sectors": sorted(s.name for s in event.sectors.all()),
        "mission": event.mission.title if event.mission else "",
        "capacity": event.capacity,
    }


def _person(person: AgendaPerson) -> dict[str, str]:
    organization = person.organization.name if person.organization else person.organization_name
    return {
        "name": person.name,
        "organization": organization,
        "role": str(person.get_role_display()),
        "side": str(person.get_side_display()) if person.side else "",
    }


def _agenda(event: Event) -> list[dict[str, Any]]:
    rows = []
    for item in event.agenda:
        rows.append(
            {
                "id": item.pk,
                "time": format_range(item.starts_at, item.ends_at, event.time_zone),
                "title": item.title,
                "kind": str(item.get_kind_display()),
                "description": item.description,
                "people": [_person(p) for p in item.people.all()],
                "children": [
                    {
                        "time": format_range(child.starts_at, child.ends_at, event.time_zone),
                        "title": child.title,
                        "people": [_person(p) for p in child.people.all()],
                    }
                    for child in item.children.all()
                ],
            }
        )
    return rows


def roundtable_report_data(event: Event) -> dict[str, Any]:
    """The roundtable report: agenda, participants by country, sector and kind, feedback."""
    event = _load_event(event)
    registrations = list(
        events_selectors.registrations_for_organiser(event)
        .exclude(status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED])
        .prefetch_related(
            Prefetch("organization__sectors", queryset=Sector.objects.order_by("name"))
        )
    )
    attending = [r for r in registrations if r.status in Registration.ATTENDING_STATUSES]
    checked_in = [r for r in attending if r.checked_in_at]

    def breakdown(rows: list[Registration]) -> dict[str, Any]:
        return {
            "count": len(rows),
            "organizations": len({r.organization_id for r in rows}),
            "by_country": _counted(_country(r.organization) for r in rows),
            "by_kind": _counted(str(r.organization.get_kind_display()) for r in rows),
            "by_sector": _counted(s.name for r in rows for s in r.organization.sectors.all()),
        }

    survey = _survey_query().filter(event=event).first()
    labels = {str(item.pk): item.title for item in event.agenda}
    return {
        "layout": LAYOUT_VERSION,
        "kind": ReportJob.Kind.ROUNDTABLE_REPORT,
        "event": _event_head(event),
        "texts": _texts(event=event),
        "agenda": _agenda(event),
        "registered": breakdown(registrations),
        "attending": breakdown(attending),
        "checked_in": len(checked_in),
        "organizations": sorted(
            {(r.organization.name, _country(r.organization)) for r in attending}
        ),
        "matchmaking": _matchmaking(event=event),
        "survey": _survey_results(survey, labels),
    }


def participant_list_data(event: Event) -> dict[str, Any]:
    """What the event's participant list and badges print: who has a seat (2 queries)."""
    event = Event.objects.get(pk=event.pk)
    return {
        "layout": LAYOUT_VERSION,
        "event": {
            "title": event.title,
            "slug": event.slug,
            "starts_at": event.starts_at.isoformat(),
            "venue": event.venue_name,
            "city": event.city,
        },
        "attendees": [
            [r.pk, r.user.get_full_name(), r.organization.name, r.organization.country.code]
            for r in events_selectors.attendees(event)
        ],
    }


def badge_data(registration: Registration) -> dict[str, Any]:
    registration = (
        Registration.objects.select_related("event", "user", "organization")
        .filter(pk=registration.pk)
        .get()
    )
    return {
        "layout": LAYOUT_VERSION,
        "event": registration.event.title,
        "name": registration.user.get_full_name(),
        "organization": registration.organization.name,
        "status": registration.status,
    }


def document_data(kind: str, target) -> dict[str, Any]:
    """The data of document ``kind`` for ``target`` (a mission, event or registration)."""
    Kind = ReportJob.Kind
    if kind == Kind.MISSION_REPORT:
        return mission_report_data(target)
    if kind == Kind.DELEGATION_BOOKLET:
        return delegation_booklet_data(target)
    if kind == Kind.ROUNDTABLE_REPORT:
        return roundtable_report_data(target)
    if kind == Kind.PARTICIPANT_LIST:
        return {**participant_list_data(target), "kind": kind}
    if kind == Kind.BADGES:
        if isinstance(target, Registration):
            return {**badge_data(target), "kind": kind}
        return {**participant_list_data(target), "kind": kind}
    raise ValueError(f"unknown document kind {kind!r}")
