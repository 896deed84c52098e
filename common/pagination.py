"""One page of a list that grows with data, and what ``includes/pagination.html`` needs;
for a directory with a filter bar, the filtered list with a word for each ignored filter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

PAGE_SIZE = 50


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> dict[str, Any]:
    """``page_obj`` (a junk or out-of-range ``?page=`` gives the first or last page) and
    ``query_without_page`` (the other parameters, so a search or filter carries over)."""
    page = Paginator(items, per_page or PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "query_without_page": query.urlencode()}


def ignored_filters(filterset: Any) -> list[str]:
    """In words, each filter of a bound django-filter FilterSet whose value does not validate:
    the FilterSet leaves it out and applies the others."""
    if not filterset.is_bound or filterset.is_valid():
        return []
    return [
        _("Filter “%(label)s” ignored: %(error)s")
        % {
            "label": filterset.form.fields[name].label if name in filterset.form.fields else "",
            "error": " ".join(errors),
        }
        for name, errors in filterset.errors.items()
    ]


def filtered_page(request: HttpRequest, filterset: Any, per_page: int | None = None) -> dict:
    """``paginate`` over a django-filter FilterSet's list. A filter whose value does not
    validate is left out (the others still apply); ``ignored`` says which, in words, for
    ``tell_ignored``: junk in a shared URL gives the list, never a 500, a 400 nor a silently
    empty page. (Telling is the caller's step, so a cached copy of the list keeps its words.)"""
    return {
        "filter": filterset,
        "ignored": ignored_filters(filterset),
        **paginate(request, filterset.qs, per_page),
    }


def tell_ignored(request: HttpRequest, ignored: list[str]) -> None:
    """A warning message for each filter ``filtered_page`` left out."""
    for words in ignored:
        messages.warning(request, words)
