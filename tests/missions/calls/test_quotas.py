"""Quota keys are chosen from the real choices (US states, sectors), and a selection that
cannot meet a quota names it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions.calls import selection, services
from missions.calls.forms import QuotaForm
from missions.calls.models import Quota
from missions.calls.selection import Candidate, Limits


def _quota_form(**data) -> QuotaForm:
    return QuotaForm({f"quota-{name}": value for name, value in data.items()})


def test_quota_form_offers_states_and_sectors_to_choose(db, org_a):
    groups = dict(_quota_form().fields["key"].choices[1:])
    states = dict(groups["US states"])
    assert states["*"] == "Every state (each one)"
    assert "Colorado" in states and "Wyoming" in states and len(states) == 52
    assert dict(groups["Sectors"]) == {"clean-energy": "Clean energy"}
    html = str(_quota_form()["key"])
    assert '<optgroup label="US states">' in html and '<optgroup label="Sectors">' in html


def test_quota_form_accepts_a_state_and_a_sector(db, org_a):
    form = _quota_form(kind="per_state_max", key="Colorado", number="2")
    assert form.is_valid(), form.errors
    form = _quota_form(kind="per_sector_min", key="clean-energy", number="1")
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("kind", "key", "message"),
    [
        ("per_state_max", "Narnia", "Select a valid choice. Narnia is not one of"),
        ("per_state_max", "clean-energy", "“clean-energy” is not a US state"),
        ("per_sector_min", "Colorado", "“Colorado” is not a sector"),
        ("per_sector_min", "*", "“*” is not a sector"),
    ],
)
def test_quota_form_refuses_a_key_that_is_not_a_choice_of_its_kind(db, org_a, kind, key, message):
    form = _quota_form(kind=kind, key=key, number="2")
    assert not form.is_valid()
    assert message in form.errors["key"][0]


def test_quota_set_refuses_narnia_even_without_the_form(call, organiser):
    with pytest.raises(ValidationError) as refused:
        services.quota_set(call=call, by=organiser, kind="per_state_max", key="Narnia", number=1)
    assert refused.value.message_dict == {
        "key": ["“Narnia” is not a US state: choose a state from the list."]
    }
    assert not Quota.objects.exists()


def test_setup_page_refuses_narnia_and_saves_nothing(client, call, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("calls:setup", kwargs={"pk": call.pk}),
        {"action": "add_quota", "quota-kind": "per_state_max", "quota-key": "Narnia"},
    )
    assert response.status_code == 400
    assert "Narnia is not one of the available choices" in response.content.decode()
    assert not call.quotas.exists()
    response = client.post(
        reverse("calls:setup", kwargs={"pk": call.pk}),
        {
            "action": "add_quota",
            "quota-kind": "per_state_max",
            "quota-key": "Colorado",
            "quota-number": "1",
        },
    )
    assert response.status_code == 302
    assert [(q.kind, q.key, q.number) for q in call.quotas.all()] == [
        ("per_state_max", "Colorado", 1)
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_setup_page_lists_quotas_by_name_not_slug(
    client, call, organiser, org_a, count, django_assert_max_num_queries
):
    services.quota_set(call=call, by=organiser, kind="per_sector_min", key="clean-energy", number=1)
    services.quota_set(call=call, by=organiser, kind="per_state_max", key="*", number=2)
    for state in ["Colorado", "Ohio", "Texas"][: count - 1]:
        services.quota_set(call=call, by=organiser, kind="per_state_max", key=state, number=1)
    client.force_login(organiser)
    with django_assert_max_num_queries(30) as queries:
        page = client.get(reverse("calls:setup", kwargs={"pk": call.pk})).content.decode()
    assert "At least M per sector: Clean energy = 1" in page
    assert "clean-energy =" not in page
    assert "At most N per US state: every state (each one) = 2" in page
    if count == 3:
        assert "At most N per US state: Ohio = 1" in page
    quota_queries = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "missions_quota" in q["sql"]
    ]
    assert len(quota_queries) == 1


# -- naming the quota a selection cannot meet (pure) -----------------------------------


def _candidate(pk: int, organization: str, state: str, *sectors: str) -> Candidate:
    return Candidate(pk, 50.0, organization, state, frozenset(sectors))


def test_shortfalls_names_a_sector_with_too_few_applications():
    candidates = [_candidate(1, "a", "Colorado", "energy"), _candidate(2, "b", "Texas")]
    limits = Limits(max_selected=5, sector_min={"energy": 2})
    assert selection.shortfalls(candidates, limits) == [
        selection.Violation("sector", "energy", 2, 1)
    ]
    assert not selection.propose(candidates, limits).is_feasible
    assert selection.propose(candidates, limits).shortfalls == (
        selection.Violation("sector", "energy", 2, 1),
    )


def test_shortfalls_names_a_sector_capped_by_the_other_limits():
    # Three energy applications, but two from one organisation (1 each) and the third in
    # Texas, where at most 0 may be selected: only 1 can be.
    candidates = [
        _candidate(1, "a", "Colorado", "energy"),
        _candidate(2, "a", "Colorado", "energy"),
        _candidate(3, "b", "Texas", "energy"),
    ]
    limits = Limits(
        max_selected=5,
        max_per_organization=1,
        state_max={"Texas": 0},
        sector_min={"energy": 2},
    )
    assert selection.reachable(candidates, "energy", limits) == 1
    assert selection.shortfalls(candidates, limits) == [
        selection.Violation("sector_capped", "energy", 2, 1)
    ]


def test_shortfalls_names_minimums_that_only_fail_together():
    candidates = [_candidate(1, "a", "", "energy"), _candidate(2, "b", "", "mobility")]
    limits = Limits(max_selected=1, sector_min={"energy": 1, "mobility": 1})
    assert not selection.propose(candidates, limits).is_feasible
    assert selection.shortfalls(candidates, limits) == [
        selection.Violation("sector_together", "energy", 1, 1),
        selection.Violation("sector_together", "mobility", 1, 1),
    ]


def test_a_feasible_proposal_names_nothing():
    candidates = [_candidate(1, "a", "", "energy")]
    proposal = selection.propose(candidates, Limits(max_selected=1, sector_min={"energy": 1}))
    assert proposal.selected == (1,) and proposal.shortfalls == ()


# -- the ranking page ------------------------------------------------------------------


def test_ranking_names_the_quota_that_cannot_be_met(
    client, call, organiser, application_a, application_b
):
    services.quota_set(call=call, by=organiser, kind="per_sector_min", key="clean-energy", number=2)
    client.force_login(organiser)
    response = client.post(reverse("calls:ranking", kwargs={"pk": call.pk}), follow=True)
    text = response.content.decode()
    assert (
        "No selection meets every quota: at least 2 in sector Clean energy: only 1 "
        "application in sector Clean energy. Relax this quota."
    ) in text
    assert "relax a quota" not in text


def test_ranking_names_minimums_that_fail_together(
    client, call, organiser, application_a, application_b
):
    call.max_delegates = 1
    call.save()
    for key in ("clean-energy", "e-mobility"):
        services.quota_set(call=call, by=organiser, kind="per_sector_min", key=key, number=1)
    client.force_login(organiser)
    response = client.post(reverse("calls:ranking", kwargs={"pk": call.pk}), follow=True)
    assert (
        "No selection meets these quotas all at once, within the call&#x27;s limits: at least 1 "
        "in sector Clean energy; at least 1 in sector E-mobility. Relax one of them."
    ) in response.content.decode()
