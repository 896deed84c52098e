"""Public pages, the itinerary in two zones, the change log: anonymous / wrong / right user."""

import pytest
from django.urls import reverse

from missions import services

from ..factories import make_user
from .factories import make_day, make_mission, make_session, make_travel, make_visit


@pytest.fixture
def published(organiser, mission, day1, host_org):
    make_session(organiser, day1, "09:00", "12:30", venue_name="BLOXHUB")
    make_visit(organiser, day1, [host_org], "14:00", "16:00")
    services.mission_publish(mission=mission, by=organiser)
    mission.refresh_from_db()
    return mission


def test_mission_list_shows_published_only_to_the_public(client, organiser, published):
    draft = make_mission(organiser, title="Secret draft mission")
    response = client.get(reverse("missions:list"))
    assert response.status_code == 200
    assert response.content.decode().count('<li class="card">') == 1
    assert f'href="{published.get_absolute_url()}"' in response.content.decode()
    assert draft.title not in response.content.decode()


def test_mission_detail_draft_is_404_to_public_and_other_users(client, organiser, mission):
    from organizations.models import Role

    url = reverse("missions:detail", kwargs={"slug": mission.slug})
    assert client.get(url).status_code == 404
    client.force_login(make_user("nobody@test.example.org"))
    assert client.get(url).status_code == 404
    client.force_login(make_user("rival@test.example.org", roles=(Role.ORGANISER,)))
    assert client.get(url).status_code == 404
    for name in ("itinerary", "public_feed", "map", "print", "changes"):
        page = reverse(f"missions:{name}", kwargs={"slug": mission.slug})
        assert client.get(page).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_mission_detail_published_shows_facts_and_hosts(client, published, host_org):
    response = client.get(reverse("missions:detail", kwargs={"slug": published.slug}))
    assert response.status_code == 200
    assert [o.pk for o in response.context["organizations_met"]] == [host_org.pk]
    body = response.content.decode()
    assert "Tue 6 Nov 2018 – Fri 9 Nov 2018" in body
    assert "Belgium, Denmark, Netherlands, Sweden" in body
    assert reverse("missions:map", kwargs={"slug": published.slug}) in body


def test_itinerary_anonymous_sees_venue_time_only(client, published):
    response = client.get(reverse("missions:itinerary", kwargs={"slug": published.slug}))
    body = response.content.decode()
    assert '<time datetime="2018-11-06T08:00:00+00:00">09:00–12:30 CET</time>' in body
    assert "EST" not in body


def test_itinerary_us_delegate_sees_home_time_beside(client, published, delegate):
    client.force_login(delegate)
    response = client.get(reverse("missions:itinerary", kwargs={"slug": published.slug}))
    body = response.content.decode()
    assert (
        '<time datetime="2018-11-06T08:00:00+00:00">09:00–12:30 CET</time> '
        '<span class="home-time">· 03:00–06:30 EST</span>'
    ) in body
    assert '14:00–16:00 CET</time> <span class="home-time">· 08:00–10:00 EST' in body


def test_itinerary_viewer_in_same_offset_sees_one_time(client, published):
    client.force_login(make_user("paris@test.example.org", home_time_zone="Europe/Paris"))
    body = client.get(reverse("missions:itinerary", kwargs={"slug": published.slug})).content
    assert "home-time" not in body.decode()


def test_itinerary_hides_private_items_from_the_public(client, organiser, published, delegate):
    day = published.days.get()
    make_session(
        organiser, day, "19:00", "21:00", kind="meal", title="Delegation dinner", is_public=False
    )
    url = reverse("missions:itinerary", kwargs={"slug": published.slug})
    assert "Delegation dinner" not in client.get(url).content.decode()
    client.force_login(delegate)
    assert "Delegation dinner" in client.get(url).content.decode()


def test_mission_pages_warn_about_dst_between_home_and_venue(client, organiser, us_org):
    mission = make_mission(organiser, title="Autumn mission", start="2018-10-26", end="2018-10-30")
    day = make_day(organiser, mission, "2018-10-29")
    make_session(organiser, day, "09:00", "10:00")
    services.mission_publish(mission=mission, by=organiser)
    user = make_user("ny@test.example.org", home_time_zone="America/New_York")
    client.force_login(user)
    body = client.get(reverse("missions:detail", kwargs={"slug": mission.slug})).content.decode()
    assert "The clocks change during this mission." in body
    assert (
        "On Sunday 28 October 2018 the difference between America/New_York and Europe/Copenhagen "
        "changes from +6:00 to +5:00 hours."
    ) in body
    # The 2018 mission itself (6–9 November) has no change to warn about.
    other = client.get(reverse("missions:list"))
    assert other.status_code == 200


def test_change_log_for_delegates_and_organisers_only(
    client, organiser, published, delegate, other_user
):
    url = reverse("missions:changes", kwargs={"slug": published.slug})
    assert client.get(url).status_code == 302  # anonymous readers are sent to log in
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(delegate)
    response = client.get(url)
    assert response.status_code == 200
    assert [e.summary for e in response.context["entries"]][0] == "Published"
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_map_svg_draws_visits_and_legs(client, organiser, published):
    day2 = make_day(organiser, published, "2018-11-07")
    from ..factories import make_organization

    malmo = make_organization(
        "Business Region Skåne", country="SE", city="Malmö", latitude="55.605", longitude="13.003"
    )
    make_travel(organiser, day2, "Copenhagen", "Malmö", "12:00", "13:00")
    make_visit(organiser, day2, [malmo], "14:00", "16:00", city="Malmö")
    response = client.get(reverse("missions:map", kwargs={"slug": published.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    # The roundtable has no coordinates; each visit is placed at its host.
    assert svg.count('class="point"') == 2
    assert svg.count('class="leg"') == 1
    assert "1. Visit to EnergyVille" in svg
    assert "2. Visit to Business Region Skåne" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_print_view_lists_items_in_time_order(client, published):
    response = client.get(reverse("missions:print", kwargs={"slug": published.slug}))
    titles = [item.title for item in response.context["items"]]
    assert titles == ["EU-US cluster roundtable", "Visit to EnergyVille"]
    assert "Tue 6 Nov 2018" in response.content.decode()


def test_plan_page_warns_about_dst_for_delegates_home_zones(client, organiser, us_org):
    from ..factories import make_user

    mission = make_mission(organiser, title="Autumn mission", start="2018-10-26", end="2018-10-30")
    day = make_day(organiser, mission, "2018-10-29")
    make_session(organiser, day, "09:00", "10:00")
    person = make_user("denver@test.example.org", home_time_zone="America/Denver")
    services.delegation_member_add(mission=mission, by=organiser, user=person, organization=us_org)
    client.force_login(organiser)
    response = client.get(reverse("missions:plan", kwargs={"slug": mission.slug}))
    assert [
        (s.home_zone, s.venue_zone, s.local_date.isoformat())
        for s in response.context["dst_shifts"]
    ] == [
        ("America/Denver", "Europe/Copenhagen", "2018-10-28"),
        ("UTC", "Europe/Copenhagen", "2018-10-28"),  # the organiser's own zone
    ]


def test_admin_lists_missions_read_only(admin_client, published):
    response = admin_client.get("/admin/missions/mission/")
    assert response.status_code == 200
    assert published.title in response.content.decode()
    assert admin_client.get("/admin/missions/mission/add/").status_code == 403
