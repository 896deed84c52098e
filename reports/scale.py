"""``seed_demo --scale N``: add N times the demo's volume, for measuring pages at scale.

The demo has 14 organisations, a call with a dozen applications, an event with a dozen
registrations, one large mission (2018) and a matchmaking session. ``seed_scale`` adds, for
``N``:

- ``14 N`` organisations ("Scale org 00042") with one to three sectors each, and one person
  each ("scale-person-00042@example.org", a member of that organisation);
- one application per person to the demo call, submitted, with the demo reviewer's scores;
- one registration per person to the demo event (most confirmed, every fifth waitlisted; the
  event gains a seat for each confirmed one);
- ``max(1, N // 10)`` copies of the demo mission with its whole itinerary ("Scale mission 001");
- one participant per person in the demo matchmaking session, and one accepted request with
  its (unscheduled) meeting for every second participant.

It writes with ``bulk_create`` (no services, no emails, no tasks: this is measurement data,
never production data), from a seeded random generator, and each part skips what already
exists by a stable key (slug, email, or the (call, contact) / (event, user) / (session, user)
pairs), so running it twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from matchmaking.models import Meeting, MeetingRequest, Participant, Session
from missions.calls.models import Application, Call, ReviewAssignment, Score
from missions.events.models import Event, Registration
from missions.models import ItineraryDay, ItineraryItem, Mission
from organizations.models import Membership, Organization, Sector, User

DEMO_ORGANISATIONS = 14
BATCH = 500
COUNTRIES_EU = ["DK", "SE", "BE", "NL", "DE", "FR", "ES", "IT", "PL", "AT", "FI", "IE"]
COUNTRIES_US = ["US"]
ZONES = ["Europe/Paris", "Europe/Copenhagen", "America/New_York", "America/Denver"]


def seed_scale(
    n: int,
    *,
    mission: Mission,
    call: Call | None,
    event: Event | None,
    session: Session | None,
    password: str,
) -> dict[str, int]:
    """Add ``n`` times the demo's volume; returns how many rows of each kind were added."""
    rng = random.Random(14)
    added: dict[str, int] = {}
    with transaction.atomic():
        organisations = _organisations(n, rng, added)
        people = _people(organisations, password, added)
        if call is not None:
            _applications(call, people, rng, added)
        if event is not None:
            _registrations(event, people, added)
        _missions(n, mission, added)
        if session is not None:
            _matchmaking(session, people, added)
    return added


def _organisations(n: int, rng: random.Random, added: dict[str, int]) -> list[Organization]:
    count = n * DEMO_ORGANISATIONS
    slugs = [f"scale-org-{i:05d}" for i in range(count)]
    existing = set(Organization.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    sectors = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
    kinds = [value for value, _label in Organization.Kind.choices]
    new, sector_picks = [], {}
    for i, slug in enumerate(slugs):
        # Draw for every index, created or not, so a second run draws the same values.
        us = i % 2 == 0
        country = rng.choice(COUNTRIES_US if us else COUNTRIES_EU)
        kind = rng.choice(kinds)
        picks = rng.sample(sectors, k=min(len(sectors), rng.randint(1, 3)))
        if slug in existing:
            continue
        sector_picks[slug] = picks
        new.append(
            Organization(
                name=f"Scale org {i:05d}",
                slug=slug,
                kind=kind,
                country=country,
                city=f"City {i % 97}",
                description="An organisation added to measure pages at scale.",
                validation_state=Organization.ValidationState.VALIDATED,
                validated_at=timezone.now(),
            )
        )
    Organization.objects.bulk_create(new, batch_size=BATCH)
    by_slug = dict(Organization.objects.filter(slug__in=sector_picks).values_list("slug", "pk"))
    through = Organization.sectors.through
    through.objects.bulk_create(
        [
            through(organization_id=by_slug[slug], sector_id=sector_id)
            for slug, picks in sector_picks.items()
            for sector_id in picks
        ],
        batch_size=BATCH,
    )
    added["organisations"] = len(new)
    return list(Organization.objects.filter(slug__in=slugs).order_by("slug"))


def _people(
    organisations: list[Organization], password: str, added: dict[str, int]
) -> list[tuple[User, Organization]]:
    emails = [f"scale-person-{i:05d}@example.org" for i in range(len(organisations))]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    hashed = make_password(password)
    new = [
        User(
            email=email,
            full_name=f"Scale person {i:05d}",
            home_time_zone=ZONES[i % len(ZONES)],
            password=hashed,
        )
        for i, email in enumerate(emails)
        if email not in existing
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    pairs = [(users[email], org) for email, org in zip(emails, organisations, strict=True)]
    members = set(
        Membership.objects.filter(user__in=users.values()).values_list("user_id", "organization_id")
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organization=o) for u, o in pairs if (u.pk, o.pk) not in members],
        batch_size=BATCH,
    )
    added["people"] = len(new)
    return pairs


