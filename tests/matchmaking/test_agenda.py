"""Agendas: the participant's page, PDF and private feed; all agendas for organisers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from matchmaking.models import Meeting, Participant
from matchmaking.services.agendas import agendas_pdf
from tests.factories import make_user

from .factories import accept, make_participant, send


def place_all(session, *requests, published=True):
    """Put each request's meeting in its own slot at the first table (published)."""
    slots = list(session.slots.order_by("starts_at"))
    table = session.tables.order_by("pk").first()
    for index, request in enumerate(requests):
        Meeting.objects.filter(request=request).update(
            slot=slots[index],
            table=table,
            status=Meeting.Status.SCHEDULED,
            published_at=session.created_at if published else None,
        )


def partners(session, count):
    return [
        make_participant(session, make_user(full_name=f"Partner {n}"), side="us")
        for n in range(count)
    ]


def agenda_url(session, pk=None, name="agenda"):
    if pk is None:
        return reverse(f"matchmaking:{name}", kwargs={"slug": session.slug})
    return reverse(f"matchmaking:participant_{name}", kwargs={"slug": session.slug, "pk": pk})


@pytest.fixture
def booked(session, alice, bob):
    request = accept(send(alice, bob))
    place_all(session, request)
    return request


def test_agenda_shows_times_in_both_zones_tables_and_partner_summary(
    client, session, alice, bob, booked
):
    Participant.objects.filter(pk=bob.pk).update(summary="Clean-energy cluster of Ohio.")
    alice.user.home_time_zone = "America/New_York"
    alice.user.save()
    client.force_login(alice.user)

    page = client.get(agenda_url(session)).content.decode()

    assert "Bob Miller" in page and "Clean-energy cluster of Ohio." in page
    assert "Table 1" in page
    assert "CET" in page or "CEST" in page
    assert "EST" in page or "EDT" in page


def test_agenda_hides_unpublished_meetings_from_participants(client, session, alice, bob):
    place_all(session, accept(send(alice, bob)), published=False)
    client.force_login(alice.user)

    page = client.get(agenda_url(session)).content.decode()

    assert "Bob Miller" not in page
    assert "No meetings are published for you yet." in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("bob", 404), ("alice", 200), ("organiser", 200), ("other", 404)],
)
def test_participant_agenda_by_role(
    client, session, alice, bob, booked, organiser, other_organiser, role, expected
):
    users = {
        "anonymous": None,
        "alice": alice.user,
        "bob": bob.user,
        "organiser": organiser,
        "other": other_organiser,
    }
    if users[role]:
        client.force_login(users[role])

    for name in ("agenda", "agenda_pdf"):
        response = client.get(agenda_url(session, alice.pk, name))
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected


def test_own_agenda_needs_a_profile(client, session, other_user, alice):
    client.force_login(other_user)

    assert client.get(agenda_url(session)).status_code == 404
    assert client.get(agenda_url(session, name="agenda_pdf")).status_code == 404


def test_agenda_pdf_names_the_partner_and_numbers_pages(client, session, alice, bob, booked):
    client.force_login(alice.user)

    response = client.get(agenda_url(session, name="agenda_pdf"))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bob Miller" in text and "Table 1" in text and "1 / 1" in text


def test_agenda_feed_serves_published_meetings_by_token_and_rotates(
    client, session, alice, bob, booked
):
    url = reverse(
        "matchmaking:agenda_feed", kwargs={"slug": session.slug, "token": alice.agenda_token}
    )

    feed = client.get(url)

    assert feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [f"Meeting with {bob.display_name}"]
    assert str(events[0]["location"]) == "Table 1"
    client.force_login(alice.user)
    client.post(reverse("matchmaking:agenda_feed_rotate", kwargs={"slug": session.slug}))
    alice.refresh_from_db()
    assert client.get(url).status_code == 404
    fresh = reverse(
        "matchmaking:agenda_feed", kwargs={"slug": session.slug, "token": alice.agenda_token}
    )
    client.logout()
    assert client.get(fresh).status_code == 200


def test_agenda_feed_junk_token_is_404(client, session, alice):
    for token in ("junk", "x" * 65):
        url = reverse("matchmaking:agenda_feed", kwargs={"slug": session.slug, "token": token})
        assert client.get(url).status_code == 404


def test_agenda_rotate_refused_to_another_user(client, session, alice, bob):
    client.force_login(bob.user)
    token = alice.agenda_token

    client.post(
        reverse("matchmaking:participant_agenda", kwargs={"slug": session.slug, "pk": alice.pk})
    )

    alice.refresh_from_db()
    assert alice.agenda_token == token


def test_agenda_rotate_asks_first_and_the_post_rotates_once(client, session, alice):
    url = reverse("matchmaking:agenda_feed_rotate", kwargs={"slug": session.slug})
    token = alice.agenda_token
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(alice.user)

    page = client.get(url)

    assert page.status_code == 200
    assert "stops working at once" in page.content.decode()
    alice.refresh_from_db()
    assert alice.agenda_token == token  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.agenda_token != token
    assert client.get(response.url).status_code == 200


def test_agenda_rotate_page_is_404_without_a_profile(client, session, other_user):
    client.force_login(other_user)
    url = reverse("matchmaking:agenda_feed_rotate", kwargs={"slug": session.slug})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_agenda_query_count_does_not_grow_with_meetings(
    client, session, alice, count, django_assert_num_queries
):
    requests = [accept(send(alice, partner)) for partner in partners(session, count)]
    place_all(session, *requests)
    client.force_login(alice.user)

    with django_assert_num_queries(11):
        response = client.get(agenda_url(session))

    assert response.content.decode().count("Meeting with") == 0
    assert len(response.context["entries"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_all_agendas_pdf_query_count_does_not_grow(
    session, alice, count, django_assert_num_queries
):
    requests = [accept(send(alice, partner)) for partner in partners(session, count)]
    place_all(session, *requests)

    with django_assert_num_queries(3):
        pdf = agendas_pdf(session)

    assert pdf.pages == count + 1


def test_all_agendas_pdf_has_one_agenda_per_participant(
    client, session, organiser, alice, bob, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Asked for from the organisers' pages: a report job, downloaded from the job."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    place_all(session, accept(send(alice, bob)))
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            reverse("reports:request", args=["session", session.pk]),
            {"kind": "matchmaking_agendas", "page_size": "a4"},
        )
    job = client.get(asked["Location"]).context["job"]
    response = client.get(reverse("reports:download", args=[job.pk]))

    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 2
    assert "Alice Weber" in reader.pages[0].extract_text()
    assert "Bob Miller" in reader.pages[1].extract_text()
