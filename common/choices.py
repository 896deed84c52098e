"""Long choice lists built once per language instead of once per form.

``django_countries.countries`` translates every name and sorts them each time it is
iterated: a country filter paid for about 250 translations and a sort on every request, then
again to render (``/organisations/``'s profile, ``bench/pages.py``). The list is the same for
every request in a language, so it is built once per language, as plain strings.
"""

from __future__ import annotations

import functools

from django.utils.translation import get_language
from django_countries import countries


@functools.lru_cache(maxsize=16)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(name)) for code, name in countries)


def country_choices() -> tuple[tuple[str, str], ...]:
    """``(code, name)`` of every country, sorted by name in the active language. Pass the
    function itself as ``choices=`` so each form reads the current language's list."""
    return _country_choices(get_language() or "")