def _applications(
    call: Call, people: list[tuple[User, Organization]], rng: random.Random, added: dict[str, int]
) -> None:
    existing = set(call.applications.values_list("contact_id", flat=True))
    submitted = call.opens_at + dt.timedelta(days=1)
    new = [
        Application(
            call=call,
            organization=org,
            contact=user,
            status=Application.Status.SUBMITTED,
            submitted_at=submitted,
        )
        for user, org in people
        if user.pk not in existing
    ]
    Application.objects.bulk_create(new, batch_size=BATCH)
    added["applications"] = len(new)
    reviewer = User.objects.filter(email="reviewer@example.org").first()
    if reviewer is None:
        return
    applications = list(
        call.applications.filter(contact__email__startswith="scale-person-")
        .exclude(assignments__reviewer=reviewer)
        .order_by("pk")
    )
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(application=a, reviewer=reviewer, submitted_at=submitted)
            for a in applications
        ],
        batch_size=BATCH,
    )
    assignments = ReviewAssignment.objects.filter(
        application__in=applications, reviewer=reviewer
    ).order_by("pk")
    criteria = list(call.criteria.order_by("pk"))
    Score.objects.bulk_create(
        [
            Score(assignment=a, criterion=c, value=rng.randint(1, c.scale_max))
            for a in assignments
            for c in criteria
        ],
        batch_size=BATCH,
    )


def _registrations(
    event: Event, people: list[tuple[User, Organization]], added: dict[str, int]
) -> None:
    existing = set(event.registrations.values_list("user_id", flat=True))
    joined = event.registration_deadline - dt.timedelta(days=7)
    new = []
    for i, (user, org) in enumerate(people):
        if user.pk in existing:
            continue
        waitlisted = i % 5 == 4
        new.append(
            Registration(
                event=event,
                user=user,
                organization=org,
                status=(
                    Registration.Status.WAITLISTED if waitlisted else Registration.Status.CONFIRMED
                ),
                waitlisted_at=joined + dt.timedelta(minutes=i) if waitlisted else None,
                consent_to_list=i % 3 != 0,
                wants_matchmaking=i % 2 == 0,
            )
        )
    # The event grows with its audience: seats for every confirmed newcomer (the database
    # refuses more seats taken than the event has).
    seats = sum(r.status == Registration.Status.CONFIRMED for r in new)
    Event.objects.filter(pk=event.pk).update(capacity=F("capacity") + seats)
    Registration.objects.bulk_create(new, batch_size=BATCH)
    added["registrations"] = len(new)


