"""Negative controls for the browser checks: they must fail on a page that is wrong.

Without these, an axe-core that silently never ran, or a CSP recorder that never fired,
would let every browser test pass.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_check_passes_on_the_home_page(page: Page, live_server, axe_check):
    page.goto(f"{live_server.url}/")
    violations = axe_check(page)
    assert all(violation["impact"] in {"minor", "moderate"} for violation in violations)


def test_axe_check_fails_on_an_image_without_alternative_text(page: Page, live_server, axe_check):
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
          const image = document.createElement("img");
          image.src = "/static/img/favicon.svg";
          document.querySelector("main").append(image);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    assert "- image-alt (critical): Images must have alternative text" in str(failure.value)
    assert '    at ["img"]: <img src="/static/img/favicon.svg">' in str(failure.value)


def test_axe_check_fails_on_an_inline_script_refused_by_the_csp(page: Page, live_server, axe_check):
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true;";
          document.body.append(script);
        }"""
    )
    # The policy held: the inline script never ran ...
    assert page.evaluate("window.inlineRan === undefined") is True
    # ... and the check reports the attempt.
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        axe_check(page)
