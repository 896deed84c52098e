# ruff: noqa: F811 - pytest injects the imported ``published`` fixture by name
"""Replacing a delegate's private calendar link asks first, on a page of its own: the old link
stops working. A GET changes nothing; the POST makes one new link and shows it once."""

from __future__ import annotations

from django.urls import reverse

from missions import services

from .test_feeds import published  # noqa: F401 - a published mission with its itinerary


def _feed(token: str) -> str:
    return reverse("missions:private_feed", kwargs={"token": token})


def test_first_link_is_made_without_asking(client, published, delegate):
    client.force_login(delegate)
    response = client.post(reverse("missions:my_calendar", kwargs={"slug": published.slug}))
    assert response.status_code == 200
    assert response.context["feed_url"].startswith("http://testserver/missions/calendar/")


def test_new_link_get_asks_and_changes_nothing(client, published, delegate):
    member = published.delegation.members.get(user=delegate)
    old = services.feed_token_rotate(member=member, by=delegate)
    member.refresh_from_db()
    stored = member.feed_token_hash
    client.force_login(delegate)
    calendar_page = reverse("missions:my_calendar", kwargs={"slug": published.slug})
    url = reverse("missions:my_calendar_rotate", kwargs={"slug": published.slug})
    # The calendar page links to the confirmation; it no longer posts the rotation.
    assert f'href="{url}"' in client.get(calendar_page).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Make a new private calendar link?" in page
    assert "stops working at once" in page
    assert f'action="{url}"' in page
    assert f'href="{calendar_page}"' in page
    member.refresh_from_db()
    assert member.feed_token_hash == stored
    assert client.get(_feed(old)).status_code == 200


def test_new_link_post_replaces_it_once(client, published, delegate):
    member = published.delegation.members.get(user=delegate)
    old = services.feed_token_rotate(member=member, by=delegate)
    client.force_login(delegate)
    url = reverse("missions:my_calendar_rotate", kwargs={"slug": published.slug})
    response = client.post(url)
    assert response.status_code == 200
    new_path = response.context["feed_url"].removeprefix("http://testserver")
    assert client.get(_feed(old)).status_code == 404
    assert client.get(new_path).status_code == 200
    assert "The old one no longer works." in response.content.decode()


def test_posting_the_calendar_page_again_does_not_replace_the_link(client, published, delegate):
    member = published.delegation.members.get(user=delegate)
    old = services.feed_token_rotate(member=member, by=delegate)
    client.force_login(delegate)
    response = client.post(reverse("missions:my_calendar", kwargs={"slug": published.slug}))
    assert response.status_code == 302
    assert response.url == reverse("missions:my_calendar_rotate", kwargs={"slug": published.slug})
    assert client.get(_feed(old)).status_code == 200


def test_new_link_page_permissions(client, published, delegate, second_delegate, other_user):
    member = published.delegation.members.get(user=delegate)
    old = services.feed_token_rotate(member=member, by=delegate)
    url = reverse("missions:my_calendar_rotate", kwargs={"slug": published.slug})
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(other_user)
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
    # Another delegate without a link has nothing to replace; their POST makes no link.
    client.force_login(second_delegate)
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
    assert not published.delegation.members.get(user=second_delegate).feed_token_created_at
    assert client.get(_feed(old)).status_code == 200
    client.force_login(delegate)
    assert client.get(url).status_code == 200
