"""``seed_demo``: idempotent, built through services, with one login per role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Organization, Role, Sector, User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    "organiser@example.org": Role.ORGANISER,
    "reviewer@example.org": Role.REVIEWER,
    "applicant@example.org": Role.US_APPLICANT,
    "manager@example.org": Role.EU_CLUSTER_MANAGER,
    "host@example.org": Role.HOST_CONTACT,
    "staff@example.org": Role.STAFF,
    "admin@example.org": Role.SITE_ADMIN,
}


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def table_sizes() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Organization.objects.count(),
        Sector.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_twice_neither_fails_nor_duplicates():
    run_seed()
    first = table_sizes()

    output = run_seed()

    assert table_sizes() == first
    for email in DEMO_LOGINS:
        assert email in output
    assert "demo-password" in output


def test_seed_demo_creates_one_login_per_role_that_works():
    run_seed()

    for email, role in DEMO_LOGINS.items():
        user = User.objects.get(email=email)
        assert user.has_role(role), email
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/me/").status_code == 200, email


def test_seed_demo_loads_the_2018_mission_hosts_in_their_real_cities():
    run_seed()

    cities = dict(
        Organization.objects.filter(
            name__in=[
                "BLOXHUB",
                "Business Region Skåne",
                "EnergyVille",
                "The Beacon",
                "Clean Tech Delta",
                "DSP Valley",
            ]
        ).values_list("name", "city")
    )
    assert cities == {
        "BLOXHUB": "Copenhagen",
        "Business Region Skåne": "Malmö",
        "EnergyVille": "Genk",
        "The Beacon": "Antwerp",
        "Clean Tech Delta": "Rotterdam",
        "DSP Valley": "Leuven",
    }
    us_states = set(
        Organization.objects.filter(country="US")
        .exclude(name="SRI International")
        .values_list("region", flat=True)
    )
    assert us_states == {
        "California", "Colorado", "Maryland", "Mississippi", "New York",
        "North Carolina", "Ohio", "Texas", "Washington",
    }  # fmt: skip
    assert Organization.objects.exclude(validation_state="validated").count() == 0
    assert Sector.objects.filter(name__in=["Clean energy", "Lighting", "Aerospace"]).count() == 3


def test_seed_demo_contains_no_real_contact_details():
    run_seed()

    emails = set(User.objects.values_list("email", flat=True))
    assert all(email.endswith("@example.org") for email in emails)
    descriptions = " ".join(Organization.objects.values_list("description", flat=True))
    for real in ("sri.com", "inno-group.com", "ec.europa.eu", "@"):
        assert real not in descriptions


@pytest.mark.django_db(transaction=True)  # committed, as in ``make run``: the emails go out
def test_on_the_console_backend_the_demos_emails_do_not_bury_the_logins(settings, capsys):
    """``make run`` prints email to the console; seeding used to print about 27,000 lines of
    the story's emails before the demo logins."""
    import re

    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    outbox = mail.outbox

    output = run_seed()

    assert "Subject:" not in capsys.readouterr().out
    kept = re.search(r"(\d+) emails of the demo's story were not printed", output)
    assert kept and int(kept.group(1)) > 100
    assert mail.outbox is outbox  # the tests' own outbox is given back
