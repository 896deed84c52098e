"""axe-core on every page of the accounts and the directory, anonymous and as an organiser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from organizations.models import Role
from tests.factories import PASSWORD, make_organization, make_sector, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organisations(transactional_db):
    sector = make_sector("Clean tech")
    public = make_organization(
        "CLEAN Copenhagen",
        sectors=(sector,),
        website="https://clean.example.org",
        description="Danish cleantech cluster.",
        member_count=170,
    )
    pending = make_organization("Pending Cleantech Sweden", country="SE", validated=False)
    return {"sector": sector, "public": public, "pending": pending}


def test_public_pages_pass_axe(page: Page, live_server, organisations, axe_check):
    paths = [
        "/",
        "/organisations/",
        # Junk in the filters: the page carries warning messages.
        "/organisations/?sector=no-such-sector&country=XX&page=abc&q=" + "x" * 300,
        f"/organisations/{organisations['public'].slug}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        axe_check(page)


def test_organiser_pages_pass_axe(page: Page, live_server, organisations, axe_check):
    organiser = make_user("organiser@browser.example.org", roles=(Role.ORGANISER,))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    paths = [
        "/me/",
        "/organisations/new/",
        "/organisations/review/",
        "/organisations/sectors/",
        f"/organisations/sectors/{organisations['sector'].slug}/",
        f"/organisations/{organisations['public'].slug}/edit/",
        f"/organisations/{organisations['pending'].slug}/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        axe_check(page)

    # A form sent back with errors is a page too.
    page.goto(f"{live_server.url}/organisations/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-invalid").first).to_be_visible()
    axe_check(page)
