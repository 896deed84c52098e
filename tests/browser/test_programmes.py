"""A meeting participant reports an MoU; staff verify it; it then counts in the programme's
figures and shows on the partnership's page. axe-core runs on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from organizations.models import Role
from programmes import services
from programmes.models import Outcome
from tests.factories import PASSWORD, make_organization, make_user
from tests.programmes.factories import (
    make_held_meeting,
    make_partnership,
    make_past_event,
    make_programme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_reported_mou_verified_counts_in_figures_and_partnership(
    page: Page, live_server, axe_check
):
    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    make_user("staff@browser.example.org", full_name="Sam Staff", roles=(Role.STAFF,))
    mette = make_user(
        "mette@browser.example.org", full_name="Mette Jensen", roles=(Role.EU_CLUSTER_MANAGER,)
    )
    riley = make_user("riley@browser.example.org", full_name="Riley Brandt")
    clean = make_organization("CLEAN", country="DK", manager=mette)
    front_range = make_organization(
        "Front Range Energy Cluster", country="US", city="Denver", manager=riley
    )
    programme = make_programme(organiser, name="BILAT USA 4.0")
    event = make_past_event(organiser, title="EU-US Cluster Roundtable")
    services.programme_link_activity(programme=programme, activity=event, by=organiser)
    partnership = make_partnership(
        organiser, [clean, front_range], name="International Clean Tech Network"
    )
    meeting = make_held_meeting(
        user_a=mette, org_a=clean, user_b=riley, org_b=front_range, event=event
    )
    day = meeting.slot.starts_at.date().isoformat()

    # The participant reports the MoU signed at the meeting.
    log_in(page, live_server, mette.email)
    page.goto(f"{live_server.url}/outcomes/")
    axe_check(page)
    page.get_by_role("link", name="Meeting").first.click()
    axe_check(page)
    page.get_by_label("Type").select_option(label="Memorandum of understanding")
    page.get_by_label("Title").fill("MoU on clean-tech pilots")
    page.get_by_label("Date").fill(day)
    page.get_by_label("Public", exact=True).check()
    page.get_by_role("button", name="Report").click()
    expect(page.locator("#outcome-state")).to_have_text("Reported")
    axe_check(page)
    outcome = Outcome.objects.get()
    assert outcome.meeting == meeting and outcome.programme == programme
    log_out(page)

    # Until verified it counts for nothing.
    page.goto(f"{live_server.url}/programmes/{programme.slug}/figures/")
    expect(page.locator('[data-figure="outcomes-by-type-1"]')).to_have_text("0")

    # Staff verify it from their queue.
    log_in(page, live_server, "staff@browser.example.org")
    page.get_by_role("link", name="Verify outcomes").click()
    axe_check(page)
    page.get_by_role("button", name="Verify MoU on clean-tech pilots").click()
    expect(page.get_by_text("Outcome verified")).to_be_visible()
    axe_check(page)
    log_out(page)

    # Anyone now sees it counted once in the figures and listed on the partnership.
    page.goto(f"{live_server.url}/programmes/{programme.slug}/figures/")
    expect(page.locator('[data-figure="outcomes-by-type-1"]')).to_have_text("1")
    expect(page.get_by_text("Outcomes count only once staff have verified them")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    expect(page.get_by_role("link", name="MoU on clean-tech pilots")).to_be_visible()
    axe_check(page)
