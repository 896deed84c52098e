"""The organisers' meeting form names participants by typing (``matchmaking.autocomplete``):
the session's participant search endpoint and the form that resolves the typed names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.autocomplete import RESULT_CAP
from matchmaking.models import MeetingRequest, Participant, Session
from organizations.models import User
from tests.factories import make_organization, make_user

from .factories import make_participant


def search_url(session: Session) -> str:
    return reverse("matchmaking:participant_search", kwargs={"slug": session.slug})


def add_url(session: Session) -> str:
    return reverse("matchmaking:meeting_add", kwargs={"slug": session.slug})


def setup_url(session: Session) -> str:
    return reverse("matchmaking:setup", kwargs={"slug": session.slug})


def values(response) -> list[str]:
    assert response.status_code == 200
    return [result["value"] for result in response.json()["results"]]


def named(session: Session, full_name: str, **fields) -> Participant:
    return make_participant(
        session, make_user(full_name=full_name), by=session.organisers.first(), **fields
    )


def other_session(other_organiser) -> Session:
    return Session.objects.get(organisers=other_organiser)


# --- The endpoint ---------------------------------------------------------------------------


def test_search_url_is_under_the_sessions_setup(session):
    assert search_url(session) == f"/matchmaking/{session.slug}/setup/participants/search/"


def test_search_is_for_the_sessions_organisers_only(
    client, session, organiser, other_organiser, alice, bob
):
    anonymous = client.get(search_url(session), {"q": "bob"})
    client.force_login(alice.user)
    as_participant = client.get(search_url(session), {"q": "bob"})
    client.force_login(other_organiser)
    as_other_organiser = client.get(search_url(session), {"q": "bob"})
    client.force_login(organiser)
    as_organiser = client.get(search_url(session), {"q": "bob"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert as_participant.status_code == as_other_organiser.status_code == 404
    assert b"Bob Miller" not in as_participant.content + as_other_organiser.content
    assert values(as_organiser) == ["Bob Miller"]


def test_search_finds_the_sessions_participants_by_name_or_organisation(
    client, session, organiser, other_organiser, alice
):
    lumen = make_organization("Lumen Cluster")
    with_organisation = named(session, "Dana Scott", organization=lumen)
    hidden = named(session, "Lumen Hidden", is_visible=False)
    named(other_session(other_organiser), "Lumen Elsewhere")
    client.force_login(organiser)

    response = client.get(search_url(session), {"q": "lumen"})

    # A hidden profile is still there for the organisers; another session's participant is not.
    assert values(response) == ["Dana Scott", "Lumen Hidden"]
    assert [result["label"] for result in response.json()["results"]] == [
        with_organisation.display_name,
        hidden.display_name,
    ]
    assert with_organisation.display_name == "Dana Scott (Lumen Cluster)"


def test_search_numbers_namesakes_within_the_session_only(
    client, session, organiser, other_organiser
):
    first = named(session, "Sam Lee")
    second = named(session, "Sam Lee")
    named(other_session(other_organiser), "Robin Hart")
    named(session, "Robin Hart")
    client.force_login(organiser)

    assert values(client.get(search_url(session), {"q": "sam lee"})) == [
        f"Sam Lee #{first.pk}",
        f"Sam Lee #{second.pk}",
    ]
    # A namesake in another session is not this session's business: no number.
    assert values(client.get(search_url(session), {"q": "robin"})) == ["Robin Hart"]


def test_search_never_shows_an_email_address(client, session, organiser):
    nameless = named(session, "placeholder")
    User.objects.filter(pk=nameless.user_id).update(full_name="")
    client.force_login(organiser)

    by_local_part = client.get(search_url(session), {"q": nameless.user.email.split("@")[0]})
    by_domain = client.get(search_url(session), {"q": nameless.user.email.split("@")[1]})

    assert values(by_local_part) == [nameless.user.email.split("@")[0]]
    assert "@" not in by_local_part.content.decode()
    assert values(by_domain) == []


def test_search_returns_at_most_the_cap(client, session, organiser):
    for number in range(RESULT_CAP + 5):
        named(session, f"Capped Person {number:02d}")
    client.force_login(organiser)

    found = values(client.get(search_url(session), {"q": "capped"}))

    assert len(found) == RESULT_CAP
    assert found[0] == "Capped Person 00"


@pytest.mark.parametrize("query", ["", "a", " ", "%", "_"])
def test_search_too_short_answers_an_empty_list(client, session, organiser, alice, query):
    client.force_login(organiser)
    assert values(client.get(search_url(session), {"q": query})) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [("x" * 101, "at most 100 characters"), ("ab\x00cd", "cannot be typed"), ("a\nb", "cannot")],
)
def test_search_junk_is_refused_in_words(client, session, organiser, query, message):
    client.force_login(organiser)
    response = client.get(search_url(session), {"q": query})
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize("count", [1, 3])
def test_search_costs_the_same_queries_whatever_it_finds(
    client, session, organiser, count, django_assert_num_queries
):
    for number in range(count):
        named(session, f"Counted Person {number}", organization=make_organization())
    client.force_login(organiser)
    # Login session, user, matchmaking session, the reader's own profile, the organiser
    # check, then the search's two (the rows, and which of their names are shared).
    with django_assert_num_queries(7):
        assert len(values(client.get(search_url(session), {"q": "counted"}))) == count


# --- The form: typed names, resolved on the server without JavaScript ---------------------


def test_setup_page_offers_text_inputs_not_a_select_of_participants(
    client, session, organiser, alice
):
    client.force_login(organiser)
    html = client.get(setup_url(session)).content.decode()
    form = html[html.index(add_url(session)) :]

    assert '<select name="sender"' not in form and '<select name="receiver"' not in form
    assert f'data-autocomplete="{search_url(session)}"' in form
    assert 'list="id_sender-options"' in form and 'list="id_receiver-options"' in form
    assert "Alice Weber" not in form


@pytest.mark.parametrize("count", [1, 3])
def test_setup_page_queries_do_not_grow_with_participants(
    client, session, organiser, count, django_assert_num_queries
):
    for number in range(count):
        named(session, f"Counted Person {number}", organization=make_organization())
    client.force_login(organiser)
    with django_assert_num_queries(10):
        assert client.get(setup_url(session)).status_code == 200


def test_organiser_adds_a_meeting_by_typing_names(client, session, organiser, alice, bob):
    client.force_login(organiser)

    response = client.post(
        add_url(session), {"sender": "  alice   WEBER ", "receiver": "Bob Miller", "kind": "c2c"}
    )

    assert response.status_code == 302
    assert response["Location"] == setup_url(session)
    request = MeetingRequest.objects.get()
    assert (request.sender, request.receiver, request.kind) == (alice, bob, "c2c")
    assert (request.status, request.created_by_organiser) == ("accepted", organiser)


def test_a_nameless_participant_is_typed_as_the_email_before_the_at(
    client, session, organiser, alice
):
    nameless = named(session, "placeholder")
    User.objects.filter(pk=nameless.user_id).update(full_name="")
    client.force_login(organiser)

    response = client.post(
        add_url(session),
        {"sender": "Alice Weber", "receiver": nameless.user.email.split("@")[0], "kind": "b2b"},
    )

    assert response.status_code == 302
    assert MeetingRequest.objects.get().receiver == nameless


def test_a_shared_name_asks_for_the_number_and_then_resolves(client, session, organiser, alice):
    first = named(session, "Sam Lee")
    second = named(session, "Sam Lee")
    client.force_login(organiser)

    ambiguous = client.post(
        add_url(session), {"sender": "Sam Lee", "receiver": "Alice Weber", "kind": "b2b"}
    )
    numbered = client.post(
        add_url(session),
        {"sender": f"Sam Lee #{second.pk}", "receiver": "Alice Weber", "kind": "b2b"},
    )

    assert ambiguous.status_code == 400
    assert ambiguous.context["meeting_form"].errors["sender"] == [
        f"More than one is called “Sam Lee”; type one of “Sam Lee #{first.pk}”, "
        f"“Sam Lee #{second.pk}”."
    ]
    assert numbered.status_code == 302
    assert MeetingRequest.objects.get().sender == second


@pytest.mark.parametrize(
    ("receiver", "message"),
    [
        ("Nobody Like This", "No participant of this session is called “Nobody Like This”"),
        ("x" * 5000, "That is too long for a name."),
    ],
)
def test_an_unknown_or_oversized_name_is_a_clear_error(
    client, session, organiser, alice, receiver, message
):
    client.force_login(organiser)

    response = client.post(
        add_url(session), {"sender": "Alice Weber", "receiver": receiver, "kind": "b2b"}
    )

    assert response.status_code == 400
    (error,) = response.context["meeting_form"].errors["receiver"]
    assert message in error
    assert not MeetingRequest.objects.exists()


def test_another_sessions_participant_is_refused_even_by_number(
    client, session, organiser, other_organiser, alice
):
    stranger = named(other_session(other_organiser), "Erin Stranger")
    client.force_login(organiser)

    response = client.post(
        add_url(session),
        {"sender": "Alice Weber", "receiver": f"Erin Stranger #{stranger.pk}", "kind": "b2b"},
    )

    assert response.status_code == 400
    assert response.context["meeting_form"].errors["receiver"] == [
        f"No participant of this session is called “Erin Stranger #{stranger.pk}”: "
        "choose one of the suggestions."
    ]
    assert not MeetingRequest.objects.exists()


def test_the_same_participant_twice_is_refused_and_the_typed_names_stay(
    client, session, organiser, alice
):
    client.force_login(organiser)

    response = client.post(
        add_url(session), {"sender": "Alice Weber", "receiver": "alice weber", "kind": "b2b"}
    )

    assert response.status_code == 400
    form = response.context["meeting_form"]
    assert form.non_field_errors() == ["A meeting needs two different participants."]
    assert 'value="alice weber"' in response.content.decode()
    assert not MeetingRequest.objects.exists()
