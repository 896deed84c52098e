"""Everyday use from the home page, on the live demo: an applicant applies to the open
call; a cluster manager registers for the open roundtable. At 1280 and at 390 px wide (the
page itself never scrolls sideways), with axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from missions import live_demo
from organizations import demo as organizations_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-password"  # noqa: S105 - the demo's documented password
WIDTHS = [1280, 390]


@pytest.fixture
def live():
    organizations_demo.seed()
    return live_demo.seed()


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def no_sideways_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_applicant_applies_to_the_live_call_from_home(page, live_server, live, axe_check, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "applicant@example.org")
    page.goto(f"{live_server.url}/")
    axe_check(page)
    no_sideways_scroll(page, width)
    call = live["call"]
    page.get_by_role("region", name="Open calls").get_by_role("link", name=call.title).click()
    axe_check(page)
    no_sideways_scroll(page, width)
    page.get_by_label("On behalf of").select_option(label="Front Range Energy Cluster")
    page.get_by_role("button", name="Start an application").click()
    page.get_by_label("Your role in the organisation").fill("Cluster manager")
    page.get_by_label("What would your cluster like to achieve").fill("Partners in Flanders.")
    page.get_by_label("Can you cover your own travel?").select_option("yes")
    axe_check(page)
    no_sideways_scroll(page, width)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    page.goto(f"{live_server.url}/")
    applications = page.get_by_role("region", name="My applications")
    expect(applications.get_by_role("link", name=call.title)).to_be_visible()
    no_sideways_scroll(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_manager_registers_for_the_live_roundtable_from_home(
    page, live_server, live, axe_check, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "manager@example.org")
    page.goto(f"{live_server.url}/")
    axe_check(page)
    no_sideways_scroll(page, width)
    event = live["event"]
    open_events = page.get_by_role("region", name="Events open for registration")
    open_events.get_by_role("link", name=event.title).click()
    axe_check(page)
    no_sideways_scroll(page, width)
    page.get_by_role("link", name="Register").last.click()
    organisation = page.get_by_label("Organisation:", exact=True)
    if organisation.count():
        organisation.select_option(index=1)
    page.get_by_label("What would you like to achieve with US partners?").fill(
        "Joint projects on clean energy"
    )
    axe_check(page)
    no_sideways_scroll(page, width)
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#status")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/")
    registrations = page.get_by_role("region", name="My registrations")
    expect(registrations.get_by_role("link", name=event.title)).to_be_visible()
    expect(open_events.get_by_text("You registered")).to_be_visible()
    no_sideways_scroll(page, width)
