"""Events test data, built through the events services. Plain functions, no mocks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from missions.events import services
from missions.events.models import Event, Registration
from organizations.models import Organization, User
from organizations.services import membership_add

from ...factories import make_user

COPENHAGEN = "Europe/Copenhagen"


def make_event(
    organiser: User,
    *,
    title: str = "EU-US Cluster Roundtable",
    capacity: int = 5,
    approval_required: bool = False,
    waiting_list_enabled: bool = True,
    starts_at: dt.datetime | None = None,
    deadline: dt.datetime | None = None,
    publish: bool = True,
    **fields,
) -> Event:
    """A published event a month ahead whose registration is open now."""
    starts_at = starts_at or (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    event = services.event_create(
        by=organiser,
        kind=fields.pop("kind", Event.Kind.ROUNDTABLE),
        title=title,
        venue_name=fields.pop("venue_name", "BLOXHUB"),
        venue_address=fields.pop("venue_address", "Bryghusgade 8, 1473 Copenhagen"),
        city=fields.pop("city", "Copenhagen"),
        time_zone=fields.pop("time_zone", COPENHAGEN),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + dt.timedelta(hours=5)),
        registration_deadline=deadline or starts_at - dt.timedelta(days=7),
        capacity=capacity,
        approval_required=approval_required,
        waiting_list_enabled=waiting_list_enabled,
        **fields,
    )
    if publish:
        event = services.event_publish(event=event, by=organiser)
    return event


def make_member(organization: Organization, email: str | None = None, **user_fields) -> User:
    user = make_user(email, **user_fields)
    membership_add(organization=organization, user=user)
    return user


def register(event: Event, user: User, organization: Organization, **fields) -> Registration:
    return services.registration_create(event=event, user=user, organization=organization, **fields)
