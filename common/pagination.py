"""One page of a list that grows with data, and what ``includes/pagination.html`` needs."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> dict[str, Any]:
    """``page_obj`` (a junk or out-of-range ``?page=`` gives the first or last page) and
    ``query_without_page`` (the other parameters, so a search or filter carries over)."""
    page = Paginator(items, per_page or PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "query_without_page": query.urlencode()}
