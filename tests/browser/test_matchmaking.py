"""Two participants request and accept a meeting; the organiser schedules all and
publishes and prints every agenda (a report job); both see the meeting in their agendas
and download the PDF. axe-core and the
Content-Security-Policy recorder run on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from matchmaking.models import Meeting, MeetingRequest, ScheduleRun
from matchmaking.services.scheduling import schedule_run_execute
from tests.factories import PASSWORD, make_user
from tests.matchmaking.factories import make_participant, make_session, make_session_organiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def unplaced_items(page: Page) -> list[list[str]]:
    """The schedule page's "Requests left out": each item's class and text."""
    return page.locator('[data-field="unplaced"] > li').evaluate_all(
        "items => items.map(item => [item.className, item.textContent.trim()])"
    )


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_request_accept_schedule_publish_agendas(
    page: Page, live_server, axe_check, settings, tmp_path
):
    settings.MATCHMAKING_SCHEDULE_SECONDS = 3
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    organiser = make_session_organiser("organiser@browser.example.org")
    session = make_session(organiser, title="EU-US cluster matchmaking")
    alice = make_participant(
        session, make_user("alice@browser.example.org", full_name="Alice Weber"), side="eu"
    )
    bob = make_participant(
        session, make_user("bob@browser.example.org", full_name="Bob Miller"), side="us"
    )
    base = live_server.url

    # Alice asks Bob for a meeting.
    log_in(page, live_server, alice.user.email)
    page.goto(base + reverse("matchmaking:request_send", args=[session.slug, bob.pk]))
    axe_check(page)
    page.get_by_label("Message").fill("Shall we talk about hydrogen valleys?")
    page.get_by_role("button", name="Send the request").click()
    request = MeetingRequest.objects.get()
    log_out(page)

    # Bob accepts.
    log_in(page, live_server, bob.user.email)
    page.goto(base + reverse("matchmaking:request", args=[session.slug, request.pk]))
    axe_check(page)
    page.get_by_role("button", name="Accept").click()
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED
    log_out(page)

    # The organiser schedules all, sees the figures, and publishes.
    log_in(page, live_server, organiser.email)
    page.goto(base + reverse("matchmaking:schedule", args=[session.slug]))
    axe_check(page)
    page.get_by_role("button", name="Schedule all").click()
    expect(page.locator('[data-field="status_label"]')).to_have_text("Done")
    expect(page.locator('[data-field="ratio"]')).to_have_text("1.0000")
    axe_check(page)
    # A run still queued when the page opens: the page follows it without reloading.
    run = ScheduleRun.objects.create(session=session, requested_by=organiser)
    page.reload()
    expect(page.locator('[data-field="status_label"]')).to_have_text("Queued")
    schedule_run_execute(run=run, time_limit=3)
    expect(page.locator('[data-field="status_label"]')).to_have_text("Done")
    expect(page.locator('[data-field="reload"]')).to_be_visible()
    expect(page.locator('[data-field="ratio"]')).to_have_text("1.0000")
    # The list the script redrew is the one the server renders, its empty state included.
    drawn = unplaced_items(page)
    page.reload()
    assert unplaced_items(page) == drawn == [["empty-state", "None."]]
    axe_check(page)
    page.get_by_role("button", name="Publish the agendas").click()
    expect(page.get_by_text("Agendas published.")).to_be_visible()
    meeting = Meeting.objects.select_related("table").get()
    assert meeting.published_at is not None

    # Every agenda in one print file: a report job, whose page offers the download.
    page.get_by_role("button", name="All agendas (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("All agendas")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{session.slug}-matchmaking-agendas-v1-a4.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    log_out(page)

    # Both see the meeting in their agendas and download the PDF.
    for person, partner in ((alice, bob), (bob, alice)):
        log_in(page, live_server, person.user.email)
        page.goto(base + reverse("matchmaking:agenda", args=[session.slug]))
        axe_check(page)
        expect(page.locator("table.agenda")).to_contain_text(partner.user.full_name)
        expect(page.locator("table.agenda")).to_contain_text(meeting.table.name)
        pdf_url = page.get_by_role("link", name="Download as PDF").get_attribute("href")
        response = page.request.get(base + pdf_url)
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
        log_out(page)
