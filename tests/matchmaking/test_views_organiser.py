"""Organisers' session pages: create, settings, days, slots, tables, meetings on behalf."""

from __future__ import annotations

from django.urls import reverse

from matchmaking.models import MeetingRequest, Session

from .factories import send


def _url(name, session, **kwargs):
    return reverse(f"matchmaking:{name}", kwargs={"slug": session.slug, **kwargs})


def test_session_create_then_day_and_tables_through_the_pages(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("matchmaking:create"),
        {
            "title": "Cluster matchmaking at Hannover Messe",
            "time_zone": "Europe/Berlin",
            "meeting_minutes": 30,
            "phase": "draft",
            "request_expiry_days": 7,
            "max_meetings_per_participant": 8,
            "requests_need_acceptance": "on",
        },
    )
    session = Session.objects.get()
    assert response["Location"] == _url("setup", session)
    response = client.post(
        _url("day_add", session),
        {
            "date": "2016-04-25",
            "start_time": "09:30",
            "end_time": "12:00",
            "kinds": ["c2c"],
            "breaks": "10:30-11:00",
        },
    )
    assert response.status_code == 302
    assert session.slots.count() == 4
    assert session.days.get().kinds == ["c2c"]
    client.post(_url("tables_add", session), {"count": 3, "prefix": "Table", "seats": 6})
    assert list(session.tables.values_list("name", flat=True)) == ["Table 1", "Table 2", "Table 3"]


def test_day_add_with_junk_breaks_shows_the_form_again(client, organiser, session):
    client.force_login(organiser)
    response = client.post(
        _url("day_add", session),
        {"date": "2031-01-02", "start_time": "09:00", "end_time": "12:00", "breaks": "lunch"},
    )
    assert response.status_code == 400
    assert "Write each break as HH:MM-HH:MM." in response.content.decode()
    assert session.days.count() == 1


def test_slot_add_in_venue_time(client, organiser, session):
    client.force_login(organiser)
    day = session.days.get().date
    client.post(_url("slot_add", session), {"starts_at": f"{day}T14:00"})
    slot = session.slots.last()
    assert slot.starts_at.astimezone(session.tz).strftime("%H:%M") == "14:00"


def test_session_edit_settings(client, organiser, session):
    client.force_login(organiser)
    response = client.post(
        _url("edit", session),
        {
            "title": session.title,
            "time_zone": session.time_zone,
            "meeting_minutes": 30,
            "phase": "scheduling",
            "request_expiry_days": 3,
            "max_meetings_per_participant": 5,
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.phase, session.max_meetings_per_participant) == ("scheduling", 5)


def test_meeting_add_on_behalf_through_the_page(client, organiser, session, alice, bob):
    client.force_login(organiser)
    response = client.post(
        _url("meeting_add", session),
        {"sender": "Alice Weber", "receiver": "Bob Miller", "kind": "c2c"},
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.status, request.created_by_organiser) == ("accepted", organiser)


def test_meeting_add_for_a_participant_of_another_session_is_refused(
    client, organiser, session, alice, other_organiser
):
    from .factories import make_participant

    stranger = make_participant(Session.objects.exclude(pk=session.pk).get())
    client.force_login(organiser)
    response = client.post(
        _url("meeting_add", session),
        {"sender": "Alice Weber", "receiver": stranger.user.full_name, "kind": "b2b"},
    )
    assert response.status_code == 400
    assert response.context["meeting_form"].errors["receiver"] == [
        f"No participant of this session is called “{stranger.user.full_name}”: "
        "choose one of the suggestions."
    ]
    assert not MeetingRequest.objects.exists()


def test_inbox_shows_only_the_readers_own_requests(client, alice, bob, carol):
    send(alice, carol)
    mine = send(bob, alice)
    client.force_login(bob.user)
    response = client.get(_url("inbox", bob.session))
    assert [r.pk for r in response.context["sent"]] == [mine.pk]
    assert response.context["received"] == []
    assert "Carol Jones" not in response.content.decode()
