"""Organiser pages of scheduling: who may see them, what they do, bad input refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.models import Meeting, MeetingRequest, Participant, ScheduleRun, Session
from matchmaking.services.scheduling import schedule_run_start

from .factories import accept, send

LOGIN = "login"
ROLES = ("anonymous", "alice", "organiser", "other_organiser")


@pytest.fixture(autouse=True)
def _quick_solver(settings):
    settings.MATCHMAKING_SCHEDULE_SECONDS = 3


@pytest.fixture
def world(session, organiser, other_organiser, alice, bob, carol):
    request = accept(send(alice, bob))
    return {
        "session": session,
        "meeting": Meeting.objects.get(request=request),
        "alice": alice,
        "users": {
            "anonymous": None,
            "alice": alice.user,
            "organiser": organiser,
            "other_organiser": other_organiser,
        },
    }


# name, method, the object the URL takes a pk of, expected status per role
CASES = [
    ("schedule", "get", None, (LOGIN, 404, 200, 404)),
    ("schedule_status", "get", None, (LOGIN, 404, 200, 404)),
    ("schedule_run", "post", None, (LOGIN, 404, 302, 404)),
    ("schedule_publish", "post", None, (LOGIN, 404, 302, 404)),
    ("meeting_place", "get", "meeting", (LOGIN, 404, 200, 404)),
    ("meeting_unlock", "post", "meeting", (LOGIN, 404, 302, 404)),
    ("meeting_cancel", "post", "meeting", (LOGIN, 404, 302, 404)),
    ("meeting_mark", "post", "meeting", (LOGIN, 404, 302, 404)),
    ("dashboard", "get", None, (LOGIN, 404, 200, 404)),
    ("desk", "get", None, (LOGIN, 404, 200, 404)),
    ("table_sheet", "get", None, (LOGIN, 404, 200, 404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "target", "expected"), CASES)
def test_organiser_pages_by_role(client, world, role, name, method, target, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    kwargs = {"slug": world["session"].slug}
    if target:
        kwargs["pk"] = world[target].pk
    url = reverse(f"matchmaking:{name}", kwargs=kwargs)

    response = getattr(client, method)(url)

    want = expected[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want


def test_schedule_page_runs_and_shows_figures(
    client, session, organiser, alice, bob, django_capture_on_commit_callbacks
):
    accept(send(alice, bob))
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:schedule_run", kwargs={"slug": session.slug}))

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"matchmaking/schedule.js" in page.content
    assert b"<script>" not in page.content
    status = client.get(reverse("matchmaking:schedule_status", kwargs={"slug": session.slug}))
    assert status.json() | {"id": None} == {
        "id": None,
        "status": "done",
        "status_label": "Done",
        "progress": 100,
        "weight": 1,
        "bound": 1,
        "ratio": 1.0,
        "proven_optimal": True,
        "moved": 0,
        "dropped": 0,
        "unplaced": [],
        "error": "",
        "finished": True,
    }


def test_schedule_status_shows_reasons_in_words(
    client, session, organiser, alice, bob, django_capture_on_commit_callbacks
):
    accept(send(alice, bob))
    bob.unavailable_slots.set(session.slots.all())
    with django_capture_on_commit_callbacks(execute=True):
        schedule_run_start(session=session, by=organiser)
    client.force_login(organiser)

    status = client.get(reverse("matchmaking:schedule_status", kwargs={"slug": session.slug}))
    page = client.get(reverse("matchmaking:schedule", kwargs={"slug": session.slug}))

    reason = "Alice Weber and Bob Miller have no common free slot."
    assert [item["reason"] for item in status.json()["unplaced"]] == [reason]
    assert reason in page.content.decode()


def test_schedule_run_twice_from_the_page_is_refused_while_running(client, session, organiser):
    ScheduleRun.objects.create(session=session, status=ScheduleRun.Status.RUNNING)
    client.force_login(organiser)

    response = client.post(
        reverse("matchmaking:schedule_run", kwargs={"slug": session.slug}), follow=True
    )

    assert "being computed already" in response.content.decode()
    assert ScheduleRun.objects.count() == 1


def test_publish_from_the_page(
    client, session, organiser, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    accept(send(alice, bob))
    with django_capture_on_commit_callbacks(execute=True):
        schedule_run_start(session=session, by=organiser)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:schedule_publish", kwargs={"slug": session.slug}))

    session.refresh_from_db()
    assert session.phase == Session.Phase.AGENDAS_PUBLISHED
    assert len(mailoutbox) == 2


def place(client, session, meeting, **data):
    url = reverse("matchmaking:meeting_place", kwargs={"slug": session.slug, "pk": meeting.pk})
    return client.post(url, data)


def test_meeting_place_locks_a_meeting(client, world, organiser):
    session, meeting = world["session"], world["meeting"]
    slot, table = session.slots.last(), session.tables.last()
    client.force_login(organiser)

    response = place(client, session, meeting, slot=slot.pk, table=table.pk, lock="on")

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.is_locked) == (slot, table, True)
    assert meeting.status == Meeting.Status.SCHEDULED


def test_meeting_place_at_a_table_too_small_is_refused_and_changes_nothing(
    client, world, organiser
):
    session, meeting = world["session"], world["meeting"]
    Participant.objects.filter(pk=world["alice"].pk).update(attendees=4)
    client.force_login(organiser)

    response = place(
        client, session, meeting, slot=session.slots.first().pk, table=session.tables.first().pk
    )

    assert response.status_code == 400
    assert "seats 4, too few for the 5 people attending" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.slot_id, meeting.table_id, meeting.is_locked) == (None, None, False)


def test_meeting_place_outside_availability_is_refused_and_changes_nothing(
    client, world, organiser
):
    session, meeting = world["session"], world["meeting"]
    slot = session.slots.first()
    world["alice"].unavailable_slots.set([slot])
    client.force_login(organiser)

    response = place(client, session, meeting, slot=slot.pk, table=session.tables.first().pk)

    assert response.status_code == 400
    assert "Alice Weber is not available in this slot." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.slot_id is None


def test_meeting_place_at_a_taken_table_is_refused(client, world, organiser, carol):
    session, meeting = world["session"], world["meeting"]
    other = Meeting.objects.get(request=accept(send(carol, world["alice"])))
    slot, table = session.slots.first(), session.tables.first()
    Meeting.objects.filter(pk=other.pk).update(slot=slot, table=table, status="scheduled")
    bob_free = session.slots.first()
    client.force_login(organiser)

    response = place(client, session, meeting, slot=bob_free.pk, table=table.pk)

    assert response.status_code == 400
    assert "Alice Weber has another meeting in this slot." in response.content.decode()


def test_meeting_place_junk_is_a_form_error(client, world, organiser):
    client.force_login(organiser)

    response = place(client, world["session"], world["meeting"], slot="junk", table="")

    assert response.status_code == 400
    world["meeting"].refresh_from_db()
    assert world["meeting"].slot_id is None


def test_meeting_place_slot_of_another_session_is_refused(client, world, organiser):
    other_session_slot = Session.objects.exclude(pk=world["session"].pk).get().slots.first()
    client.force_login(organiser)

    response = place(
        client,
        world["session"],
        world["meeting"],
        slot=other_session_slot.pk,
        table=world["session"].tables.first().pk,
    )

    assert response.status_code == 400
    world["meeting"].refresh_from_db()
    assert world["meeting"].slot_id is None


def test_meeting_cancel_cancels_the_request(client, world, organiser):
    client.force_login(organiser)
    url = reverse(
        "matchmaking:meeting_cancel",
        kwargs={"slug": world["session"].slug, "pk": world["meeting"].pk},
    )

    client.post(url)

    world["meeting"].refresh_from_db()
    assert world["meeting"].status == Meeting.Status.CANCELLED
    assert world["meeting"].request.status == MeetingRequest.Status.CANCELLED


def test_desk_marks_held_and_no_show(client, world, organiser):
    session, meeting = world["session"], world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=session.slots.first(), table=session.tables.first(), status="scheduled"
    )
    client.force_login(organiser)
    url = reverse("matchmaking:meeting_mark", kwargs={"slug": session.slug, "pk": meeting.pk})

    client.post(url, {"status": "no_show"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NO_SHOW
    client.post(url, {"status": "junk"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NO_SHOW
    client.post(url, {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD

    dashboard = client.get(reverse("matchmaking:dashboard", kwargs={"slug": session.slug}))
    assert dashboard.context["figures"]["meetings_held"] == 1
    assert dashboard.context["tables_in_use"][0]["used"] == 1


def test_desk_cannot_mark_a_meeting_without_slot(client, world, organiser):
    client.force_login(organiser)
    url = reverse(
        "matchmaking:meeting_mark",
        kwargs={"slug": world["session"].slug, "pk": world["meeting"].pk},
    )

    response = client.post(url, {"status": "held"}, follow=True)

    assert "Only a meeting with a slot" in response.content.decode()
    world["meeting"].refresh_from_db()
    assert world["meeting"].status == Meeting.Status.PLANNED


def test_table_sheet_shows_who_sits_where_and_prints(
    client, session, organiser, alice, bob, django_capture_on_commit_callbacks
):
    accept(send(alice, bob))
    with django_capture_on_commit_callbacks(execute=True):
        schedule_run_start(session=session, by=organiser)
    client.force_login(organiser)
    url = reverse("matchmaking:table_sheet", kwargs={"slug": session.slug})

    page = client.get(url).content.decode()

    assert "Alice Weber" in page
    # Its print file is a report job (tests/reports/test_session_documents.py).
    assert reverse("reports:request", args=["session", session.pk]) in page
    assert 'value="table_sheet"' in page
