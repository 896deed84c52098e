"""Accounts through django-allauth: sign-up with verification, login by email, limits."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from organizations.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", message.body).group(0)


def test_signup_requires_email_verification_before_login(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.get().email == "new@example.org"
    # Not logged in until the address is confirmed.
    assert client.get(reverse("profile")).status_code == 302
    assert len(mail.outbox) == 1

    link = confirmation_link(mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)

    assert client.get(reverse("profile")).status_code == 200


def test_signup_with_existing_email_in_other_case_is_refused(client):
    make_user("taken@example.org")

    response = client.post(
        reverse("account_signup"),
        {"email": "TAKEN@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    # allauth does not reveal that the address exists: the page looks the same, and the
    # owner of the address gets a notice instead of a second account.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert [m.to for m in mail.outbox] == [["taken@example.org"]]
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD}, "valid email"),
        ({"email": "a@example.org", "password1": "short", "password2": "short"}, "too short"),
        ({"email": "a@example.org", "password1": PASSWORD, "password2": "other"}, "same"),
        (
            {"email": "x" * 300 + "@example.org", "password1": PASSWORD, "password2": PASSWORD},
            "at most 254 characters",
        ),
    ],
)
def test_signup_bad_input_creates_no_account(client, data, message):
    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_login_is_by_email_address(client):
    make_user("mette@example.org")

    response = client.post(
        reverse("account_login"), {"login": "Mette@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_login_failures_are_rate_limited(client):
    make_user("mette@example.org")
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": "mette@example.org", "password": "wrong"}
        )
        assert response.status_code == 200

    # Even the right password is refused once the limit is reached.
    response = client.post(
        reverse("account_login"), {"login": "mette@example.org", "password": PASSWORD}
    )

    assert response.status_code == 429 or "Too many failed login attempts" in (
        response.content.decode()
    )
    assert client.get(reverse("profile")).status_code == 302


def test_password_reset_sends_a_link_only_to_known_addresses(client):
    make_user("mette@example.org")

    client.post(reverse("account_reset_password"), {"email": "mette@example.org"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    recipients = [message.to[0] for message in mail.outbox]
    assert "mette@example.org" in recipients
    reset = next(m for m in mail.outbox if m.to == ["mette@example.org"])
    assert "/accounts/password/reset/key/" in reset.body


def test_allauth_pages_use_our_layout(client):
    response = client.get(reverse("account_login"))

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert '<a class="skip-link" href="#content">' in html
    assert "<title> Sign In · clustermissions</title>" in html


def test_logout_requires_post(client):
    user = make_user()
    client.force_login(user)

    client.get(reverse("account_logout"))
    assert client.get(reverse("profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("profile")).status_code == 302
