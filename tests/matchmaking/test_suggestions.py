"""Suggested partners: ranking on hand-built cases whose right answer is obvious."""

from __future__ import annotations

import random

from matchmaking.suggestions import Item, Profile, suggest, suggest_all

ENERGY, HEALTH, SPACE = 1, 2, 3
NAMES = {ENERGY: "Energy", HEALTH: "Health", SPACE: "Space"}


def offer(item_id, item_type, title, *sectors):
    return Item(item_id, "offer", item_type, title, frozenset(sectors))


def request(item_id, item_type, title, *sectors):
    return Item(item_id, "request", item_type, title, frozenset(sectors))


def test_suggest_puts_the_offer_that_answers_my_request_first():
    me = Profile(
        1,
        "EU cluster",
        "eu",
        frozenset({ENERGY}),
        (request(10, "technology_offer", "Hydrogen storage", ENERGY),),
    )
    answer = Profile(
        2,
        "US answer",
        "us",
        frozenset({ENERGY}),
        (offer(20, "technology_offer", "Solid-state hydrogen tanks", ENERGY),),
    )
    same_sector = Profile(3, "US same sector", "us", frozenset({ENERGY}))
    stranger = Profile(4, "EU other sector", "eu", frozenset({SPACE}))
    ranked = suggest(me, [stranger, same_sector, answer], sector_names=NAMES)
    assert [s.participant_id for s in ranked] == [2, 3]
    assert ranked[0].score == 5 + 2 + 3
    assert ranked[0].reasons[0] == (
        "Their offer “Solid-state hydrogen tanks” answers your request “Hydrogen storage”."
    )
    assert "Shared sectors: Energy." in ranked[0].reasons
    assert "From the other side of the Atlantic (United States)." in ranked[0].reasons


def test_suggest_prefers_the_other_side_of_the_atlantic_on_equal_footing():
    me = Profile(1, "EU", "eu", frozenset({HEALTH}))
    same_side = Profile(2, "EU twin", "eu", frozenset({HEALTH}))
    across = Profile(3, "US twin", "us", frozenset({HEALTH}))
    assert [s.participant_id for s in suggest(me, [same_side, across])] == [3, 2]


def test_suggest_counts_my_offer_answering_their_request():
    me = Profile(1, "US", "us", frozenset(), (offer(10, "investment", "Seed fund", SPACE),))
    asks = Profile(2, "EU", "eu", frozenset(), (request(20, "investment", "Investors", SPACE),))
    wrong_type = Profile(3, "EU", "eu", frozenset(), (request(30, "partnership", "x", SPACE),))
    ranked = suggest(me, [wrong_type, asks])
    assert ranked[0].participant_id == 2
    assert ranked[0].reasons[0] == "Your offer “Seed fund” answers their request “Investors”."
    assert ranked[0].score == 4 + 3


def test_suggest_leaves_out_oneself_the_excluded_and_zero_scores():
    me = Profile(1, "EU", "eu", frozenset({ENERGY}))
    asked = Profile(2, "US", "us", frozenset({ENERGY}))
    nothing = Profile(3, "EU", "eu", frozenset({SPACE}))
    assert suggest(me, [me, asked, nothing], exclude={2}) == []


def test_suggest_item_without_sectors_takes_its_participants():
    me = Profile(1, "EU", "eu", frozenset({ENERGY}), (request(10, "partnership", "Partners"),))
    other = Profile(2, "EU", "eu", frozenset({ENERGY}), (offer(20, "partnership", "We partner"),))
    assert suggest(me, [other])[0].score == 5 + 2


def test_suggest_all_agrees_with_suggest_for_each_profile():
    generator = random.Random(7)
    types = ["partnership", "investment", "technology_offer"]
    profiles = []
    for number in range(1, 121):
        sectors = frozenset(generator.sample(range(1, 9), 2))
        items = tuple(
            Item(
                number * 10 + index,
                generator.choice(["offer", "request"]),
                generator.choice(types),
                f"item {number}.{index}",
                frozenset(generator.sample(range(1, 9), 1)),
            )
            for index in range(generator.randint(0, 3))
        )
        profiles.append(
            Profile(number, f"P{number}", generator.choice(["eu", "us"]), sectors, items)
        )
    together = suggest_all(profiles, limit=5, block=32)
    for profile in profiles:
        alone = suggest(profile, profiles, limit=5)
        assert together[profile.id] == alone, profile.id
