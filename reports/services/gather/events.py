"""The data of an event's documents: the roundtable report, the participant list and
the badges (the whole event's, or one registration's own)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from missions.events import selectors as events_selectors
from missions.events.models import AgendaItem, AgendaPerson, Event, Registration
from missions.templatetags.mission_times import format_range
from organizations.models import Sector

from ...models import ReportJob
from .common import (
    LAYOUT_VERSION,
    _counted,
    _country,
    _day,
    _matchmaking,
    _survey_query,
    _survey_results,
    _texts,
)


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
