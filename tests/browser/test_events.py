"""An EU cluster manager registers for a roundtable, the organiser approves, the manager
downloads the calendar file; a second person is waitlisted and promoted when the first
cancels. axe-core runs on every page."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from missions.events import services
from missions.events.models import Event, Registration
from organizations.models import Role
from organizations.services import membership_add
from tests.factories import PASSWORD, make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def register(page: Page, live_server, event: Event, axe_check, organization_name: str) -> None:
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    axe_check(page)
    page.get_by_role("link", name="Register").click()
    axe_check(page)
    page.get_by_label("Organisation:", exact=True).select_option(label=organization_name)
    page.get_by_label("Your role").fill("Cluster manager")
    page.get_by_label("I would like to take part in matchmaking").check()
    page.get_by_label("Show my name and organisation").check()
    page.get_by_label("What would you like to achieve with US partners?").fill(
        "Joint projects on clean energy"
    )
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#status")).to_have_text("Pending approval")
    axe_check(page)


def decide(page: Page, live_server, event: Event, name: str, axe_check) -> None:
    page.goto(f"{live_server.url}/events/{event.slug}/manage/")
    axe_check(page)
    page.get_by_label(name).check()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Message to the people concerned").fill("Welcome to BLOXHUB!")
    page.get_by_role("button", name="Apply decision").click()


def test_register_approve_calendar_and_waiting_list(page: Page, live_server, axe_check):
    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    first = make_user(
        "mette@browser.example.org",
        full_name="Mette Jensen",
        roles=(Role.EU_CLUSTER_MANAGER,),
        home_time_zone="Europe/Copenhagen",
    )
    second = make_user(
        "pieter@browser.example.org",
        full_name="Pieter Claes",
        roles=(Role.EU_CLUSTER_MANAGER,),
        home_time_zone="Europe/Brussels",
    )
    make_organization("CLEAN", country="DK", city="Copenhagen", manager=first)
    beacon = make_organization("The Beacon", country="BE", city="Antwerp")
    membership_add(organization=beacon, user=second)
    start = (dt.datetime.now(CPH) + dt.timedelta(days=30)).replace(
        hour=8, minute=30, second=0, microsecond=0
    )
    event = services.event_create(
        by=organiser,
        kind=Event.Kind.ROUNDTABLE,
        title="EU-US Cluster Roundtable for knowledge exchange",
        venue_name="BLOXHUB",
        venue_address="Bryghusgade 8",
        city="Copenhagen",
        time_zone="Europe/Copenhagen",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=5),
        registration_deadline=start - dt.timedelta(days=7),
        capacity=1,
        approval_required=True,
        waiting_list_enabled=True,
    )
    services.event_publish(event=event, by=organiser)
    services.question_add(
        event=event,
        by=organiser,
        label="What would you like to achieve with US partners?",
        required=True,
    )

    # Both cluster managers register; both wait for approval.
    log_in(page, live_server, first.email)
    register(page, live_server, event, axe_check, "CLEAN")
    log_out(page)
    log_in(page, live_server, second.email)
    register(page, live_server, event, axe_check, "The Beacon")
    log_out(page)

    # The organiser approves both: one seat, so the second joins the waiting list.
    log_in(page, live_server, organiser.email)
    decide(page, live_server, event, "Mette Jensen", axe_check)
    expect(page.get_by_text("1 approved.")).to_be_visible()
    decide(page, live_server, event, "Pieter Claes", axe_check)
    expect(page.get_by_text("1 put on the waiting list: no seat left.")).to_be_visible()
    expect(page.locator("#counts")).to_contain_text("Waiting list")
    log_out(page)

    # The first downloads the calendar file, then cancels.
    log_in(page, live_server, first.email)
    page.goto(f"{live_server.url}/events/mine/")
    axe_check(page)
    page.get_by_role("link", name=event.title).click()
    expect(page.locator("#status")).to_have_text("Approved")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = download_info.value.path().read_bytes()
    assert b"BEGIN:VTIMEZONE" in calendar
    assert b"TZID:Europe/Copenhagen" in calendar
    assert f"DTSTART;TZID=Europe/Copenhagen:{start:%Y%m%dT083000}".encode() in calendar
    page.get_by_role("link", name="Cancel my registration").click()
    expect(page.get_by_role("heading", name="Cancel this registration?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Cancel the registration").click()
    expect(page.locator("#status")).to_have_text("Cancelled")
    log_out(page)

    # The second is offered the seat and takes it.
    log_in(page, live_server, second.email)
    page.goto(f"{live_server.url}/events/mine/")
    page.get_by_role("link", name=event.title).click()
    expect(page.locator("#status")).to_have_text("Seat offered")
    axe_check(page)
    page.get_by_role("button", name="Accept the seat").click()
    expect(page.locator("#status")).to_have_text("Confirmed")
    axe_check(page)
    assert Registration.objects.get(user=second).status == Registration.Status.CONFIRMED
