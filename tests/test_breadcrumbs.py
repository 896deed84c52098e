"""Every nested page says where it is: a ``<nav class="breadcrumbs">`` with a parent link.

The pages come from the URL matrices (``tests/test_url_matrix.py`` and the app matrices), so
the same world is built and each page is read as the first identity the matrix lets in. A page
is nested unless it is listed in ``NO_BREADCRUMBS`` (top-level lists, the home page, printouts,
files): a new nested page without breadcrumbs fails here until it has them or is listed, with
its reason.
"""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.test_url_matrix import IDENTITIES, MATRIX, world  # noqa: F401  (the fixture)

# Top-level pages: reached from the main navigation or the home page, nothing above them.
NO_BREADCRUMBS = {
    "home",
    "profile",
    "organizations:list",
    "organizations:create",
    "organizations:review",
    "organizations:sectors",
    "organizations:invitations",
    "missions:list",
    "missions:create",
    "missions:host_visits",
    "calls:list",
    "calls:reviews",
    "events:list",
    "events:mine",
    "events:create",
    # Printouts: a sheet of paper, no site chrome.
    "missions:print",
}

NAV = re.compile(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


def _pages():
    """(name, kwargs, identity): each URL once, read by the first identity given a 200."""
    seen = set()
    for name, kwargs, expected in MATRIX:
        identity = next((who for who in IDENTITIES if expected.get(who) == 200), None)
        if identity is None or name in seen:
            continue
        seen.add(name)
        yield name, kwargs, identity


PAGES = list(_pages())


def _assert_breadcrumbs(response, name):
    if "text/html" not in response.get("Content-Type", ""):
        return  # a file, a feed, a CSV: not a page
    html = response.content.decode()
    nav = NAV.search(html)
    assert nav, f'{name}: no <nav class="breadcrumbs">; add the breadcrumbs block'
    links = LINK.findall(nav.group(1))
    assert links, f"{name}: the breadcrumbs link to no parent page"
    for href in links:
        try:
            resolve(href.split("?")[0].split("#")[0])
        except Resolver404:  # pragma: no cover - the assertion says which
            pytest.fail(f"{name}: breadcrumb link {href} resolves to no page")


@pytest.mark.parametrize(("name", "kwargs", "identity"), PAGES, ids=[p[0] for p in PAGES])
def test_nested_page_has_breadcrumbs(client, world, name, kwargs, identity):  # noqa: F811
    if name in NO_BREADCRUMBS:
        pytest.skip("top level: nothing above it")
    user = world["users"][identity]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs(world) if kwargs else None))
    assert response.status_code == 200
    _assert_breadcrumbs(response, name)
