"""Cached copies of a mission's public pages (the overview's content, the map, the public
calendar), in Django's cache: local memory by default, Redis when ``REDIS_URL`` is set.

The key holds ``selectors.mission_content_version``, so an edit changes the key and the next
request renders afresh: nothing is invalidated by hand, and an old copy simply expires.
Only what everyone may see is cached: the views call this for a published mission and a
reader who is neither a delegate nor an organiser of it (who would see private items).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from .models import Mission

TIMEOUT = 24 * 3600

T = TypeVar("T", str, bytes)


def public_copy(
    kind: str, mission: Mission, version: str, build: Callable[[], T], *, vary: str = ""
) -> T:
    """The cached ``kind`` of ``mission`` at ``version`` (and ``vary``: the reader's zone),
    built and stored when missing."""
    key = f"missions:public:{kind}:{mission.pk}:{version}:{get_language() or ''}:{vary}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