def _missions(n: int, source: Mission, added: dict[str, int]) -> None:
    """Copies of the demo mission, each a year later than the one before, itinerary and all."""
    count = max(1, n // 10)
    days = list(source.days.order_by("date"))
    items = list(ItineraryItem.objects.filter(day__mission=source).order_by("pk"))
    hosts = list(
        ItineraryItem.hosts.through.objects.filter(itineraryitem__day__mission=source).values_list(
            "itineraryitem_id", "organization_id"
        )
    )
    sector_ids = list(source.sectors.values_list("pk", flat=True))
    organiser_ids = list(source.organisers.values_list("pk", flat=True))
    made = 0
    for k in range(1, count + 1):
        slug = f"scale-mission-{k:03d}"
        if Mission.objects.filter(slug=slug).exists():
            continue
        shift = dt.timedelta(days=364 * k)  # whole weeks: the weekdays stay
        mission = Mission.objects.get(pk=source.pk)
        mission.pk = None
        mission.slug = slug
        mission.title = f"Scale mission {k:03d}"
        mission.start_date += shift
        mission.end_date += shift
        mission.duplicated_from = None
        mission.save()
        mission.sectors.set(sector_ids)
        mission.organisers.set(organiser_ids)
        day_map = {}
        for day in days:
            copy = ItineraryDay(mission=mission, date=day.date + shift, title=day.title)
            copy.save()
            day_map[day.pk] = copy
        item_map = {}
        copies = []
        for item in items:
            old_pk = item.pk
            copy = _copy(item)
            copy.day = day_map[item.day_id]
            for field in ("starts_at", "ends_at", "proposed_starts_at", "proposed_ends_at"):
                value = getattr(copy, field)
                if value is not None:
                    setattr(copy, field, value + shift)
            copies.append(copy)
            item_map[old_pk] = copy
        ItineraryItem.objects.bulk_create(copies, batch_size=BATCH)
        through = ItineraryItem.hosts.through
        through.objects.bulk_create(
            [
                through(itineraryitem_id=item_map[item_id].pk, organization_id=org_id)
                for item_id, org_id in hosts
            ],
            batch_size=BATCH,
        )
        made += 1
    added["missions"] = made


def _copy(item: ItineraryItem) -> ItineraryItem:
    fields = {
        f.attname: getattr(item, f.attname)
        for f in ItineraryItem._meta.concrete_fields
        if not f.primary_key
    }
    return ItineraryItem(**fields)


def _matchmaking(
    session: Session, people: list[tuple[User, Organization]], added: dict[str, int]
) -> None:
    existing = set(session.participants.values_list("user_id", flat=True))
    new = [
        Participant(
            session=session,
            user=user,
            organization=org,
            side=Participant.Side.US if org.country == "US" else Participant.Side.EU,
            summary="A participant added to measure pages at scale.",
            languages=["en"],
        )
        for user, org in people
        if user.pk not in existing
    ]
    Participant.objects.bulk_create(new, batch_size=BATCH)
    added["participants"] = len(new)
    by_user = dict(
        session.participants.filter(user__in=[u for u, _o in people]).values_list("user_id", "pk")
    )
    ordered = [by_user[user.pk] for user, _org in people]
    live = set(
        session.requests.filter(status__in=MeetingRequest.LIVE_STATUSES).values_list(
            "participant_low_id", "participant_high_id"
        )
    )
    now = timezone.now()
    requests = []
    for a, b in zip(ordered[0::2], ordered[1::2], strict=False):
        low, high = min(a, b), max(a, b)
        if (low, high) in live:
            continue
        requests.append(
            MeetingRequest(
                session=session,
                sender_id=a,
                receiver_id=b,
                participant_low_id=low,
                participant_high_id=high,
                status=MeetingRequest.Status.ACCEPTED,
                responded_at=now,
            )
        )
    MeetingRequest.objects.bulk_create(requests, batch_size=BATCH)
    added["requests"] = len(requests)
    pending = session.requests.filter(
        status=MeetingRequest.Status.ACCEPTED, meeting__isnull=True, sender_id__in=ordered
    )
    meetings = [Meeting(session=session, request=r) for r in pending]
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    added["meetings"] = len(meetings)
