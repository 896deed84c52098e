"""One way to page a list: common.pagination (paginate, filtered_page)."""

from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
APPS = ["common", "missions", "organizations", "matchmaking", "programmes", "reports"]


def test_no_view_builds_its_own_paginator():
    """Each list used to copy Paginator, get_page and the query string without ``page``; a
    new one must use common.pagination, where junk page numbers land on a real page."""
    own = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "django.core.paginator" in path.read_text() and path != ROOT / "common" / "pagination.py"
    ]
    assert own == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["organizations:list", "partnerships:list"])
def test_directories_ignore_a_junk_filter_in_words_and_a_junk_page(client, name):
    response = client.get(reverse(name), {"sector": "no-such-sector", "page": "junk"})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert "Filter “Sector” ignored" in response.content.decode()
    # The other parameters carry over to the next page's link; the page number does not.
    assert response.context["query_without_page"] == "sector=no-such-sector"
