"""A newcomer signs up, confirms the email, browses the directory; an organiser validates.

Each test drives the system Chromium against ``live_server`` and runs axe-core on every
page it visits.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from organizations.models import Membership, Organization, Role, User
from organizations.services import membership_add
from tests.conftest import wait_for
from tests.factories import PASSWORD, make_organization, make_sector, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Mission-to-Copenhagen-2018"  # noqa: S105
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")


@pytest.fixture
def directory(transactional_db):
    """Four organisations, one of them not yet validated (so not public)."""
    clean_tech = make_sector("Clean tech")
    biotech = make_sector("Biotechnology")
    return {
        "copenhagen": make_organization(
            "CLEAN Copenhagen", sectors=(clean_tech,), country="DK", city="Copenhagen"
        ),
        "stockholm": make_organization(
            "Stockholm Cleantech Hub",
            sectors=(clean_tech,),
            country="SE",
            city="Stockholm",
            description="A cluster of clean-technology companies around Stockholm.",
        ),
        "lund": make_organization(
            "Lund Life Science", sectors=(biotech,), country="SE", city="Lund"
        ),
        "pending": make_organization(
            "Pending Cleantech Sweden", sectors=(clean_tech,), country="SE", validated=False
        ),
    }


def test_signup_confirm_and_browse_the_directory(
    page: Page, live_server, directory, axe_check, mailoutbox
):
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    axe_check(page)

    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    # Mandatory verification: the account waits for the link in the email.
    expect(page).to_have_url(f"{live_server.url}/accounts/confirm-email/")
    axe_check(page)
    user = User.objects.get(email="newcomer@example.org")
    assert user.emailaddress_set.get().verified is False
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["newcomer@example.org"]
    assert message.subject.startswith("[clustermissions] ")
    (link,) = CONFIRMATION_LINK.findall(message.body)
    assert link.startswith(live_server.url)

    # ACCOUNT_CONFIRM_EMAIL_ON_GET is off: the link opens a page with a button.
    page.goto(link)
    axe_check(page)
    assert user.emailaddress_set.get().verified is False
    page.get_by_role("button", name="Confirm").click()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: confirming in the signing-up session logs in.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
    assert user.emailaddress_set.get().verified is True
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/")
    expect(page.get_by_role("heading", name="3 organisations")).to_be_visible()
    expect(page.get_by_role("link", name="Pending Cleantech Sweden")).to_have_count(0)
    axe_check(page)

    filters = page.get_by_role("search", name="Filter organisations")
    filters.get_by_label("Sector").select_option(label="Clean tech")
    filters.get_by_label("Country").select_option("SE")
    filters.get_by_role("button", name="Apply").click()

    # The filters live in the URL, so the search can be shared.
    expect(page).to_have_url(re.compile(r"/organisations/\?.*sector=clean-tech"))
    assert "country=SE" in page.url
    expect(page.get_by_role("heading", name="1 organisation", exact=True)).to_be_visible()
    results = page.get_by_role("region", name="1 organisation").get_by_role("link")
    expect(results).to_have_text(["Stockholm Cleantech Hub"])
    axe_check(page)

    results.first.click()
    expect(page).to_have_url(f"{live_server.url}{directory['stockholm'].get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stockholm Cleantech Hub")
    expect(page.get_by_text("Stockholm, Sweden")).to_be_visible()
    expect(page.get_by_text("A cluster of clean-technology companies")).to_be_visible()
    axe_check(page)


def test_organiser_validates_a_pending_organisation(
    page: Page, live_server, directory, axe_check, mailoutbox, task_worker
):
    """The organiser logs in, validates from the queue; the managers get the email."""
    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    manager = make_user("manager@browser.example.org", roles=(Role.EU_CLUSTER_MANAGER,))
    pending = directory["pending"]
    membership_add(organization=pending, user=manager, role=Membership.Role.MANAGER)

    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Validation").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/review/")
    row = page.get_by_role("row").filter(has_text="Pending Cleantech Sweden")
    expect(row).to_have_count(1)
    axe_check(page)

    row.get_by_role("button", name="Validate").click()

    expect(page).to_have_url(f"{live_server.url}/organisations/review/")
    expect(page.get_by_role("status")).to_have_text("Pending Cleantech Sweden: Validated.")
    expect(page.get_by_text("No profile is waiting.")).to_be_visible()
    axe_check(page)
    pending.refresh_from_db()
    assert pending.validation_state == Organization.ValidationState.VALIDATED
    assert pending.validated_by == organiser

    # The notification goes through the task queue (a real worker when REDIS_URL is set).
    assert wait_for(lambda: len(mailoutbox) == 1), [m.subject for m in mailoutbox]
    assert mailoutbox[0].to == [manager.email]
    assert mailoutbox[0].subject == "Pending Cleantech Sweden is now in the directory"

    # Now public: the directory lists it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
    expect(page.get_by_role("heading", name="4 organisations")).to_be_visible()
    expect(page.get_by_role("link", name="Pending Cleantech Sweden")).to_be_visible()
    axe_check(page)
