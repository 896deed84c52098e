"""Browser test: an applicant drafts, uploads a PDF and submits; a reviewer scores; the
organiser selects; the applicant sees the result and the mission's itinerary. axe-core
runs on every page (fixtures from tests/browser, imported by this folder's conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from missions import services as mission_services
from missions.calls.models import Application
from organizations.models import Role
from tests.factories import PASSWORD, make_user

from ..factories import make_day, make_mission, make_session
from .factories import PDF_BYTES, make_applicant, make_call, make_us_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_apply_review_select_and_see_the_itinerary(page: Page, live_server, axe_check, task_worker):
    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    mission = make_mission(organiser)
    day = make_day(organiser, mission, "2018-11-06", "Copenhagen")
    make_session(organiser, day, title="Roundtable at BLOXHUB")
    mission_services.mission_publish(mission=mission, by=organiser)
    call = make_call(organiser, mission)
    organization = make_us_org("Front Range Energy Cluster", "Colorado", "Clean energy")
    applicant = make_applicant(
        "applicant@browser.example.org", organization, home_time_zone="America/Denver"
    )
    reviewer = make_user("reviewer@browser.example.org", roles=(Role.REVIEWER,))

    # The applicant drafts, uploads a PDF and submits.
    log_in(page, live_server, applicant.email)
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    axe_check(page)
    page.get_by_label("On behalf of").select_option(label="Front Range Energy Cluster")
    page.get_by_role("button", name="Start an application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    page.get_by_label("Your role").fill("Cluster manager")
    page.get_by_label("Motivation").fill("We want to meet EU energy clusters.")
    page.get_by_label("Main sector").select_option("Clean energy")
    page.get_by_label("Visits").check()
    page.get_by_label("Can you travel?").select_option("yes")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    axe_check(page)
    page.get_by_label("File:", exact=True).set_input_files(
        {"name": "support-letter.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="support-letter.pdf")).to_be_visible()
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#application-status")).to_have_text("Submitted")

    # The organiser assigns the reviewer.
    application = Application.objects.get(contact=applicant)
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/calls/{call.pk}/manage/")
    axe_check(page)
    page.get_by_role("link", name="Front Range Energy Cluster").click()
    page.get_by_label("Reviewer").fill(reviewer.email)  # typed, with suggestions (no <select>)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Reviewer assigned.")).to_be_visible()
    axe_check(page)

    # The reviewer scores.
    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}/calls/reviews/")
    axe_check(page)
    page.get_by_role("link", name="Front Range Energy Cluster").click()
    page.get_by_label("Fit (0–5, weight 2)").fill("5")
    page.get_by_label("Impact (0–10, weight 1)").fill("8")
    page.get_by_label("Comment on Fit").fill("A strong fit for the energy visits.")
    page.get_by_role("button", name="Submit scores").click()
    expect(page.get_by_text("Scores saved.")).to_be_visible()
    axe_check(page)

    # The organiser asks for the optimal selection, prepares and sends the decisions.
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/calls/{call.pk}/manage/ranking/")
    page.get_by_role("button", name="Propose the optimal selection").click()
    expect(page.locator("#selection-ok")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Prepare decisions for this selection").click()
    expect(page.get_by_label("Decision", exact=True)).to_have_value("selected")
    page.get_by_role("button", name="Prepare decisions").click()
    axe_check(page)
    page.get_by_role("link", name="Send 1 prepared decision").click()
    expect(page.get_by_text("1 prepared decision is sent")).to_be_visible()
    axe_check(page)
    # The call is still open: the page says so, and a box must be ticked.
    page.get_by_label("Send them anyway: I have read what is above").check()
    page.get_by_role("button", name="Send the decisions").click()
    expect(page.get_by_text("1 decisions sent")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED

    # The applicant sees the result and the mission's itinerary.
    log_in(page, live_server, applicant.email)
    page.goto(f"{live_server.url}/calls/applications/{application.pk}/")
    expect(page.locator("#application-status")).to_have_text("Selected")
    axe_check(page)
    page.get_by_role("link", name="See the mission and its itinerary").click()
    page.get_by_role("link", name="Itinerary").click()
    expect(page.get_by_text("Roundtable at BLOXHUB")).to_be_visible()
    axe_check(page)


def test_organiser_sets_up_a_call_in_the_pages(page: Page, live_server, axe_check):
    from missions.calls.models import Call

    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    mission = make_mission(organiser)
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/calls/")
    axe_check(page)
    page.get_by_role("link", name=f"New call for {mission.title}").click()
    axe_check(page)
    page.get_by_label("Title").fill("Call 2019")
    page.get_by_label("Time zone of the call").select_option("America/Chicago")
    page.get_by_label("Opens (in the call's zone)").fill("2019-03-01T09:00")
    page.get_by_label("Deadline (in the call's zone)").fill("2019-03-31T17:00")
    page.get_by_label("Maximum number of delegates").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Form, criteria and quotas")
    axe_check(page)
    page.get_by_label("Kind").first.select_option("long_text")
    page.get_by_label("Question:", exact=True).fill("Why join the delegation?")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("Why join the delegation? (Long text")).to_be_visible()
    call = Call.objects.get(title="Call 2019")
    assert call.closes_at.isoformat() == "2019-03-31T22:00:00+00:00"
    page.get_by_role("link", name="Decisions").click()
    page.get_by_role("link", name="Selected: Your application to $call: selected").click()
    axe_check(page)
    page.get_by_label("Subject").fill("Welcome aboard, $organization")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Selected: Welcome aboard, $organization")).to_be_visible()
