"""The design holds on a wide screen and a phone: each role's main page and the lists with
filters never scroll sideways (wide tables scroll inside their own box), and axe-core finds
no serious or critical violation. Runs on the demo data (seed_demo)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from matchmaking.models import Session
from missions.calls.models import Call
from missions.events.models import Event
from missions.models import Mission
from organizations.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


def demo_pages() -> dict[str, list[str]]:
    """The pages each demo user (None: a visitor) is checked on."""
    event = Event.objects.order_by("-starts_at").first()
    call = Call.objects.order_by("-pk").first()
    first_call = Call.objects.order_by("pk").first()
    session = Session.objects.order_by("-pk").first()
    published = Session.objects.order_by("pk").first()  # its phase is the longest badge
    mission = Mission.objects.order_by("pk").first()
    lists = ["/organisations/?country=DK", "/partnerships/", "/missions/", "/events/", "/calls/"]
    return {
        None: ["/", *lists],
        "organiser": [
            "/",
            f"/calls/{call.pk}/manage/",
            f"/calls/{call.pk}/manage/ranking/",
            f"/calls/{call.pk}/manage/form/",  # "Remove" buttons styled as links
            f"/events/{event.slug}/manage/",
            f"/matchmaking/{session.slug}/participants/",
            # Pages with a sub-menu (.subnav): tabs, or pills that wrap on a phone.
            f"/matchmaking/{published.slug}/",
            f"/matchmaking/{published.slug}/schedule/",
            f"/missions/{mission.slug}/",
            f"/missions/{mission.slug}/plan/",
            # Tables of form controls and a grid of every table: they scroll in their own box.
            f"/calls/{call.pk}/manage/decisions/",
            f"/calls/{first_call.pk}/manage/decisions/",
            f"/matchmaking/{published.slug}/tables/",
        ],
        "reviewer": ["/"],
        "applicant": ["/"],
        "manager": ["/", f"/matchmaking/{session.slug}/participants/"],
        "host": ["/"],
        "staff": ["/", "/outcomes/"],
        "admin": ["/"],
    }


def log_in(page: Page, base: str, who: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(f"{who}@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px: {width} px wide"


def assert_breadcrumbs_above_heading(page: Page) -> None:
    """A nested page's breadcrumbs sit above its heading and wrap inside the screen."""
    crumbs = page.locator("nav.breadcrumbs")
    if not crumbs.count():
        return  # a top-level page (tests/test_breadcrumbs.py says which pages must have them)
    box, heading = crumbs.bounding_box(), page.locator("main h1").first.bounding_box()
    assert box["y"] + box["height"] <= heading["y"], f"{page.url}: breadcrumbs below the h1"
    assert box["x"] + box["width"] <= page.evaluate("window.innerWidth"), page.url


@pytest.mark.parametrize("width", WIDTHS)
def test_design_role_pages_fit_the_screen_and_pass_axe(page: Page, live_server, axe_check, width):
    call_command("seed_demo", stdout=StringIO())
    page.set_viewport_size({"width": width, "height": 900})
    for who, paths in demo_pages().items():
        page.context.clear_cookies()
        if who:
            log_in(page, live_server.url, who)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (who, path)
            assert_no_sideways_scroll(page)
            assert_breadcrumbs_above_heading(page)
            axe_check(page)
    if width < 768:
        # On a phone the filter bar folds behind its "Filter" toggle (details/summary, no JS).
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/organisations/")
        bar = page.locator("details.filter-bar")
        expect(bar.get_by_label("Country")).to_be_visible()
        bar.locator("summary").click()
        expect(bar.get_by_label("Country")).to_be_hidden()
    else:
        # On a wide screen it is an open row, its toggle hidden.
        page.goto(f"{live_server.url}/organisations/")
        expect(page.locator("details.filter-bar summary")).to_be_hidden()
