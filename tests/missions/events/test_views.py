"""The events pages: what each role gets, the forms, the files, and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from missions.events import services
from missions.events.models import AgendaItem, AgendaPerson, Registration
from organizations.models import Role
from tests.factories import make_user

from .factories import COPENHAGEN, make_event, make_member, register

pytestmark = pytest.mark.django_db

Status = Registration.Status
CPH = zoneinfo.ZoneInfo(COPENHAGEN)


@pytest.fixture
def roundtable(organiser):
    """The 2018 roundtable's morning, moved to 2030 so that registration is open."""
    start = dt.datetime(2030, 11, 6, 8, 30, tzinfo=CPH)
    event = make_event(
        organiser,
        capacity=3,
        starts_at=start,
        ends_at=dt.datetime(2030, 11, 6, 14, 0, tzinfo=CPH),
        deadline=dt.datetime(2030, 10, 26, 14, 0, tzinfo=CPH),
    )
    panel = services.agenda_item_add(
        event=event,
        by=organiser,
        title="Good practices in transatlantic cluster collaboration",
        kind=AgendaItem.Kind.PANEL,
        starts_at=start.replace(hour=10, minute=0),
        ends_at=start.replace(hour=10, minute=45),
        people=[
            {
                "organization_name": "inno TSD, BILAT USA 4.0",
                "role": AgendaPerson.Role.MODERATOR,
                "side": AgendaPerson.Side.EU,
            }
        ],
    )
    services.agenda_item_add(
        event=event,
        by=organiser,
        parent=panel,
        title="Cluster speaker 1 – from the EU",
        kind=AgendaItem.Kind.TALK,
        starts_at=start.replace(hour=10, minute=0),
        ends_at=start.replace(hour=10, minute=10),
    )
    return event


@pytest.fixture
def question(roundtable, organiser):
    return services.question_add(
        event=roundtable, by=organiser, label="Your budget for international activities"
    )


@pytest.fixture
def registration(roundtable, cluster_manager, organization, question):
    return register(
        roundtable,
        cluster_manager,
        organization,
        role="Cluster manager",
        answers={str(question.pk): "Secret budget"},
        consent_to_list=True,
    )


@pytest.fixture
def other_organiser(db):
    return make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Event page -------------------------------------------------------------------------------


