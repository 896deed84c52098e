"""Every URL of the organisations, missions, calls and events pages × every identity.

The identities: anonymous, each role (applicant, reviewer, organiser, manager, host, staff,
admin), and a SECOND user of each role who owns none of the objects. The policy under test
(``common.views``):

- anonymous readers are sent to log in, except on public pages (200);
- the owner, or the role the page is for, gets the page (200), or 405 on a GET of a POST-only
  action (the permission is checked before the method, so 405 means "you may");
- an object outside the reader's scope is a 404, for everyone else, second users included;
- a refused permission without an object (creating a mission) is a 403.

Every GET here changes nothing. ``test_every_url_is_in_the_matrix`` walks the URL
configuration, so a new URL in these namespaces fails until it has a row here. The
matchmaking, reports and programmes apps (and their partnerships and outcomes pages) carry
their own matrices beside their tests; the admin and allauth's account pages are Django's
and allauth's.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from missions import services as mission_services
from missions.calls import selectors as call_selectors
from missions.calls import services as call_services
from missions.events import services as event_services
from missions.models import DelegationMember
from organizations.models import Membership, Role
from organizations.services import invitation_create, membership_add, organization_update
from tests.factories import make_organization, make_sector, make_user
from tests.missions.calls.factories import (
    PDF_BYTES,
    make_applicant,
    make_application,
    make_call,
    make_us_org,
    upload,
)
from tests.missions.events.factories import make_event, register
from tests.missions.factories import make_day, make_mission, make_visit

# The namespaces this matrix covers, and the project's own top-level pages (no namespace).
COVERED_NAMESPACES = {"organizations", "missions", "calls", "events"}
COVERED_TOP_LEVEL = {"home", "profile"}

IDENTITIES = (
    "anonymous",
    "applicant",
    "applicant2",
    "reviewer",
    "reviewer2",
    "organiser",
    "organiser2",
    "manager",
    "manager2",
    "host",
    "host2",
    "staff",
    "staff2",
    "admin",
)
SIGNED_IN = IDENTITIES[1:]
LOGIN = "login"
ORGANISERS = ("organiser", "organiser2", "admin")  # the role, any object
OWNERS = ("organiser", "admin")  # the organiser of this mission/call/event, and site admins


def public() -> dict[str, object]:
    """Everyone, anonymous readers included, gets the page."""
    return dict.fromkeys(IDENTITIES, 200)


def signed_in(status: int = 200) -> dict[str, object]:
    """Any signed-in person; anonymous readers log in first."""
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed: tuple[str, ...], status: int = 200, others: int = 404) -> dict[str, object]:
    """``allowed`` get ``status``; anonymous readers log in; everyone else gets ``others``."""
    expected = {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, others)}
    expected.update(dict.fromkeys(allowed, status))
    return expected


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def world(db, settings, tmp_path):
    """One of everything, built through the services, owned by the first user of each role."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    users = {
        "applicant2": None,  # made below, with their own organisation
        "reviewer": make_user(roles=(Role.REVIEWER,)),
        "reviewer2": make_user(roles=(Role.REVIEWER,)),
        "organiser": make_user(roles=(Role.ORGANISER,)),
        "organiser2": make_user(roles=(Role.ORGANISER,)),
        "manager": make_user(roles=(Role.EU_CLUSTER_MANAGER,)),
        "manager2": make_user(roles=(Role.EU_CLUSTER_MANAGER,)),
        "host": make_user(roles=(Role.HOST_CONTACT,)),
        "host2": make_user(roles=(Role.HOST_CONTACT,)),
        "staff": make_user(roles=(Role.STAFF,)),
        "staff2": make_user(roles=(Role.STAFF,)),
        "admin": make_user(roles=(Role.SITE_ADMIN,)),
    }
    organiser = users["organiser"]

    # Organisations: the manager's cluster (with a logo), the second manager's, two hosts.
    cluster = make_organization(manager=users["manager"], sectors=(make_sector(),))
    organization_update(
        organization=cluster,
        by=users["manager"],
        logo=SimpleUploadedFile("logo.png", png(), "image/png"),
    )
    make_organization(manager=users["manager2"])
    host_org = make_organization()
    membership_add(organization=host_org, user=users["host"])
    membership_add(organization=make_organization(), user=users["host2"])
    # The manager invites host2 to the cluster: only host2 may answer.
    invitation = invitation_create(
        organization=cluster,
        by=users["manager"],
        email=users["host2"].email,
        role=Membership.Role.MEMBER,
    )
    us_org = make_us_org("Front Range Energy Cluster", "Colorado", "Clean energy")
    users["applicant"] = make_applicant("applicant@matrix.example.org", us_org)
    users["applicant2"] = make_applicant(
        "applicant2@matrix.example.org", make_us_org("Lone Star Cluster", "Texas")
    )

    # A published mission with a day and a hosted visit; the applicant is a delegate.
    mission = make_mission(organiser)
    day = make_day(organiser, mission, "2018-11-06")
    visit = make_visit(organiser, day, [host_org])
    member = mission_services.delegation_member_add(
        mission=mission,
        by=organiser,
        user=users["applicant"],
        organization=us_org,
        role=DelegationMember.Role.MEMBER,
    )
    mission = mission_services.mission_publish(
        mission=mission, by=organiser, override_reason="Matrix test"
    )
    feed_token = mission_services.feed_token_rotate(member=member, by=users["applicant"])

    # An open call on it: the applicant's submitted application, its file, a reviewer.
    call = make_call(organiser, mission)
    application = make_application(call, users["applicant"], us_org)
    attachment = call_services.attachment_add(
        application=application,
        by=users["applicant"],
        upload=upload(PDF_BYTES, "letter.pdf"),
    )
    assignment = call_services.reviewer_assign(
        application=application, reviewer=users["reviewer"], by=organiser
    )

    # A published event: the applicant's registration, an agenda item.
    event = make_event(organiser)
    registration = register(event, users["applicant"], us_org)
    agenda_item = event_services.agenda_item_add(
        event=event,
        by=organiser,
        title="Welcome",
        kind="talk",
        starts_at=event.starts_at,
        ends_at=event.starts_at + dt.timedelta(minutes=30),
    )

    users["anonymous"] = None
    return {
        "users": users,
        "cluster": cluster,
        "sector": cluster.sectors.get(),
        "membership": Membership.objects.get(organization=cluster, user=users["manager"]),
        "invitation": invitation,
        "mission": mission,
        "day": day,
        "visit": visit,
        "member": member,
        "feed_token": feed_token,
        "call": call,
        "application": application,
        "attachment": attachment,
        "assignment": assignment,
        "template": call_selectors.decision_templates(call).first(),
        "event": event,
        "registration": registration,
        "agenda_item": agenda_item,
    }


