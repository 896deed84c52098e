"""Browser tests: the system Chromium driven by Playwright, with axe-core in every page.

Chromium comes from the Debian package (``/usr/bin/chromium``), never from Playwright's
download; axe-core from npm (``node_modules/axe-core``). Without them the tests skip,
and under ``CI=true`` they fail (see ``require``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.conftest import require

# Playwright's sync API keeps an event loop running in the test thread; Django refuses
# database access from such a thread unless told the access is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Impacts that fail a test; "minor" and "moderate" findings are printed but tolerated.
FAILING_IMPACTS = {"serious", "critical"}

# Runs in every document before the page's own scripts. It records every violation of
# our Content-Security-Policy, so a page that only works with the policy bypassed fails.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the Debian Chromium headless instead of a browser Playwright downloads."""
    require(CHROMIUM.exists(), f"needs Chromium at {CHROMIUM}: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def axe_source() -> str:
    require(AXE_SCRIPT.exists(), f"needs axe-core at {AXE_SCRIPT}: run `npm ci`")
    return AXE_SCRIPT.read_text()


@pytest.fixture
def page(context, axe_source) -> Page:
    """A page in which axe-core is available and CSP violations are recorded.

    axe-core is added as an init script (the DevTools protocol's
    addScriptToEvaluateOnNewDocument), which the page's Content-Security-Policy does not
    govern. ``page.add_script_tag(content=...)`` would be an inline script, refused by
    our policy; ``bypass_csp=True`` would allow it but switch the policy off for the
    whole page, so the tests could no longer notice a page that breaks it.
    """
    context.set_default_timeout(15_000)
    context.add_init_script(script=CSP_RECORDER)
    context.add_init_script(script=axe_source)
    return context.new_page()


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found serious or critical violations on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe_check() -> Callable[[Page], list[dict]]:
    """Return ``check(page)``: run axe-core on the page as it is now.

    Fails the test on any serious or critical violation (printing each rule's id, help
    and the offending nodes) and on any Content-Security-Policy violation recorded since
    the page loaded. Returns all violations, tolerated ones included.
    """

    def check(page: Page) -> list[dict]:
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.axe") == "object", (
            f"axe-core was not injected into {page.url}"
        )
        results = page.evaluate(
            "async () => await window.axe.run(document, {resultTypes: ['violations']})"
        )
        violations = results["violations"]
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        tolerated = [v["id"] for v in violations if v["impact"] not in FAILING_IMPACTS]
        if tolerated:
            print(f"axe-core on {page.url}, tolerated (minor/moderate): {tolerated}")
        assert not failing, format_violations(page.url, failing)
        csp_violations = page.evaluate("window.__cspViolations")
        assert csp_violations == [], f"Content-Security-Policy violations on {page.url}"
        return violations

    return check
