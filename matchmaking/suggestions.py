"""Suggested partners: who a participant should meet, ranked, each with its reasons.

Pure Python on plain data (no Django): ``matchmaking.selectors.suggestions_for`` loads the
profiles in a few queries and hands them here.

The score of a partner for ``me``::

    2 × shared sectors
  + 5 × matches of their offers to my requests (at most 3 counted)
  + 4 × matches of my offers to their requests (at most 3 counted)
  + 3 if we sit on opposite sides of the Atlantic (EU and US)

An offer matches a request when both have the same type and share a sector (an item with
no sectors of its own takes its participant's). What counts is the number of (type, sector)
pairs the two sides share, so both code paths below compute the same number: sets for one
participant, numpy matrices in row blocks for everyone at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SECTOR_POINTS = 2
THEIR_OFFER_POINTS = 5
MY_OFFER_POINTS = 4
MATCHES_COUNTED = 3
ATLANTIC_POINTS = 3
TRANSATLANTIC = {("eu", "us"), ("us", "eu")}


@dataclass(frozen=True)
class Item:
    id: int
    direction: str  # "offer" or "request"
    item_type: str
    title: str
    sectors: frozenset[int] = frozenset()


@dataclass
class Profile:
    id: int
    name: str
    side: str
    sectors: frozenset[int] = frozenset()
    items: Sequence[Item] = ()
    offer_features: frozenset[tuple[str, int]] = field(init=False)
    request_features: frozenset[tuple[str, int]] = field(init=False)

    def __post_init__(self) -> None:
        self.offer_features = self._features("offer")
        self.request_features = self._features("request")

    def _features(self, direction: str) -> frozenset[tuple[str, int]]:
        return frozenset(
            (item.item_type, sector)
            for item in self.items
            if item.direction == direction
            for sector in (item.sectors or self.sectors)
        )


@dataclass(frozen=True)
class Suggestion:
    participant_id: int
    score: int
    reasons: tuple[str, ...]


def score(me: Profile, other: Profile) -> int:
    shared = len(me.sectors & other.sectors)
    theirs = min(len(me.request_features & other.offer_features), MATCHES_COUNTED)
    mine = min(len(me.offer_features & other.request_features), MATCHES_COUNTED)
    atlantic = (me.side, other.side) in TRANSATLANTIC
    return (
        SECTOR_POINTS * shared
        + THEIR_OFFER_POINTS * theirs
        + MY_OFFER_POINTS * mine
        + ATLANTIC_POINTS * atlantic
    )


def _matching_pairs(
    wanted: Iterable[Item], offered: Iterable[Item], wanted_default, offered_default
) -> list[tuple[Item, Item]]:
    offered = list(offered)
    pairs = []
    for want in wanted:
        for offer in offered:
            if want.item_type == offer.item_type and (want.sectors or wanted_default) & (
                offer.sectors or offered_default
            ):
                pairs.append((want, offer))
    return pairs


def reasons(me: Profile, other: Profile, sector_names: dict[int, str]) -> tuple[str, ...]:
    """Why ``other`` was suggested to ``me``, in words, strongest first."""
    said = []
    my_requests = [item for item in me.items if item.direction == "request"]
    my_offers = [item for item in me.items if item.direction == "offer"]
    their_requests = [item for item in other.items if item.direction == "request"]
    their_offers = [item for item in other.items if item.direction == "offer"]
    for want, offer in _matching_pairs(my_requests, their_offers, me.sectors, other.sectors)[:2]:
        said.append(f"Their offer “{offer.title}” answers your request “{want.title}”.")
    for want, offer in _matching_pairs(their_requests, my_offers, other.sectors, me.sectors)[:2]:
        said.append(f"Your offer “{offer.title}” answers their request “{want.title}”.")
    shared = sorted(sector_names.get(sector, str(sector)) for sector in me.sectors & other.sectors)
    if shared:
        said.append("Shared sectors: " + ", ".join(shared) + ".")
    if (me.side, other.side) in TRANSATLANTIC:
        said.append(
            "From the other side of the Atlantic ("
            + ("United States" if other.side == "us" else "European Union")
            + ")."
        )
    return tuple(said)


def _rank(pairs: Iterable[tuple[int, Profile]], me: Profile) -> list[tuple[int, Profile]]:
    # Best score first; among equals the other side of the Atlantic, then the older profile.
    return sorted(
        pairs,
        key=lambda pair: (-pair[0], (me.side, pair[1].side) not in TRANSATLANTIC, pair[1].id),
    )


def suggest(
    me: Profile,
    others: Iterable[Profile],
    *,
    sector_names: dict[int, str] | None = None,
    exclude: Iterable[int] = (),
    limit: int = 10,
) -> list[Suggestion]:
    """The best ``limit`` partners for ``me`` among ``others`` (score above zero), each with
    its reasons. ``exclude`` holds ids not to suggest (people already asked)."""
    excluded = set(exclude) | {me.id}
    scored = [
        (value, other)
        for other in others
        if other.id not in excluded and (value := score(me, other)) > 0
    ]
    names = sector_names or {}
    return [
        Suggestion(other.id, value, reasons(me, other, names))
        for value, other in _rank(scored, me)[:limit]
    ]


def suggest_all(
    profiles: Sequence[Profile],
    *,
    sector_names: dict[int, str] | None = None,
    limit: int = 10,
    block: int = 512,
) -> dict[int, list[Suggestion]]:
    """Suggestions for every profile at once (the organiser's overview, the benchmark).

    Scores come from sparse-feature matrix products in blocks of ``block`` rows, so memory
    stays at ``block × len(profiles)`` numbers; reasons are worded only for the winners.
    """
    import numpy as np  # lazy: only this path needs it

    # In id order, so the composite key below breaks ties exactly as ``_rank`` does.
    profiles = sorted(profiles, key=lambda profile: profile.id)
    count = len(profiles)
    if count == 0:
        return {}
    names = sector_names or {}
    sector_index: dict[int, int] = {}
    feature_index: dict[tuple[str, int], int] = {}
    for profile in profiles:
        for sector in profile.sectors:
            sector_index.setdefault(sector, len(sector_index))
        for feature in profile.offer_features | profile.request_features:
            feature_index.setdefault(feature, len(feature_index))

    def matrix(rows: Iterable[Iterable[int]], width: int) -> np.ndarray:
        result = np.zeros((count, max(width, 1)), dtype=np.float32)
        for row, columns in enumerate(rows):
            result[row, list(columns)] = 1.0
        return result

    sectors = matrix(([sector_index[s] for s in p.sectors] for p in profiles), len(sector_index))
    offers = matrix(
        ([feature_index[f] for f in p.offer_features] for p in profiles), len(feature_index)
    )
    requests = matrix(
        ([feature_index[f] for f in p.request_features] for p in profiles), len(feature_index)
    )
    sides = np.array([p.side for p in profiles])
    is_eu, is_us = sides == "eu", sides == "us"

    result: dict[int, list[Suggestion]] = {}
    for start in range(0, count, block):
        stop = min(start + block, count)
        scores = SECTOR_POINTS * (sectors[start:stop] @ sectors.T)
        scores += THEIR_OFFER_POINTS * np.minimum(requests[start:stop] @ offers.T, MATCHES_COUNTED)
        scores += MY_OFFER_POINTS * np.minimum(offers[start:stop] @ requests.T, MATCHES_COUNTED)
        atlantic = np.logical_or(
            np.outer(is_eu[start:stop], is_us), np.outer(is_us[start:stop], is_eu)
        )
        scores += ATLANTIC_POINTS * atlantic
        scores[np.arange(stop - start), np.arange(start, stop)] = 0  # not oneself
        # One number that orders like ``_rank``: score, then the other side, then the id.
        key = scores.astype(np.float64) * (2 * count) + atlantic * count
        key += np.arange(count - 1, -1, -1)
        keep = min(limit, count)
        best = np.argpartition(-key, keep - 1, axis=1)[:, :keep]
        for offset, columns in enumerate(best):
            me = profiles[start + offset]
            scored = [
                (int(scores[offset, column]), profiles[column])
                for column in columns
                if scores[offset, column] > 0
            ]
            result[me.id] = [
                Suggestion(other.id, value, reasons(me, other, names))
                for value, other in _rank(scored, me)[:limit]
            ]
    return result