def test_event_page_shows_agenda_in_venue_time_and_seats(client, roundtable):
    response = client.get(roundtable.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 of 3 seats free" in page
    assert "10:00–10:45 CET" in page
    assert "Cluster speaker 1 – from the EU" in page
    assert "Moderator: inno TSD, BILAT USA 4.0 (EU)" in page
    assert "home-time" not in page


def test_event_page_adds_the_readers_home_time(client, roundtable, organization):
    reader = make_member(organization, "denver@test.example.org", home_time_zone="America/Denver")
    client.force_login(reader)

    page = client.get(roundtable.get_absolute_url()).content.decode()

    assert '10:00–10:45 CET</time> <span class="home-time">· 02:00–02:45 MST</span>' in page


def test_draft_event_is_a_404_except_for_its_organisers(client, organiser, other_organiser):
    draft = make_event(organiser, publish=False, title="Secret workshop")

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(other_organiser)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_event_list_shows_published_events(client, roundtable, organiser):
    make_event(organiser, publish=False, title="Secret workshop")

    page = client.get(reverse("events:list")).content.decode()

    assert roundtable.title in page
    assert "Secret workshop" not in page


# --- Registering ------------------------------------------------------------------------------


def test_register_requires_login(client, roundtable):
    assert login_redirect(client.get(reverse("events:register", args=[roundtable.slug])))


def test_register_creates_a_registration(
    client, roundtable, cluster_manager, organization, question, sector
):
    client.force_login(cluster_manager)

    response = client.post(
        reverse("events:register", args=[roundtable.slug]),
        {
            "organization": organization.pk,
            "role": "Cluster manager",
            "sectors_of_interest": [sector.pk],
            "wants_matchmaking": "on",
            "consent_to_list": "on",
            f"question_{question.pk}": "About 20,000 EUR",
        },
    )

    registration = Registration.objects.get(event=roundtable, user=cluster_manager)
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert registration.status == Status.CONFIRMED
    assert registration.answers == {str(question.pk): "About 20,000 EUR"}
    assert registration.wants_matchmaking and registration.consent_to_list


def test_register_offers_only_the_users_own_organizations(client, roundtable, cluster_manager):
    from tests.factories import make_organization

    stranger = make_organization("Not My Cluster")
    client.force_login(cluster_manager)

    response = client.post(
        reverse("events:register", args=[roundtable.slug]), {"organization": stranger.pk}
    )

    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_register_after_the_deadline_shows_the_reason(
    client, organiser, cluster_manager, organization
):
    import time_machine

    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
        event = make_event(
            organiser,
            starts_at=dt.datetime(2030, 2, 1, 9, tzinfo=CPH),
            deadline=dt.datetime(2030, 1, 10, 12, tzinfo=CPH),
        )
    with time_machine.travel(dt.datetime(2030, 1, 10, 12, 0, 1, tzinfo=CPH)):
        client.force_login(cluster_manager)
        response = client.post(
            reverse("events:register", args=[event.slug]), {"organization": organization.pk}
        )

    assert response.status_code == 400
    assert "The registration deadline (Jan. 10, 2030, noon CET) has passed." in (
        response.content.decode()
    )


def test_register_twice_leads_to_the_existing_registration(client, registration, cluster_manager):
    client.force_login(cluster_manager)

    response = client.get(reverse("events:register", args=[registration.event.slug]))

    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()


# --- One's registration -----------------------------------------------------------------------


def test_registration_page_shows_own_answers(client, registration, cluster_manager):
    client.force_login(cluster_manager)

    response = client.get(registration.get_absolute_url())

    assert response.status_code == 200
    assert "Secret budget" in response.content.decode()


def test_registration_page_is_a_404_for_another_participant(client, registration, organization):
    other = make_member(organization, "nosy@test.example.org")
    register(registration.event, other, organization)
    client.force_login(other)

    for name in ("registration", "registration_calendar"):
        assert client.get(reverse(f"events:{name}", args=[registration.pk])).status_code == 404
    for name in ("registration_cancel", "registration_accept"):
        assert client.post(reverse(f"events:{name}", args=[registration.pk])).status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_registration_page_requires_login(client, registration):
    assert login_redirect(client.get(registration.get_absolute_url()))


def test_registration_page_is_open_to_the_events_organiser(
    client, registration, organiser, other_organiser
):
    client.force_login(other_organiser)
    assert client.get(registration.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    response = client.get(registration.get_absolute_url())
    assert response.status_code == 200
    assert "Secret budget" in response.content.decode()
    assert "Cancel my registration" not in response.content.decode()


def test_cancel_frees_the_seat_for_the_waiting_list(client, organiser, organization):
    event = make_event(organiser, capacity=1)
    first, second = (make_member(organization) for _ in range(2))
    mine = register(event, first, organization)
    waiting = register(event, second, organization)
    client.force_login(first)

    response = client.post(reverse("events:registration_cancel", args=[mine.pk]))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    client.force_login(second)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Accept the seat" in page
    client.post(reverse("events:registration_accept", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_calendar_file_has_the_venue_zone(client, registration, cluster_manager):
    client.force_login(cluster_manager)

    response = client.get(reverse("events:registration_calendar", args=[registration.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == COPENHAGEN
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == dt.datetime(2030, 11, 6, 8, 30, tzinfo=CPH)
    assert str(entry["location"]) == "BLOXHUB, Bryghusgade 8, 1473 Copenhagen, Copenhagen"
    assert b"DTSTART;TZID=Europe/Copenhagen:20301106T083000" in response.content


def test_my_registrations_lists_only_mine(client, registration, cluster_manager, organization):
    other = make_member(organization, "other.member@test.example.org")
    other_event = make_event(registration.event.organisers.first(), title="Other roundtable")
    register(other_event, other, organization)
    client.force_login(cluster_manager)

    response = client.get(reverse("events:mine"))

    assert [r.pk for r in response.context["registrations"]] == [registration.pk]


# --- Participant list -------------------------------------------------------------------------


def test_participant_list_permissions(client, registration, other_user, organiser):
    url = reverse("events:participants", args=[registration.event.slug])

    assert login_redirect(client.get(url))
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(registration.user)
    assert client.get(url).status_code == 200
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_participant_list_shows_only_consenting_attending_people(
    client, roundtable, registration, organization
):
    shy = make_member(organization, "shy@test.example.org", full_name="Shy Person")
    register(roundtable, shy, organization, consent_to_list=False)
    gone = make_member(organization, "gone@test.example.org", full_name="Gone Person")
    services.registration_cancel(
        registration=register(roundtable, gone, organization, consent_to_list=True), by=gone
    )
    client.force_login(shy)

    response = client.get(reverse("events:participants", args=[roundtable.slug]))

    assert [r.user.email for r in response.context["participants"]] == ["manager@test.example.org"]
    page = response.content.decode()
    assert "Shy Person" not in page and "Gone Person" not in page
    assert "Secret budget" not in page


# --- Organiser pages --------------------------------------------------------------------------

ORGANISER_PAGES = ["manage", "attendees_csv", "check_in"]


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_permissions(
    client, roundtable, name, cluster_manager, other_organiser, organiser
):
    url = reverse(f"events:{name}", args=[roundtable.slug])

    assert login_redirect(client.get(url))
    client.force_login(cluster_manager)
    assert client.get(url).status_code == 404
    client.force_login(other_organiser)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["manage", "capacity", "check_in"])
def test_organiser_posts_are_refused_to_others(client, registration, name, cluster_manager):
    client.force_login(cluster_manager)

    response = client.post(
        reverse(f"events:{name}", args=[registration.event.slug]),
        {
            "registrations": [registration.pk],
            "decision": "reject",
            "capacity": 0,
            "registration": registration.pk,
        },
    )

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.checked_in_at is None


def test_organiser_list_shows_counts_and_answers(client, registration, organiser):
    client.force_login(organiser)

    response = client.get(reverse("events:manage", args=[registration.event.slug]))

    counts = response.context["counts"]
    assert (counts.capacity, counts.attending, counts.pending, counts.waitlisted) == (3, 1, 0, 0)
    assert "Secret budget" in response.content.decode()


def test_bulk_approval_with_message(client, organiser, organization):
    event = make_event(organiser, capacity=1, approval_required=True)
    first, second = (register(event, make_member(organization), organization) for _ in range(2))
    client.force_login(organiser)

    response = client.post(
        reverse("events:manage", args=[event.slug]),
        {"registrations": [first.pk, second.pk], "decision": "approve", "message": "Welcome!"},
        follow=True,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APPROVED, Status.WAITLISTED)
    assert first.decision_message == "Welcome!"
    page = response.content.decode()
    assert "1 approved." in page
    assert "1 put on the waiting list: no seat left." in page


def test_bulk_decision_ignores_registrations_of_other_events(
    client, organiser, organization, registration
):
    event = make_event(organiser, approval_required=True, title="Another one")
    client.force_login(organiser)

    response = client.post(
        reverse("events:manage", args=[event.slug]),
        {"registrations": [registration.pk], "decision": "reject"},
    )

    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_capacity_lowered_below_the_seats_held_shows_the_reason(client, organiser, registration):
    client.force_login(organiser)

    response = client.post(
        reverse("events:capacity", args=[registration.event.slug]), {"capacity": 0}, follow=True
    )

    assert "1 seats are already held" in response.content.decode()
    registration.event.refresh_from_db()
    assert registration.event.capacity == 3


def test_attendees_csv(client, organiser, registration, roundtable, organization):
    register(roundtable, make_member(organization, full_name="=cmd|' /C calc'!A0"), organization)
    client.force_login(organiser)

    response = client.get(reverse("events:attendees_csv", args=[roundtable.slug]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Email", "Organisation"]
    by_email = {row[1]: row for row in rows[1:]}
    assert len(by_email) == 2
    manager_row = by_email["manager@test.example.org"]
    assert manager_row[2:6] == ["Cluster CLEAN", "DK", "Cluster manager", "Confirmed"]
    # A name that a spreadsheet would run as a formula is neutralised.
    assert "'=cmd|' /C calc'!A0" in {row[0] for row in rows[1:]}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def document_from_the_manage_page(client, event, kind: str, on_commit) -> bytes:
    """Press the manage page's button for ``kind``: a report job (rendered in-process here
    as the request's transaction commits, in the worker in production), whose page offers
    the file; download it. ``on_commit``: the django_capture_on_commit_callbacks fixture."""
    manage = client.get(reverse("events:manage", args=[event.slug])).content.decode()
    action = reverse("reports:request", args=["event", event.pk])
    assert f'action="{action}"' in manage and f'value="{kind}"' in manage
    with on_commit(execute=True):
        response = client.post(action, {"kind": kind, "page_size": "a4"})
    assert response.status_code == 302
    job_page = client.get(response["Location"])
    job = job_page.context["job"]
    assert (job.kind, job.event, job.status) == (kind, event, "done")
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    return b"".join(download.streaming_content)


def test_participant_and_badge_pdfs_hold_every_attendee(
    client, organiser, organization, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    event = make_event(organiser, capacity=9)
    names = [f"Attendee Number {n}" for n in range(9)]
    for name in names:
        register(event, make_member(organization, full_name=name), organization)
    client.force_login(organiser)

    on_commit = django_capture_on_commit_callbacks
    participants = document_from_the_manage_page(client, event, "participant_list", on_commit)
    badges = document_from_the_manage_page(client, event, "badges", on_commit)

    # The text is read back from the PDFs as served: every attendee on the list, one badge
    # each, 9 badges fill one A4 sheet (tests/missions/events/test_badges_pdf.py: 10 need two).
    listed = pdf_text(participants)
    assert all(name in listed for name in names)
    assert event.title in listed
    badge_pages = PdfReader(io.BytesIO(badges)).pages
    assert len(badge_pages) == 1
    # A large name may wrap onto two lines of its badge.
    on_badges = " ".join(" ".join(page.extract_text() for page in badge_pages).split())
    assert sorted(name for name in names if name in on_badges) == sorted(names)


def test_check_in(client, organiser, registration):
    client.force_login(organiser)
    url = reverse("events:check_in", args=[registration.event.slug])

    client.post(url, {"registration": registration.pk})

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    page = client.get(url).content.decode()
    assert "1 of 1 checked in" in page
    arrived = registration.checked_in_at.astimezone(CPH)
    assert f"Checked in at {arrived:%a %d %b %H:%M} CE" in page


def test_check_in_undone_by_mistake(client, organiser, registration):
    client.force_login(organiser)
    url = reverse("events:check_in", args=[registration.event.slug])
    client.post(url, {"registration": registration.pk})

    response = client.post(url, {"registration": registration.pk, "undo": "on"}, follow=True)

    registration.refresh_from_db()
    assert registration.checked_in_at is None
    page = response.content.decode()
    assert "Check-in of" in page and "undone" in page
    assert "0 of 1 checked in" in page


def test_check_in_search_finds_people_by_any_word(client, organiser, roundtable, organization):
    for name in ("Anna Jensen", "Lars Olsen", "Anna Berg"):
        register(roundtable, make_member(organization, full_name=name), organization)
    client.force_login(organiser)
    url = reverse("events:check_in", args=[roundtable.slug])

    def names(query):
        response = client.get(url, {"q": query})
        return sorted(r.user.full_name for r in response.context["attendees"])

    assert names("anna") == ["Anna Berg", "Anna Jensen"]
    assert names("anna jen") == ["Anna Jensen"]
    assert names(organization.name.split()[0]) == ["Anna Berg", "Anna Jensen", "Lars Olsen"]
    assert names("nobody-like-this") == []
    assert "Nobody with a seat matches" in client.get(url, {"q": "zzz"}).content.decode()


def test_check_in_search_with_junk_gives_a_normal_page(client, organiser, registration):
    client.force_login(organiser)
    url = reverse("events:check_in", args=[registration.event.slug])

    response = client.get(url, {"q": "%_' OR 1=1 --" + "x" * 5000})

    assert response.status_code == 200
    assert "cut to its first 100 characters" in response.content.decode()
    assert list(response.context["attendees"]) == []


def test_check_in_of_a_registration_of_another_event_is_refused(
    client, organiser, registration, organization
):
    other = make_event(organiser, title="Another event")
    stranger = register(other, make_member(organization), organization)
    client.force_login(organiser)
    url = reverse("events:check_in", args=[registration.event.slug])

    response = client.post(url, {"registration": stranger.pk}, follow=True)

    assert "Choose someone to check in." in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


# --- Query counts -----------------------------------------------------------------------------


def _fill(event, organization, count):
    for _number in range(count):
        register(event, make_member(organization), organization, consent_to_list=True)


@pytest.mark.parametrize("item_count", [1, 3])
def test_event_page_query_count_is_constant(
    client, roundtable, organization, django_assert_num_queries, item_count
):
    _fill(roundtable, organization, item_count)

    # event, content version, agenda items, their people, nested slots, their people,
    # partners, sectors, seat counts (the first request: later ones take the cached content,
    # see test_pagecache.py)
    with django_assert_num_queries(9):
        response = client.get(roundtable.get_absolute_url())

    assert f"{3 - item_count} of 3 seats free" in response.content.decode()


@pytest.mark.parametrize("item_count", [1, 3])
def test_organiser_list_query_count_is_constant(
    client, roundtable, organization, organiser, django_assert_num_queries, item_count, question
):
    _fill(roundtable, organization, item_count)
    client.force_login(organiser)

    # session, user, roles, event, is-organiser, seat counts, registrations (count, page),
    # their sectors, questions
    with django_assert_num_queries(10):
        response = client.get(reverse("events:manage", args=[roundtable.slug]))

    assert len(response.context["rows"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_participant_list_query_count_is_constant(
    client, roundtable, organization, organiser, django_assert_num_queries, item_count
):
    _fill(roundtable, organization, item_count)
    client.force_login(organiser)

    # session, user, roles, event, is-organiser, participants
    with django_assert_num_queries(6):
        response = client.get(reverse("events:participants", args=[roundtable.slug]))

    assert len(response.context["participants"]) == item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_event_list_query_count_is_constant(
    client, organiser, django_assert_num_queries, item_count
):
    for number in range(item_count):
        make_event(organiser, title=f"Roundtable {number}")

    # the events (with their missions)
    with django_assert_num_queries(1):
        response = client.get(reverse("events:list"))

    assert len(response.context["events"]) == item_count


@pytest.mark.parametrize("name", ["attendees_csv", "check_in"])
@pytest.mark.parametrize("item_count", [1, 3])
def test_attendee_documents_query_count_is_constant(
    client, roundtable, organization, organiser, django_assert_num_queries, item_count, name
):
    _fill(roundtable, organization, item_count)
    client.force_login(organiser)
    # session, user, roles, event, is-organiser, attendees (+ their count for the pages and
    # the seat counts on the check-in page)
    expected = 8 if name == "check_in" else 6

    with django_assert_num_queries(expected):
        response = client.get(reverse(f"events:{name}", args=[roundtable.slug]))

    assert response.status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_check_in_search_query_count_is_constant(
    client, roundtable, organization, organiser, django_assert_num_queries, item_count
):
    _fill(roundtable, organization, item_count)
    client.force_login(organiser)

    # session, user, roles, event, is-organiser, matching attendees (count, page), seat counts
    with django_assert_num_queries(8):
        response = client.get(
            reverse("events:check_in", args=[roundtable.slug]), {"q": organization.name}
        )

    assert len(response.context["attendees"]) == item_count


def test_register_page_of_a_cancelled_event_says_why_instead_of_a_form(
    client, roundtable, organiser, cluster_manager
):
    services.event_cancel(event=roundtable, by=organiser)
    client.force_login(cluster_manager)

    response = client.get(reverse("events:register", args=[roundtable.slug]), follow=True)

    assert response.redirect_chain == [(roundtable.get_absolute_url(), 302)]
    page = response.content.decode()
    assert "This event has been cancelled; registration is closed." in page
    assert 'href="/events/' + roundtable.slug + '/register/"' not in page
