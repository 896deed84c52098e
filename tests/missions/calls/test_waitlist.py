"""A selected applicant withdraws: the best-ranked waitlisted application whose promotion
keeps every limit and quota of the call takes the place, or nobody does and the organisers
are told why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from missions.calls import services
from missions.calls.models import Application, Quota, StatusChange
from missions.calls.tasks import task_place_unfilled_email
from missions.models import DelegationMember
from tests.conftest import wait_for
from tests.missions.factories import make_mission

from ...factories import make_sector
from .factories import make_applicant, make_application, make_us_org


@pytest.fixture
def mission(organiser):
    """A mission still ahead: its decisions are emailed (nothing is, once a mission ended)."""
    start = timezone.localdate() + dt.timedelta(days=60)
    return make_mission(
        organiser, start=start.isoformat(), end=(start + dt.timedelta(days=3)).isoformat()
    )


S = Application.Status
FREE_PLACE = "a place in the delegation is free"


def emails(*, to: str, subject_ends: str) -> list:
    """The emails to ``to`` whose subject ends so. The tests that use it run with the real
    worker (``task_worker``): the decisions' own emails arrive too, in the worker's time."""
    return [m for m in mail.outbox if to in m.to and m.subject.endswith(subject_ends)]


def _apply(call, name: str, state: str, *sectors: str) -> Application:
    organization = make_us_org(name, state, *sectors)
    user = make_applicant(f"{name.lower().replace(' ', '.')}@test.example.org", organization)
    return make_application(call, user, organization)


def _decide(call, organiser, selected, waitlisted) -> None:
    services.decisions_prepare(
        call=call,
        by=organiser,
        decisions={
            **{a.pk: S.SELECTED for a in selected},
            **{a.pk: S.WAITLISTED for a in waitlisted},
        },
        waitlist=[a.pk for a in waitlisted],
    )
    services.decisions_send(call=call, by=organiser)


@pytest.fixture
def quotas(call, organiser):
    """Two places, at most one per state, at least one in e-mobility."""
    call.max_delegates = 2
    call.save()
    e_mobility = make_sector("E-mobility")
    services.quota_set(
        call=call, by=organiser, kind=Quota.Kind.PER_SECTOR_MIN, key=e_mobility.slug, number=1
    )
    services.quota_set(call=call, by=organiser, kind=Quota.Kind.PER_STATE_MAX, key="*", number=1)
    return e_mobility.slug


@pytest.fixture
def selected(call, quotas):
    """The e-mobility one (who will withdraw) and a clean-energy one from Ohio."""
    return (
        _apply(call, "Lone Star Mobility", "Texas", "E-mobility"),
        _apply(call, "Buckeye Energy", "Ohio", "Clean energy"),
    )


def _members(call) -> list[int]:
    return list(
        DelegationMember.objects.filter(delegation__mission=call.mission).values_list(
            "user_id", flat=True
        )
    )


def _withdrawal(application) -> StatusChange:
    return application.status_changes.get(to_status=S.WITHDRAWN)


def test_the_waitlisted_one_who_keeps_the_sector_minimum_takes_the_place(
    task_worker, call, organiser, selected, mailoutbox
):
    leaving, staying = selected
    first = _apply(call, "Front Range Energy", "Colorado", "Clean energy")
    second = _apply(call, "Chesapeake Mobility", "Maryland", "E-mobility")
    _decide(call, organiser, selected, [first, second])
    assert wait_for(lambda: emails(to=second.contact.email, subject_ends=": waiting list"))
    services.application_withdraw(application=leaving, by=leaving.contact)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {
        leaving.pk: S.WITHDRAWN,
        staying.pk: S.SELECTED,
        first.pk: S.WAITLISTED,
        second.pk: S.SELECTED,
    }
    second.refresh_from_db()
    assert second.waitlist_rank is None
    assert sorted(_members(call)) == sorted([staying.contact_id, second.contact_id])
    # The promoted applicant hears of it; the place is filled, so the organisers need not.
    assert wait_for(lambda: emails(to=second.contact.email, subject_ends=": selected"))
    assert emails(to=organiser.email, subject_ends=FREE_PLACE) == []
    assert _withdrawal(leaving).note == "Chesapeake Mobility took the place from the waiting list."


def test_the_best_ranked_takes_the_place_when_the_sector_stays_covered(
    call, organiser, quotas, django_capture_on_commit_callbacks
):
    leaving = _apply(call, "Buckeye Energy", "Ohio", "Clean energy")
    staying = _apply(call, "Lone Star Mobility", "Texas", "E-mobility")
    first = _apply(call, "Front Range Energy", "Colorado", "Clean energy")
    second = _apply(call, "Chesapeake Mobility", "Maryland", "E-mobility")
    _decide(call, organiser, [leaving, staying], [first, second])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=leaving, by=leaving.contact)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.SELECTED, S.WAITLISTED)


def test_nobody_is_promoted_when_no_one_keeps_the_quotas_and_the_organisers_are_told(
    task_worker, call, organiser, selected, quotas, mailoutbox
):
    leaving, staying = selected
    # Not in e-mobility; in e-mobility but from Ohio, where the one staying is from.
    first = _apply(call, "Front Range Energy", "Colorado", "Clean energy")
    second = _apply(call, "Cleveland Mobility", "Ohio", "E-mobility")
    _decide(call, organiser, selected, [first, second])
    services.application_withdraw(application=leaving, by=leaving.contact)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {
        leaving.pk: S.WITHDRAWN,
        staying.pk: S.SELECTED,
        first.pk: S.WAITLISTED,
        second.pk: S.WAITLISTED,
    }
    assert _members(call) == [staying.contact_id]
    note = _withdrawal(leaving).note
    assert note == (
        "Nobody promoted: no one on the waiting list keeps the call's limits: "
        f"Front Range Energy (0 in sector {quotas}, at least 1); "
        "Cleveland Mobility (2 from Ohio, at most 1)."
    )
    assert wait_for(lambda: emails(to=organiser.email, subject_ends=FREE_PLACE))
    [told] = emails(to=organiser.email, subject_ends=FREE_PLACE)
    assert told.subject == f"{call.title}: {FREE_PLACE}"
    assert note in told.body
    assert leaving.contact.get_full_name() in told.body
    link = f"http://127.0.0.1:8000/calls/{call.pk}/manage/decisions/"
    assert told.body.rstrip().endswith(link)
    # The task again, through the worker and in-process: nothing more is sent.
    assert task_place_unfilled_email.delay(application_id=leaving.pk).get(timeout=15) == 0
    assert task_place_unfilled_email.apply(kwargs={"application_id": leaving.pk}).get() == 0
    assert len(emails(to=organiser.email, subject_ends=FREE_PLACE)) == 1


def test_an_empty_waiting_list_leaves_the_place_free_and_says_so(
    task_worker, call, organiser, selected, mailoutbox
):
    leaving, _staying = selected
    _decide(call, organiser, selected, [])
    services.application_withdraw(application=leaving, by=leaving.contact)
    assert _withdrawal(leaving).note == "Nobody promoted: the waiting list is empty."
    assert wait_for(lambda: emails(to=organiser.email, subject_ends=FREE_PLACE))
    [told] = emails(to=organiser.email, subject_ends=FREE_PLACE)
    assert "the waiting list is empty" in told.body


def test_the_organisers_see_the_withdrawals_on_the_decisions_page(
    client, call, organiser, selected, applicant_a, django_capture_on_commit_callbacks
):
    leaving, _staying = selected
    _decide(call, organiser, selected, [_apply(call, "Front Range Energy", "Colorado")])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=leaving, by=leaving.contact)
    url = reverse("calls:decisions", kwargs={"pk": call.pk})
    client.force_login(organiser)
    page = client.get(url)
    assert [change.pk for change in page.context["withdrawals"]] == [_withdrawal(leaving).pk]
    assert "Withdrawals from the delegation" in page.content.decode()
    assert "Lone Star Mobility" in page.content.decode()
    client.force_login(applicant_a)
    assert client.get(url).status_code == 404


def test_only_the_applicant_may_withdraw(call, organiser, selected, applicant_a):
    leaving, _staying = selected
    waiting = _apply(call, "Front Range Energy", "Colorado", "E-mobility")
    _decide(call, organiser, selected, [waiting])
    for someone in (applicant_a, organiser, waiting.contact):
        with pytest.raises(PermissionDenied):
            services.application_withdraw(application=leaving, by=someone)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert (statuses[leaving.pk], statuses[waiting.pk]) == (S.SELECTED, S.WAITLISTED)


def test_a_second_withdrawal_is_refused_and_promotes_nobody_more(
    call, organiser, selected, django_capture_on_commit_callbacks, mailoutbox
):
    leaving, _staying = selected
    first = _apply(call, "Chesapeake Mobility", "Maryland", "E-mobility")
    second = _apply(call, "Magnolia Mobility", "Mississippi", "E-mobility")
    _decide(call, organiser, selected, [first, second])
    services.application_withdraw(application=leaving, by=leaving.contact)
    with pytest.raises(ValidationError, match="cannot become withdrawn"):
        services.application_withdraw(application=leaving, by=leaving.contact)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.SELECTED, S.WAITLISTED)


def test_the_free_place_email_is_not_sent_for_a_live_or_unknown_application(selected, mailoutbox):
    leaving, _staying = selected
    assert services.place_unfilled_notify(application_id=leaving.pk) == 0
    assert services.place_unfilled_notify(application_id=10**9) == 0
    assert mail.outbox == []


def test_a_promotion_is_made_by_the_system_not_in_an_organisers_name(
    call, organiser, selected, client, django_capture_on_commit_callbacks
):
    """The promotion and the delegation changes it brings are the system's: they need no
    active organiser to act in the name of, and the history says "System"."""
    leaving, staying = selected
    waiting = _apply(call, "Chesapeake Mobility", "Maryland", "E-mobility")
    _decide(call, organiser, selected, [waiting])
    call.mission.organisers.update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=leaving, by=leaving.contact)

    promotion = waiting.status_changes.get(to_status=S.SELECTED, from_status=S.WAITLISTED)
    assert promotion.by is None
    assert promotion.note == "Promoted from the waiting list"
    assert sorted(_members(call)) == sorted([staying.contact_id, waiting.contact_id])
    call.mission.organisers.update(is_active=True)
    client.force_login(organiser)
    page = client.get(
        reverse("calls:manage_application", kwargs={"pk": call.pk, "application_pk": waiting.pk})
    ).content.decode()
    assert "<td>System</td><td>Waitlisted</td><td>Selected</td>" in page
