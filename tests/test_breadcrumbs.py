"""Every nested page says where it is: a ``<nav class="breadcrumbs">`` with a parent link.

The pages come from the URL matrices (``tests/test_url_matrix.py`` and the app matrices), so
the same world is built and each page is read as the first identity the matrix lets in. A page
is nested unless it is listed in ``NO_BREADCRUMBS`` (top-level lists, the home page, printouts,
files): a new nested page without breadcrumbs fails here until it has them or is listed, with
its reason.
"""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils.html import escape

from tests.matchmaking.conftest import alice, bob, carol, other_organiser, session  # noqa: F401
from tests.matchmaking.test_agenda import booked  # noqa: F401
from tests.matchmaking.test_outcomes import meeting as held_meeting  # noqa: F401
from tests.matchmaking.test_scheduling_pages import CASES as MM_ORGANISER_CASES
from tests.matchmaking.test_scheduling_pages import world as mm_organiser_world  # noqa: F401
from tests.matchmaking.test_url_matrix import CASES as MM_CASES
from tests.matchmaking.test_url_matrix import ROLES as MM_ROLES
from tests.matchmaking.test_url_matrix import _url as mm_url
from tests.matchmaking.test_url_matrix import world as mm_world  # noqa: F401
from tests.missions.events.test_reject_confirmation import _pending_pair
from tests.programmes.conftest import ROLES as PROGRAMME_ROLES
from tests.programmes.conftest import world as programme_world  # noqa: F401
from tests.programmes.factories import make_outcome
from tests.programmes.test_views import MATRIX as PROGRAMME_MATRIX
from tests.programmes.test_views import _url as programme_url
from tests.reports.conftest import private_files  # noqa: F401  (autouse: files in tmp_path)
from tests.reports.test_views import MATRIX as REPORTS_MATRIX
from tests.reports.test_views import ROLES as REPORTS_ROLES
from tests.reports.test_views import url_for as reports_url
from tests.reports.test_views import world as reports_world  # noqa: F401
from tests.test_url_matrix import IDENTITIES, MATRIX, _named_patterns, world  # noqa: F401  (the fixture)

# Top-level pages: reached from the main navigation or the home page, nothing above them.
NO_BREADCRUMBS = {
    "home",
    "profile",
    "organizations:list",
    "organizations:create",
    "organizations:review",
    "organizations:sectors",
    "organizations:invitations",
    "missions:list",
    "missions:create",
    "missions:host_visits",
    "calls:list",
    "calls:reviews",
    "events:list",
    "events:mine",
    "events:create",
    # Files (the test reads only HTML pages anyway).
    "outcomes:evidence",
    "matchmaking:list",
    "matchmaking:create",
    "programmes:list",
    "programmes:create",
    "partnerships:list",
    "partnerships:review",
    "outcomes:list",
    "outcomes:review",
    "reports:home",
}

NAV = re.compile(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


def _pages():
    """(name, kwargs, identity): each URL once, read by the first identity given a 200."""
    seen = set()
    for name, kwargs, expected in MATRIX:
        identity = next((who for who in IDENTITIES if expected.get(who) == 200), None)
        if identity is None or name in seen:
            continue
        seen.add(name)
        yield name, kwargs, identity


PAGES = list(_pages())


def _assert_breadcrumbs(response, name):
    if "text/html" not in response.get("Content-Type", ""):
        return  # a file, a feed, a CSV: not a page
    html = response.content.decode()
    nav = NAV.search(html)
    assert nav, f'{name}: no <nav class="breadcrumbs">; add the breadcrumbs block'
    links = LINK.findall(nav.group(1))
    assert links, f"{name}: the breadcrumbs link to no parent page"
    for href in links:
        try:
            resolve(href.split("?")[0].split("#")[0])
        except Resolver404:  # pragma: no cover - the assertion says which
            pytest.fail(f"{name}: breadcrumb link {href} resolves to no page")


NESTED_PAGES = [page for page in PAGES if page[0] not in NO_BREADCRUMBS]


@pytest.mark.parametrize(
    ("name", "kwargs", "identity"), NESTED_PAGES, ids=[p[0] for p in NESTED_PAGES]
)
def test_nested_page_has_breadcrumbs(client, world, name, kwargs, identity):  # noqa: F811
    user = world["users"][identity]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs(world) if kwargs else None))
    assert response.status_code == 200
    _assert_breadcrumbs(response, name)
    # The parent is named by its real title, not "Mission" or "Back".
    parent = _parent_title(world, name)
    if parent and response.get("Content-Type", "").startswith("text/html"):
        assert escape(parent) in NAV.search(response.content.decode()).group(1), name


# Pages whose parent is not the object of their namespace (a list, or another object).
PARENT_IS_NOT_THE_NAMESPACE_OBJECT = {
    "organizations:sector_edit",
    "missions:visit_propose",
    "calls:review",
}


def _parent_title(w, name: str) -> str | None:
    """The title the breadcrumbs must show for a page under a mission, call, event or
    organisation (a detail page shows its own title as the current crumb)."""
    if name in PARENT_IS_NOT_THE_NAMESPACE_OBJECT:
        return None
    if name == "calls:create":
        return w["mission"].title
    namespace = name.split(":")[0]
    return {
        "missions": w["mission"].title,
        "calls": w["call"].title,
        "events": w["event"].title,
        "organizations": w["cluster"].name,
    }[namespace]


# The matchmaking participant pages (tests/matchmaking/test_url_matrix.py) ...
MM_PAGES = [
    (name, target, MM_ROLES[expected.index(200)])
    for name, method, target, expected in MM_CASES
    if method == "get" and 200 in expected and f"matchmaking:{name}" not in NO_BREADCRUMBS
]


