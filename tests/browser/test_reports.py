"""Staff ask for the 2018 mission report, watch its progress and download it. axe-core and
the Content-Security-Policy recorder run on every page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from organizations.demo import DEMO_PASSWORD
from reports.models import ReportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISSION = "BILAT USA 4.0 High-Level US Cluster Mission to the EU"


@pytest.fixture
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def test_staff_generate_watch_and_download_the_2018_report(
    page: Page, live_server, axe_check, private_files, task_worker
):
    call_command("seed_demo", stdout=StringIO())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("staff@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    axe_check(page)
    section = page.locator("section.report-target").filter(
        has=page.get_by_role("heading", name=f"Mission: {MISSION}")
    )
    row = section.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Mission report")
    )
    row.get_by_role("combobox").select_option(label="US Letter")
    # Without REDIS_URL the job is rendered in-process before the answer comes back.
    row.get_by_role("button", name="Generate").click(timeout=120_000)

    # The job page: the progress bar and status update from the polled endpoint.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mission report")
    expect(page.locator("#job-status progress")).to_be_visible()
    axe_check(page)
    expect(page.locator('[data-field="status_label"]')).to_have_text("Done", timeout=90_000)
    expect(page.locator("#job-status progress")).to_have_attribute("value", "100")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-mission-report-v1-letter.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    job = ReportJob.objects.get()
    assert (job.status, job.page_size, job.requested_by.email) == (
        "done",
        "letter",
        "staff@example.org",
    )
