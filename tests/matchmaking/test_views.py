"""Participant pages through the client: profile, items, browse, suggestions, requests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.models import MarketplaceItem, MeetingRequest, Participant
from tests.factories import make_organization, make_sector, make_user

from .factories import make_item, make_participant, send


def _url(name, session, **kwargs):
    return reverse(f"matchmaking:{name}", kwargs={"slug": session.slug, **kwargs})


def test_profile_create_then_item_add(client, session, sector):
    user = make_user("new@test.example.org", full_name="Nora New")
    organization = make_organization("Cluster NEW", manager=user)
    client.force_login(user)
    response = client.post(
        _url("profile", session),
        {
            "organization": organization.pk,
            "side": "eu",
            "attendees": 2,
            "sectors": [sector.pk],
            "languages": "en, DE",
            "summary": "We build hydrogen valleys.",
            "is_visible": "on",
        },
    )
    assert response.status_code == 302
    participant = Participant.objects.get(user=user)
    assert (participant.organization, participant.attendees, participant.languages) == (
        organization,
        2,
        ["en", "de"],
    )
    response = client.post(
        _url("item_add", session),
        {"direction": "offer", "item_type": "partnership", "title": "Pilot sites"},
    )
    assert response.status_code == 302
    assert participant.items.get().title == "Pilot sites"


def test_profile_for_an_organisation_not_mine_is_refused(client, session):
    user = make_user()
    stranger_org = make_organization("Not mine")
    client.force_login(user)
    response = client.post(
        _url("profile", session),
        {"organization": stranger_org.pk, "side": "eu", "attendees": 1},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Participant.objects.filter(user=user).exists()
    # No success message waits for the next page.
    assert "Your profile is saved" not in client.get(_url("session", session)).content.decode()


def test_profile_with_junk_languages_is_refused(client, session):
    user = make_user()
    client.force_login(user)
    response = client.post(
        _url("profile", session), {"side": "eu", "attendees": 1, "languages": "english!"}
    )
    assert response.status_code == 400
    assert "two-letter codes" in response.content.decode()
    assert not Participant.objects.filter(user=user).exists()


def test_item_with_oversized_title_is_refused(client, alice):
    client.force_login(alice.user)
    response = client.post(
        _url("item_add", alice.session),
        {"direction": "offer", "item_type": "partnership", "title": "x" * 201},
    )
    assert response.status_code == 400
    assert not MarketplaceItem.objects.exists()


def test_request_send_accept_through_the_pages(client, alice, bob):
    client.force_login(alice.user)
    response = client.post(
        _url("request_send", alice.session, pk=bob.pk), {"kind": "c2c", "message": "Hello"}
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.sender, request.receiver, request.kind) == (alice, bob, "c2c")
    client.force_login(bob.user)
    inbox = client.get(_url("inbox", bob.session))
    assert "Alice Weber" in inbox.content.decode()
    response = client.post(_url("request_accept", bob.session, pk=request.pk))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED


def test_request_to_oneself_shows_a_clear_message(client, alice):
    client.force_login(alice.user)
    response = client.post(_url("request_send", alice.session, pk=alice.pk), {"kind": "b2b"})
    assert response.status_code == 400
    assert "You cannot send a request to yourself." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_request_twice_shows_a_clear_message(client, alice, bob):
    send(alice, bob)
    client.force_login(bob.user)
    response = client.post(_url("request_send", bob.session, pk=alice.pk), {"kind": "b2b"})
    assert response.status_code == 400
    assert "already a request" in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_request_accept_cancelled_shows_a_clear_message(client, alice, bob):
    request = send(alice, bob)
    client.force_login(alice.user)
    client.post(_url("request_cancel", alice.session, pk=request.pk))
    client.force_login(bob.user)
    response = client.post(_url("request_accept", bob.session, pk=request.pk), follow=True)
    assert "This request is cancelled; it can no longer be answered." in response.content.decode()
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.CANCELLED


def test_request_decline_with_reason_through_the_page(client, alice, bob):
    request = send(alice, bob)
    client.force_login(bob.user)
    client.post(_url("request_decline", bob.session, pk=request.pk), {"reason": "Wrong sector"})
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "Wrong sector")
    client.force_login(alice.user)
    assert "Wrong sector" in client.get(_url("inbox", alice.session)).content.decode()


def test_participant_list_filters_by_side_and_text(client, alice, bob, carol):
    make_item(carol, title="Quantum sensors", by=carol.user)
    client.force_login(alice.user)
    page = client.get(_url("participants", alice.session), {"side": "us", "q": "quantum"})
    assert [p.pk for p in page.context["participants"]] == [carol.pk]


def test_participant_list_leaves_a_junk_filter_out_in_words(client, alice, bob, carol):
    """As on every list: the junk filter is named and left out, the others still apply."""
    make_item(carol, title="Quantum sensors", by=carol.user)
    client.force_login(alice.user)
    response = client.get(_url("participants", alice.session), {"side": "moon", "q": "quantum"})
    assert response.status_code == 200
    assert "Filter “Side” ignored:" in response.content.decode()
    assert [p.pk for p in response.context["participants"]] == [carol.pk]


def test_hidden_profile_is_a_404_to_other_participants(client, alice, bob):
    bob.is_visible = False
    bob.save()
    client.force_login(alice.user)
    assert client.get(_url("participant", alice.session, pk=bob.pk)).status_code == 404


def test_suggestions_page_lists_reasons(client, session, alice):
    energy = make_sector("Energy")
    alice.sectors.add(energy)
    partner = make_participant(session, side="us", sectors=(energy,))
    client.force_login(alice.user)
    page = client.get(_url("suggestions", session))
    assert [s.participant.pk for s in page.context["suggestions"]] == [partner.pk]
    assert "Shared sectors: Energy." in page.content.decode()


def test_session_list_invites_a_registrant_who_asked_for_matchmaking(client, organiser):
    from tests.missions.events.factories import make_event, register

    from .factories import make_session

    event = make_event(organiser)
    session = make_session(organiser, title="Roundtable matchmaking", event=event)
    user = make_user()
    organization = make_organization(manager=user)
    register(event, user, organization, wants_matchmaking=True)
    client.force_login(user)
    page = client.get(reverse("matchmaking:list"))
    assert [s.pk for s in page.context["invitations"]] == [session.pk]


# --- Query counts: the same with 1 and 3 rows ---------------------------------------------


def _people(session, count):
    sector = make_sector()
    people = []
    for number in range(count):
        person = make_participant(session, side="us", sectors=(sector,))
        make_item(person, title=f"Offer {number}", sectors=(sector,))
        people.append(person)
    return sector, people


@pytest.mark.parametrize("count", [1, 3])
def test_participant_list_query_count(client, alice, count, django_assert_num_queries):
    _people(alice.session, count)
    client.force_login(alice.user)
    url = _url("participants", alice.session)
    client.get(url)
    with django_assert_num_queries(15):
        client.get(url)


@pytest.mark.parametrize("count", [1, 3])
def test_suggestions_query_count(client, alice, count, django_assert_num_queries):
    sector, _ = _people(alice.session, count)
    alice.sectors.add(sector)
    client.force_login(alice.user)
    url = _url("suggestions", alice.session)
    client.get(url)
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["suggestions"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_inbox_query_count(client, alice, count, django_assert_num_queries):
    _sector, people = _people(alice.session, count)
    for person in people:
        send(person, alice)
    client.force_login(alice.user)
    url = _url("inbox", alice.session)
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["received"]) == count
