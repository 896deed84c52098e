"""Every matchmaking URL × every role: anonymous, participant (Alice), second participant
(Bob), the session's organiser, another session's organiser.

Alice has sent Carol a request and owns an offer. Bob takes part but is in neither: he
sees the public profiles, never Alice's request or item. Another session's organiser sees
the listed session's page but none of its organiser pages, profiles or requests (404).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.models import MeetingRequest

from .factories import make_item, send

LOGIN = "login"
ROLES = ("anonymous", "alice", "bob", "organiser", "other_organiser")


@pytest.fixture
def world(session, organiser, other_organiser, alice, bob, carol):
    return {
        "session": session,
        "request": send(alice, carol),
        "item": make_item(alice, title="Hydrogen valley"),
        "day": session.days.get(),
        "slot": session.slots.first(),
        "table": session.tables.first(),
        "users": {
            "anonymous": None,
            "alice": alice.user,
            "bob": bob.user,
            "organiser": organiser,
            "other_organiser": other_organiser,
        },
        "carol": carol,
        "alice": alice,
    }


# name, method, the object the URL takes a pk of, expected status per role
CASES = [
    ("list", "get", None, (200, 200, 200, 200, 200)),
    ("create", "get", None, (LOGIN, 403, 403, 200, 200)),
    ("session", "get", None, (LOGIN, 200, 200, 200, 200)),
    ("edit", "get", None, (LOGIN, 404, 404, 200, 404)),
    ("setup", "get", None, (LOGIN, 404, 404, 200, 404)),
    ("day_add", "post", None, (LOGIN, 404, 404, 400, 404)),
    ("slot_add", "post", None, (LOGIN, 404, 404, 400, 404)),
    ("tables_add", "post", None, (LOGIN, 404, 404, 400, 404)),
    ("meeting_add", "post", None, (LOGIN, 404, 404, 400, 404)),
    ("participant_search", "get", None, (LOGIN, 404, 404, 200, 404)),
    ("day_delete", "post", "day", (LOGIN, 404, 404, 302, 404)),
    ("slot_delete", "post", "slot", (LOGIN, 404, 404, 302, 404)),
    ("table_delete", "post", "table", (LOGIN, 404, 404, 302, 404)),
    ("profile", "get", None, (LOGIN, 200, 200, 200, 200)),
    ("item_add", "get", None, (LOGIN, 200, 200, 404, 404)),
    ("item_edit", "get", "item", (LOGIN, 200, 404, 404, 404)),
    ("item_delete", "post", "item", (LOGIN, 302, 404, 404, 404)),
    ("participants", "get", None, (LOGIN, 200, 200, 200, 404)),
    ("participant", "get", "alice", (LOGIN, 200, 200, 200, 404)),
    ("request_send", "get", "carol", (LOGIN, 200, 200, 302, 404)),
    ("suggestions", "get", None, (LOGIN, 200, 200, 302, 302)),
    ("inbox", "get", None, (LOGIN, 200, 200, 302, 302)),
    ("request", "get", "request", (LOGIN, 200, 404, 200, 404)),
    ("request_accept", "post", "request", (LOGIN, 404, 404, 404, 404)),
    ("request_decline", "post", "request", (LOGIN, 404, 404, 404, 404)),
    ("request_cancel", "post", "request", (LOGIN, 302, 404, 302, 404)),
]


def _url(world, name, target):
    if name in ("list", "create"):
        return reverse(f"matchmaking:{name}")
    kwargs = {"slug": world["session"].slug}
    if target:
        kwargs["pk"] = world[target].pk
    return reverse(f"matchmaking:{name}", kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "target", "expected"), CASES, ids=[c[0] for c in CASES])
def test_url_answers_each_role(client, world, role, name, method, target, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = _url(world, name, target)
    response = getattr(client, method)(url)
    want = expected[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == want, (role, name, response.status_code)


def test_url_matrix_covers_every_matchmaking_url():
    """Every participant-side URL is in ``CASES``; the scheduling, agenda, dashboard and
    outcome pages (views in ``matchmaking.views.organiser`` and ``.agenda``) have their own
    matrix beside their tests."""
    from matchmaking.urls import urlpatterns

    scheduling_side = {"matchmaking.views.organiser", "matchmaking.views.agenda"}
    names = {
        pattern.name
        for pattern in urlpatterns
        if pattern.callback.view_class.__module__ not in scheduling_side
    }
    assert names == {case[0] for case in CASES}


def test_request_stays_unanswered_after_the_refused_posts(client, world):
    for role in ("alice", "bob", "organiser", "other_organiser"):
        client.force_login(world["users"][role])
        client.post(_url(world, "request_accept", "request"))
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.PENDING
