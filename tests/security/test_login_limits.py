"""Failed logins are limited per account and per client address, and the address is the
client's, read behind a configured number of trusted proxies: one person's wrong passwords
cannot lock everybody who shares an address out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PER_ACCOUNT, PER_ADDRESS = 5, 30


def _login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


def test_the_tests_run_with_the_production_login_limit():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == (
        f"{PER_ADDRESS}/5m/ip,{PER_ACCOUNT}/5m/key"
    )


def test_wrong_passwords_for_one_account_do_not_block_another_from_the_same_address(client):
    make_user("a@test.example.org")
    make_user("b@test.example.org")
    for _attempt in range(PER_ACCOUNT):
        assert _login(client, "a@test.example.org", "wrong").status_code == 200

    assert _logged_in(_login(client, "b@test.example.org", PASSWORD))


def test_wrong_passwords_block_the_account_even_from_another_address(client):
    make_user("a@test.example.org")
    for number in range(PER_ACCOUNT):
        _login(client, "a@test.example.org", "wrong", REMOTE_ADDR=f"198.51.100.{number + 1}")

    response = _login(client, "a@test.example.org", PASSWORD, REMOTE_ADDR="198.51.100.99")

    assert not _logged_in(response)
    assert response.status_code == 429 or "Too many failed login attempts" in (
        response.content.decode()
    )


def _fail_from(client, count, **extra):
    """``count`` failures, each for a different address, so no account limit is reached."""
    for number in range(count):
        _login(client, f"nobody{number}@test.example.org", "wrong", **extra)


def test_an_address_is_limited_and_a_forged_forwarded_header_does_not_escape_it(client):
    make_user("b@test.example.org")
    for number in range(PER_ADDRESS):
        _login(
            client,
            f"nobody{number}@test.example.org",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number + 1}",
        )

    # No trusted proxy is configured: the header is the client's own, and ignored.
    response = _login(client, "b@test.example.org", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert not _logged_in(response)


def test_behind_one_trusted_proxy_the_forwarded_client_is_limited_not_the_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user("b@test.example.org")
    make_user("c@test.example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail_from(client, PER_ADDRESS, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    blocked = _login(
        client, "b@test.example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy
    )
    other = _login(
        client, "c@test.example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy
    )

    assert not _logged_in(blocked)
    assert _logged_in(other)


def test_trusted_proxy_count_comes_from_the_environment():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