def org(w):
    return {"slug": w["cluster"].slug}


def mission(w):
    return {"slug": w["mission"].slug}


def call(w):
    return {"pk": w["call"].pk}


def event(w):
    return {"slug": w["event"].slug}


# (URL name, its kwargs from the world, expected answer to a GET per identity)
MATRIX = [
    # --- Top level and organisations
    ("home", None, public()),
    ("profile", None, signed_in()),
    ("organizations:list", None, public()),
    ("organizations:create", None, signed_in()),
    ("organizations:review", None, only(ORGANISERS, others=403)),
    ("organizations:sectors", None, only(ORGANISERS, others=403)),
    ("organizations:search", None, public()),
    ("organizations:people_search", None, only(ORGANISERS, others=403)),
    ("organizations:sector_edit", lambda w: {"slug": w["sector"].slug}, only(ORGANISERS)),
    ("organizations:detail", org, public()),
    ("organizations:logo", org, public()),
    ("organizations:edit", org, only(("manager", *ORGANISERS))),
    ("organizations:validate", org, only(ORGANISERS, status=405)),
    ("organizations:members", org, only(("manager", *ORGANISERS))),
    (
        "organizations:member_remove",
        lambda w: {**org(w), "pk": w["membership"].pk},
        only(("manager", *ORGANISERS), status=405),
    ),
    ("organizations:invitations", None, signed_in()),
    (
        "organizations:invitation_accept",
        lambda w: {"token": w["invitation"].token},
        only(("host2",), status=405),
    ),
    (
        "organizations:invitation_decline",
        lambda w: {"token": w["invitation"].token},
        only(("host2",), status=405),
    ),
    # --- Missions: public pages, delegates, hosts
    ("missions:list", None, public()),
    ("missions:create", None, only(ORGANISERS, others=403)),
    ("missions:host_visits", None, signed_in()),
    ("missions:visit_confirm", lambda w: {"pk": w["visit"].pk}, only(("host",), status=405)),
    ("missions:visit_propose", lambda w: {"pk": w["visit"].pk}, only(("host",))),
    ("missions:private_feed", lambda w: {"token": w["feed_token"]}, public()),
    ("missions:detail", mission, public()),
    ("missions:itinerary", mission, public()),
    ("missions:print", mission, public()),
    ("missions:map", mission, public()),
    ("missions:public_feed", mission, public()),
    ("missions:changes", mission, only(("applicant", *OWNERS))),
    ("missions:my_calendar", mission, only(("applicant",))),
    # Replacing the delegate's own calendar link: a confirmation page, for them only.
    ("missions:my_calendar_rotate", mission, only(("applicant",))),
    # --- Missions: the mission's organisers
    ("missions:plan", mission, only(OWNERS)),
    ("missions:edit", mission, only(OWNERS)),
    ("missions:publish", mission, only(OWNERS, status=405)),
    ("missions:status", mission, only(OWNERS, status=405)),
    ("missions:duplicate", mission, only(OWNERS)),
    ("missions:delegation", mission, only(OWNERS)),
    (
        "missions:delegation_remove",
        lambda w: {**mission(w), "pk": w["member"].pk},
        only(OWNERS, status=405),
    ),
    ("missions:day_create", mission, only(OWNERS, status=405)),
    ("missions:day_edit", lambda w: {**mission(w), "day": w["day"].pk}, only(OWNERS)),
    (
        "missions:day_delete",
        lambda w: {**mission(w), "day": w["day"].pk},
        only(OWNERS, status=405),
    ),
    (
        "missions:item_create",
        lambda w: {**mission(w), "day": w["day"].pk, "kind": "visit"},
        only(OWNERS),
    ),
    ("missions:item_edit", lambda w: {**mission(w), "pk": w["visit"].pk}, only(OWNERS)),
    *[
        (f"missions:{name}", lambda w: {**mission(w), "pk": w["visit"].pk}, only(OWNERS, 405))
        for name in ("item_move", "item_accept")
    ],
    # A guarded action: its GET is the page that asks.
    ("missions:item_delete", lambda w: {**mission(w), "pk": w["visit"].pk}, only(OWNERS)),
    # --- Calls: public, applicants
    ("calls:list", None, public()),
    ("calls:create", lambda w: {"mission_slug": w["mission"].slug}, only(OWNERS)),
    ("calls:detail", call, public()),
    ("calls:apply", call, signed_in(405)),
    ("calls:application", lambda w: {"pk": w["application"].pk}, only(("applicant",))),
    *[
        (f"calls:{name}", lambda w: {"pk": w["application"].pk}, only(("applicant",), 405))
        for name in ("withdraw", "upload")
    ],
    (
        "calls:attachment",
        lambda w: {"pk": w["attachment"].pk},
        only(("applicant", "reviewer", *OWNERS)),
    ),
    (
        "calls:attachment_delete",
        lambda w: {"pk": w["attachment"].pk},
        only(("applicant",), status=405),
    ),
    # --- Calls: reviewers
    ("calls:reviews", None, signed_in()),
    ("calls:review", lambda w: {"pk": w["assignment"].pk}, only(("reviewer",))),
    ("calls:conflict", lambda w: {"pk": w["assignment"].pk}, only(("reviewer",), 405)),
    # --- Calls: the call's organisers
    ("calls:edit", call, only(OWNERS)),
    ("calls:setup", call, only(OWNERS)),
    ("calls:manage", call, only(OWNERS)),
    ("calls:export", call, only(OWNERS)),
    ("calls:assign", call, only(OWNERS)),  # a confirmation page
    ("calls:reviewer_search", call, only(OWNERS)),
    ("calls:ranking", call, only(OWNERS)),
    ("calls:decisions", call, only(OWNERS)),
    ("calls:decisions_send", call, only(OWNERS)),
    (
        "calls:decision_template",
        lambda w: {**call(w), "template_pk": w["template"].pk},
        only(OWNERS),
    ),
    (
        "calls:manage_application",
        lambda w: {**call(w), "application_pk": w["application"].pk},
        only(OWNERS),
    ),
    # --- Events: public, participants, one's own registration
    ("events:list", None, public()),
    ("events:mine", None, signed_in()),
    ("events:create", None, only(ORGANISERS, others=403)),
    ("events:detail", event, public()),
    # Registering: everyone signed in may; the applicant is registered already and is sent
    # to their registration.
    ("events:register", event, {**signed_in(), "applicant": 302}),
    ("events:participants", event, only(("applicant", *OWNERS))),
    (
        "events:registration",
        lambda w: {"pk": w["registration"].pk},
        only(("applicant", *OWNERS)),
    ),
    (
        "events:registration_cancel",
        lambda w: {"pk": w["registration"].pk},
        only(("applicant", *OWNERS)),
    ),
    # Taking an offered seat and the private calendar are the registrant's alone, admin too.
    (
        "events:registration_accept",
        lambda w: {"pk": w["registration"].pk},
        only(("applicant",), status=405),
    ),
    (
        "events:registration_calendar",
        lambda w: {"pk": w["registration"].pk},
        only(("applicant",)),
    ),
    # --- Events: the event's organisers
    ("events:edit", event, only(OWNERS)),
    ("events:status", event, only(OWNERS, status=405)),
    ("events:agenda", event, only(OWNERS)),
    (
        "events:agenda_delete",
        lambda w: {**event(w), "pk": w["agenda_item"].pk},
        only(OWNERS, status=405),
    ),
    ("events:manage", event, only(OWNERS)),
    ("events:capacity", event, only(OWNERS, status=405)),
    ("events:attendees_csv", event, only(OWNERS)),
    ("events:check_in", event, only(OWNERS)),
]


def _answer(response) -> object:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(("name", "kwargs", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_url_answers_each_identity(client, world, name, kwargs, expected):
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    answers = {}
    for identity in IDENTITIES:
        client.logout()
        user = world["users"][identity]
        if user is not None:
            client.force_login(user)
        answers[identity] = _answer(client.get(url))
    assert answers == expected


def _named_patterns(patterns, namespace=None, top_level=True):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(
                pattern.url_patterns, pattern.namespace or namespace, top_level=False
            )
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, top_level


def test_every_url_is_in_the_matrix():
    covered = set()
    for namespace, name, top_level in _named_patterns(get_resolver().url_patterns):
        if namespace in COVERED_NAMESPACES:
            assert name, f"an unnamed URL in {namespace}: name it and add it to MATRIX"
            covered.add(f"{namespace}:{name}")
        elif top_level and namespace is None and name:
            covered.add(name)
    assert covered >= COVERED_TOP_LEVEL
    assert covered == {row[0] for row in MATRIX}