@pytest.mark.parametrize(("name", "target", "role"), MM_PAGES, ids=[p[0] for p in MM_PAGES])
def test_nested_matchmaking_page_has_breadcrumbs(client, mm_world, name, target, role):  # noqa: F811
    client.force_login(mm_world["users"][role])
    response = client.get(mm_url(mm_world, name, target))
    assert response.status_code == 200
    _assert_breadcrumbs(response, f"matchmaking:{name}")


# ... and its organiser pages (tests/matchmaking/test_scheduling_pages.py), read by the organiser.
MM_ORGANISER_PAGES = [
    (name, target) for name, method, target, _ in MM_ORGANISER_CASES if method == "get"
]


@pytest.mark.parametrize(
    ("name", "target"), MM_ORGANISER_PAGES, ids=[p[0] for p in MM_ORGANISER_PAGES]
)
def test_matchmaking_organiser_page_has_breadcrumbs(client, mm_organiser_world, name, target):  # noqa: F811
    w = mm_organiser_world
    client.force_login(w["users"]["organiser"])
    kwargs = {"slug": w["session"].slug}
    if target:
        kwargs["pk"] = w[target].pk
    response = client.get(reverse(f"matchmaking:{name}", kwargs=kwargs))
    assert response.status_code == 200
    _assert_breadcrumbs(response, f"matchmaking:{name}")


# The programmes, partnerships and outcomes pages (tests/programmes/test_views.py): the rows on
# the public objects; the hidden and pending variants are the same pages.
@pytest.fixture
def programme_objects(programme_world, settings, tmp_path):  # noqa: F811
    w = programme_world
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    outcome = make_outcome(
        w.organiser,
        w.partnership,
        title="Joint office in Brussels",
        organizations=[w.org_a, w.org_b],
        verified_by=w.staff,
    )
    return {
        "programme": w.programme.slug,
        "partnership": w.partnership.slug,
        "partnership_pk": w.partnership.pk,
        "meeting": w.meeting.pk,
        "public": outcome.pk,
    }


PROGRAMME_PAGES = []
for _name, _kwargs, _expected in PROGRAMME_MATRIX:
    _role = next((r for r in PROGRAMME_ROLES if _expected[r] == 200), None)
    if (
        _role
        and _name not in NO_BREADCRUMBS
        and all(
            v[1:] in {"programme", "partnership", "partnership_pk", "meeting", "public"}
            for v in _kwargs.values()
            if v.startswith("@")
        )
    ):
        PROGRAMME_PAGES.append((_name, _kwargs, _role))


@pytest.mark.parametrize(
    ("name", "kwargs", "role"),
    PROGRAMME_PAGES,
    ids=[f"{p[0]}-{i}" for i, p in enumerate(PROGRAMME_PAGES)],
)
def test_programme_page_has_breadcrumbs(
    client,
    programme_world,  # noqa: F811
    programme_objects,
    name,
    kwargs,
    role,
):
    user = programme_world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(programme_url(name, kwargs, programme_objects))
    assert response.status_code == 200
    _assert_breadcrumbs(response, name)


# The reports pages (tests/reports/test_views.py): a job, the report texts, the survey results.
REPORTS_PAGES = [
    (name, REPORTS_ROLES[expected.index(200)])
    for name, expected in REPORTS_MATRIX.items()
    if 200 in expected and f"reports:{name}" not in NO_BREADCRUMBS
]


@pytest.mark.parametrize(("name", "role"), REPORTS_PAGES, ids=[p[0] for p in REPORTS_PAGES])
def test_reports_page_has_breadcrumbs(client, reports_world, name, role):  # noqa: F811
    client.force_login(reports_world[role])
    response = client.get(reports_url(name, reports_world))
    assert response.status_code == 200
    _assert_breadcrumbs(response, f"reports:{name}")


# The matchmaking agendas and the outcome form (their own tests, no matrix).
@pytest.mark.parametrize("whose", ["own", "organiser"])
def test_matchmaking_agenda_has_breadcrumbs(client, session, organiser, alice, booked, whose):  # noqa: F811
    if whose == "own":
        client.force_login(alice.user)
        url = reverse("matchmaking:agenda", kwargs={"slug": session.slug})
    else:
        client.force_login(organiser)
        url = reverse(
            "matchmaking:participant_agenda", kwargs={"slug": session.slug, "pk": alice.pk}
        )
    response = client.get(url)
    assert response.status_code == 200
    _assert_breadcrumbs(response, "matchmaking:agenda")


def test_matchmaking_outcome_form_has_breadcrumbs(client, session, alice, held_meeting):  # noqa: F811
    client.force_login(alice.user)
    response = client.get(
        reverse("matchmaking:outcome", kwargs={"slug": session.slug, "pk": held_meeting.pk})
    )
    assert response.status_code == 200
    _assert_breadcrumbs(response, "matchmaking:outcome")


def test_the_exempt_pages_exist():
    """A renamed or removed page leaves no stale exemption behind."""
    names = {
        f"{namespace}:{name}" if namespace else name
        for namespace, name, _ in _named_patterns(get_resolver().url_patterns)
    }
    assert names >= NO_BREADCRUMBS


def test_a_confirmation_page_answering_a_post_has_breadcrumbs(client, organiser, organization):
    """Rejecting in bulk asks on a page that answers the POST: the walk above never sees it."""
    event, (first, second) = _pending_pair(organiser, organization)
    client.force_login(organiser)
    response = client.post(
        reverse("events:manage", args=[event.slug]),
        {"registrations": [first.pk, second.pk], "decision": "reject", "message": "Sorry."},
    )
    assert response.status_code == 200
    _assert_breadcrumbs(response, "events:manage (reject confirmation)")
    assert event.title in NAV.search(response.content.decode()).group(1)
