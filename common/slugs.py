"""Slugs unique within a queryset, avoiding the paths a URL scheme reserves."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(
    queryset: QuerySet,
    base: str,
    *,
    fallback: str = "item",
    exclude_pk: int | None = None,
    reserved: Iterable[str] = (),
    field: str = "slug",
    max_length: int = 200,
) -> str:
    """``base`` slugified, with ``-2``, ``-3``… added until no row of ``queryset`` has it."""
    stem = slugify(base)[:max_length] or fallback
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    reserved = frozenset(reserved)
    candidate, number = stem, 1
    while candidate in reserved or queryset.filter(**{field: candidate}).exists():
        number += 1
        candidate = f"{stem[: max_length - len(str(number)) - 1]}-{number}"
    return candidate
