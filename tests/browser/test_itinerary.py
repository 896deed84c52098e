"""An organiser builds a two-day itinerary with a travel leg and publishes it; a delegate
from New York sees each time at the venue and at home. axe-core runs on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from missions import services
from missions.models import Mission
from organizations.models import Role
from tests.factories import PASSWORD, make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def add_item(page: Page, day_heading: str, kind: str, fields: dict, selects: dict) -> None:
    day = page.locator("section.day").filter(has=page.get_by_role("heading", name=day_heading))
    day.get_by_role("link", name=f"Add a {kind}").click()
    for label, value in fields.items():
        page.get_by_label(f"{label}:", exact=True).fill(value)
    for label, value in selects.items():
        page.get_by_label(f"{label}:", exact=True).select_option(value)
    page.get_by_role("button", name="Save").click()


def test_organiser_builds_and_publishes_delegate_sees_two_zones(page: Page, live_server, axe_check):
    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    host = make_organization("EnergyVille", country="BE", city="Genk")
    us_org = make_organization("Front Range Energy Cluster", country="US", city="Denver")
    delegate = make_user("delegate@browser.example.org", home_time_zone="America/New_York")

    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/missions/new/")
    axe_check(page)
    page.get_by_label("Title").fill("Cluster mission to Copenhagen and Malmö")
    page.get_by_label("Direction").select_option("us_to_eu")
    page.get_by_label("First day").fill("2018-11-06")
    page.get_by_label("Last day").fill("2018-11-07")
    page.get_by_label("Time zone").select_option("Europe/Copenhagen")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plan Cluster mission to Copenhagen and Malmö"
    )
    axe_check(page)

    for date in ("2018-11-06", "2018-11-07"):
        page.get_by_label("Date").fill(date)
        page.get_by_role("button", name="Add day").click()
    expect(page.locator("section.day")).to_have_count(2)

    add_item(
        page,
        "Tuesday 6 November 2018",
        "session",
        {"Title": "Roundtable", "Starts at": "09:00", "Ends at": "12:30", "City": "Copenhagen"},
        {"Session kind": "roundtable"},
    )
    add_item(
        page,
        "Wednesday 7 November 2018",
        "travel leg",
        {
            "Title": "Train to Malmö",
            "Starts at": "09:00",
            "Ends at": "09:45",
            "From": "Copenhagen",
            "To": "Malmö",
        },
        {"Mode": "train"},
    )
    page.locator("section.day").nth(1).get_by_role("link", name="Add a visit").click()
    axe_check(page)
    page.get_by_label("Title:", exact=True).fill("EnergyVille lab tour")
    page.get_by_label("Starts at").fill("10:30")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_label("Venue time zone").select_option("Europe/Stockholm")
    # The host comes from the autocomplete: typing fills the suggestions from the server.
    hosts = page.get_by_label("Hosts:", exact=True)
    hosts.press_sequentially("energyv")
    suggestion = page.locator("#id_hosts-options option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_attribute("value", "EnergyVille")
    hosts.fill(suggestion.get_attribute("value"))
    page.get_by_label("City:", exact=True).fill("Malmö")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Added to Nov. 7, 2018.")
    expect(page.get_by_text("No warnings.")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Mission published.")
    mission = Mission.objects.get()
    assert mission.status == Mission.Status.PUBLISHED
    assert [item.title for day in mission.days.all() for item in day.items.all()] == [
        "Roundtable",
        "Train to Malmö",
        "EnergyVille lab tour",
    ]
    services.delegation_member_add(
        mission=mission, by=organiser, user=delegate, organization=us_org
    )
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, delegate.email)
    page.goto(f"{live_server.url}/missions/{mission.slug}/itinerary/")
    axe_check(page)
    items = page.locator("li.item")
    expect(items).to_have_count(3)
    expect(items.nth(0).locator(".item-time")).to_have_text("09:00–12:30 CET · 03:00–06:30 EST")
    expect(items.nth(1).locator(".item-time")).to_have_text("09:00–09:45 CET · 03:00–03:45 EST")
    expect(items.nth(2).locator(".item-time")).to_have_text("10:30–12:00 CET · 04:30–06:00 EST")
    expect(items.nth(2)).to_contain_text("Hosts: EnergyVille")

    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("img", name="Map of the visits")).to_be_visible()
    axe_check(page)
    assert host.pk


def test_host_confirms_and_delegate_reads_changes_and_calendar(
    page: Page, live_server, axe_check, task_worker
):
    from missions.models import ItineraryItem
    from organizations.models import Membership
    from organizations.services import membership_add
    from tests.missions.factories import make_day, make_mission, make_session, make_visit

    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    host_org = make_organization("EnergyVille", country="BE", city="Genk")
    other_org = make_organization("The Beacon", country="BE", city="Antwerp")
    host = make_user("host@browser.example.org", roles=(Role.HOST_CONTACT,))
    membership_add(organization=host_org, user=host, role=Membership.Role.MANAGER)
    us_org = make_organization("Front Range Energy Cluster", country="US", city="Denver")
    delegate = make_user("delegate@browser.example.org", home_time_zone="America/Denver")
    mission = make_mission(organiser, title="Belgian cluster visits")
    day = make_day(organiser, mission, "2018-11-08")
    make_session(organiser, day, "08:30", "09:00", title="Coffee", kind="meal", city="Genk")
    visit = make_visit(
        organiser, day, [host_org], "09:30", "12:30", zone="Europe/Brussels", city="Genk"
    )
    make_visit(
        organiser, day, [other_org], "14:30", "18:00", zone="Europe/Brussels", city="Antwerp"
    )
    services.delegation_member_add(
        mission=mission, by=organiser, user=delegate, organization=us_org
    )
    services.mission_publish(mission=mission, by=organiser)

    log_in(page, live_server, host.email)
    page.goto(f"{live_server.url}/missions/host/")
    rows = page.get_by_role("row").filter(has_text="Belgian cluster visits")
    expect(rows).to_have_count(1)  # The Beacon's visit is not this host's business
    axe_check(page)
    rows.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Thank you: the visit is confirmed.")
    visit.refresh_from_db()
    assert visit.visit_status == ItineraryItem.VisitStatus.CONFIRMED
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, delegate.email)
    page.goto(f"{live_server.url}/missions/{mission.slug}/")
    page.get_by_role("link", name="Change log").click()
    expect(page.get_by_text("confirmed: Visit to EnergyVille")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/missions/{mission.slug}/")
    page.get_by_role("link", name="My private calendar").click()
    page.get_by_role("button", name="Create my link").click()
    link = page.get_by_label("Your link (shown only now)").input_value()
    assert link.startswith(f"{live_server.url}/missions/calendar/")
    axe_check(page)
    # Replacing the link asks first, on a page of its own.
    page.get_by_role("link", name="Make a new link (the old one stops working)").click()
    expect(page.get_by_role("heading", name="Make a new private calendar link?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Make a new link").click()
    new_link = page.get_by_label("Your link (shown only now)").input_value()
    assert new_link.startswith(f"{live_server.url}/missions/calendar/") and new_link != link
    page.goto(f"{live_server.url}/missions/{mission.slug}/print/")
    expect(page.get_by_role("row")).to_have_count(4)
    axe_check(page)
