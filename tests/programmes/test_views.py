"""Every programmes URL for every role; internal outcomes and evidence stay inside; the
forms' happy paths and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programmes import services
from programmes.models import Outcome, Partnership, PartnershipChange

from .conftest import ROLES
from .factories import make_outcome, make_partnership, make_programme

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANON, APPLICANT, PARTNER, OTHER, ORGANISER, STAFF, ADMIN = ROLES
LOGIN = "login"


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    hidden_programme = make_programme(world.organiser, name="Draft programme", is_public=False)
    pending = make_partnership(
        world.organiser, [world.org_a], name="Pending partnership", validated=False
    )
    internal = services.outcome_report(
        by=world.partner_manager,
        source=world.meeting,
        kind=Outcome.Kind.MOU,
        title="Internal MoU",
        date=world.meeting.slot.starts_at.date(),
        visibility=Outcome.Visibility.INTERNAL,
        evidence=SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf"),
    )
    public = make_outcome(
        world.organiser,
        world.partnership,
        kind=Outcome.Kind.JOINT_OFFICE,
        title="Joint office in Brussels",
        date=dt.date(2016, 5, 1),
        organizations=[world.org_a, world.org_b],
        verified_by=world.staff,
        evidence=SimpleUploadedFile("lease.pdf", PDF, content_type="application/pdf"),
    )
    return {
        "programme": world.programme.slug,
        "hidden_programme": hidden_programme.slug,
        "partnership": world.partnership.slug,
        "partnership_pk": world.partnership.pk,
        "pending": pending.slug,
        "meeting": world.meeting.pk,
        "internal": internal.pk,
        "public": public.pk,
    }


def everyone(status):
    return dict.fromkeys(ROLES, status)


def only(allowed, *, others, anonymous=LOGIN):
    result = dict.fromkeys(ROLES, others)
    result[ANON] = anonymous
    for role in allowed:
        result[role] = 200
    return result


# (name, kwargs from ``objects``, expected status by role)
MATRIX = [
    ("programmes:list", {}, everyone(200)),
    ("programmes:detail", {"slug": "@programme"}, everyone(200)),
    (
        "programmes:detail",
        {"slug": "@hidden_programme"},
        only((ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
    ("programmes:feed", {"slug": "@programme"}, everyone(200)),
    (
        "programmes:feed",
        {"slug": "@hidden_programme"},
        only((ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
    ("programmes:figures", {"slug": "@programme"}, everyone(200)),
    ("programmes:figure_csv", {"slug": "@programme", "key": "ran"}, everyone(200)),
    ("programmes:figure_csv", {"slug": "@programme", "key": "nonsense"}, everyone(404)),
    ("programmes:create", {}, only((ORGANISER, STAFF, ADMIN), others=403)),
    ("programmes:edit", {"slug": "@programme"}, only((ORGANISER, STAFF, ADMIN), others=404)),
    ("programmes:link", {"slug": "@programme"}, only((ORGANISER, STAFF, ADMIN), others=404)),
    ("partnerships:create", {}, only((ORGANISER, STAFF, ADMIN), others=403)),
    ("partnerships:list", {}, everyone(200)),
    ("partnerships:detail", {"slug": "@partnership"}, everyone(200)),
    (
        "partnerships:detail",
        {"slug": "@pending"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
    ("partnerships:map", {"slug": "@partnership"}, everyone(200)),
    (
        "partnerships:map",
        {"slug": "@pending"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
    ("partnerships:propose", {"slug": "@partnership"}, only((PARTNER, ADMIN), others=404)),
    ("partnerships:review", {}, only((ORGANISER, STAFF, ADMIN), others=403)),
    ("outcomes:list", {}, everyone(200)),
    ("outcomes:review", {}, only((STAFF, ADMIN), others=403)),
    (
        "outcomes:report",
        {"source": "meeting", "pk": "@meeting"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404),
    ),
    (
        "outcomes:report",
        {"source": "partnership", "pk": "@partnership_pk"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404),
    ),
    (
        "outcomes:detail",
        {"pk": "@internal"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
    ("outcomes:detail", {"pk": "@public"}, everyone(200)),
    (
        "outcomes:evidence",
        {"pk": "@internal"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
    # ANON public outcome's evidence is still private: never to anonymous readers or outsiders.
    (
        "outcomes:evidence",
        {"pk": "@public"},
        only((PARTNER, ORGANISER, STAFF, ADMIN), others=404, anonymous=404),
    ),
]


def _url(name, kwargs, objects):
    return reverse(
        name,
        kwargs={k: objects[v[1:]] if v.startswith("@") else v for k, v in kwargs.items()},
    )


@pytest.mark.parametrize(("name", "kwargs", "expected"), MATRIX)
def test_url_role_matrix(client, world, objects, name, kwargs, expected):
    url = _url(name, kwargs, objects)
    seen = {}
    for role in ROLES:
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        status = response.status_code
        if status == 302 and "/accounts/login/" in response["Location"]:
            status = LOGIN
        seen[role] = status
    assert seen == expected


def test_outcome_decide_post_matrix(client, world, objects):
    url = reverse("outcomes:decide", kwargs={"pk": objects["internal"]})
    response = client.post(url, {"decision": "verify"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role, status in ((OTHER, 404), (PARTNER, 404), (ORGANISER, 404)):
        client.force_login(world.user(role))
        assert client.post(url, {"decision": "verify"}).status_code == status
    assert Outcome.objects.get(pk=objects["internal"]).state == Outcome.State.REPORTED
    client.force_login(world.staff)
    response = client.post(url, {"decision": "verify"})
    assert response.status_code == 302
    assert Outcome.objects.get(pk=objects["internal"]).state == Outcome.State.VERIFIED


def test_internal_outcome_is_listed_only_inside(client, world, objects):
    for role, visible in (
        (ANON, False),
        (OTHER, False),
        (APPLICANT, False),
        (PARTNER, True),
        (ORGANISER, True),
    ):
        client.logout()
        if world.user(role):
            client.force_login(world.user(role))
        for url in (reverse("outcomes:list"), world.partnership.get_absolute_url()):
            body = client.get(url).content.decode()
            assert ("Internal MoU" in body) is visible, (role, url)
            assert "Joint office in Brussels" in body


def test_evidence_download_is_an_attachment(client, world, objects):
    client.force_login(world.us_manager)  # the other side of the meeting, an insider too
    response = client.get(reverse("outcomes:evidence", kwargs={"pk": objects["internal"]}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_outcome_report_form_records_an_mou(client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(world.us_manager)
    url = reverse("outcomes:report", kwargs={"source": "meeting", "pk": world.meeting.pk})
    response = client.post(
        url,
        {
            "kind": "mou",
            "title": "MoU on smart grids",
            "date": world.meeting.slot.starts_at.date().isoformat(),
            "visibility": "public",
            "evidence": SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf"),
        },
    )
    outcome = Outcome.objects.get()
    assert response.status_code == 302
    assert response["Location"] == outcome.get_absolute_url()
    assert set(outcome.organizations.all()) == {world.org_a, world.org_b}
    assert outcome.confirmations.get().organization == world.org_b


def test_outcome_report_form_refuses_a_date_before_the_meeting(client, world):
    client.force_login(world.partner_manager)
    url = reverse("outcomes:report", kwargs={"source": "meeting", "pk": world.meeting.pk})
    response = client.post(
        url,
        {
            "kind": "mou",
            "title": "Too early",
            "date": (world.meeting.slot.starts_at.date() - dt.timedelta(days=3)).isoformat(),
            "visibility": "internal",
        },
    )
    assert response.status_code == 400
    assert "before its source" in response.content.decode()
    assert Outcome.objects.count() == 0


def test_outcome_report_form_refuses_junk(client, world):
    client.force_login(world.partner_manager)
    url = reverse("outcomes:report", kwargs={"source": "meeting", "pk": world.meeting.pk})
    response = client.post(
        url,
        {
            "kind": "treaty",
            "title": "A\nB",
            "date": "yesterday",
            "visibility": "secret",
            "evidence": SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert Outcome.objects.count() == 0


def test_partnership_change_proposed_then_approved(client, world):
    client.force_login(world.partner_manager)
    url = reverse("partnerships:propose", kwargs={"slug": world.partnership.slug})
    response = client.post(
        url,
        {
            "description": "Thirteen clusters in twelve countries.",
            "target_countries": ["US", "SG", "KR"],
            "reason": "We added Singapore and Korea.",
        },
    )
    assert response.status_code == 302
    change = PartnershipChange.objects.get()
    assert change.organization == world.org_a
    assert change.changes["target_countries"] == ["KR", "SG", "US"]
    world.partnership.refresh_from_db()
    assert world.partnership.description == ""  # unchanged until approved

    client.force_login(world.organiser)
    review = client.get(reverse("partnerships:review")).content.decode()
    assert "Singapore" in review
    response = client.post(
        reverse("partnerships:change_decide", kwargs={"pk": change.pk}), {"decision": "approve"}
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.description == "Thirteen clusters in twelve countries."
    assert [c.code for c in world.partnership.target_countries] == ["KR", "SG", "US"]
    change.refresh_from_db()
    assert change.status == PartnershipChange.Status.APPROVED
    assert change.decided_by == world.organiser


def test_partnership_change_with_nothing_new_is_refused(client, world):
    client.force_login(world.partner_manager)
    url = reverse("partnerships:propose", kwargs={"slug": world.partnership.slug})
    response = client.post(url, {"target_countries": ["JP", "US"]})
    assert response.status_code == 400
    assert "Nothing would change" in response.content.decode()
    assert PartnershipChange.objects.count() == 0


def test_partnership_change_decided_once(world):
    change = services.partnership_change_propose(
        partnership=world.partnership, by=world.partner_manager, changes={"description": "New"}
    )
    services.partnership_change_decide(change=change, by=world.staff, approve=False)
    with pytest.raises(Exception, match="already been decided"):
        services.partnership_change_decide(change=change, by=world.organiser, approve=True)
    world.partnership.refresh_from_db()
    assert world.partnership.description == ""


def test_partnership_validation_by_organiser(client, world):
    pending = make_partnership(world.organiser, [world.org_a], name="New ESCP", validated=False)
    client.force_login(world.partner_manager)
    url = reverse("partnerships:validate", kwargs={"slug": pending.slug})
    assert client.post(url, {"decision": "validated"}).status_code == 404
    client.force_login(world.organiser)
    assert client.post(url, {"decision": "validated"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Partnership.Status.VALIDATED


def test_partnership_directory_filters(client, world):
    make_partnership(
        world.organiser, [world.other_org], name="Nordic water", target_countries=["CN"]
    )

    def names(query):
        response = client.get(reverse("partnerships:list"), query)
        return [p.name for p in response.context["partnerships"]]

    assert names({}) == ["International Clean Tech Network", "Nordic water"]
    assert names({"partner_country": "US"}) == ["International Clean Tech Network"]
    assert names({"partner_country": "SE"}) == ["Nordic water"]
    assert names({"target_country": "CN"}) == ["Nordic water"]
    assert names({"target_country": "JP"}) == ["International Clean Tech Network"]
    assert names({"sector": "clean-tech"}) == []
    # Junk in a filter: the page with a message, every partnership.
    response = client.get(reverse("partnerships:list"), {"target_country": "XX\x00"})
    assert response.status_code == 200


def test_programme_feed_lists_the_series(client, world):
    body = client.get(reverse("programmes:feed", kwargs={"slug": world.programme.slug})).content
    assert body.count(b"BEGIN:VEVENT") == 3
    assert b"UID:mission-" in body and b"UID:event-" in body and b"UID:call-" in body
    assert b"TZID=Europe/Copenhagen" in body


def test_programme_page_splits_upcoming_and_past(client, world):
    response = client.get(world.programme.get_absolute_url())
    series = response.context["series"]
    assert series.past_missions == [world.mission]
    assert series.past_events == [world.event]
    assert series.open_calls == [world.call]
    assert series.upcoming_events == []


def test_programme_created_edited_and_linked_by_an_organiser(client, world):
    from programmes.models import Programme

    from .factories import make_past_event

    client.force_login(world.organiser)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "BILAT USA 2.0",
            "funder": "European Union, FP7",
            "starts_on": "2012-10-01",
            "ends_on": "2015-09-30",
            "is_public": "on",
        },
    )
    programme = Programme.objects.get(name="BILAT USA 2.0")
    assert response["Location"] == programme.get_absolute_url()
    response = client.post(
        reverse("programmes:edit", kwargs={"slug": programme.slug}),
        {
            "name": "BILAT USA 2.0",
            "funder": "European Union",
            "starts_on": "2012-10-01",
            "ends_on": "2011-01-01",
        },
    )
    assert response.status_code == 400  # ends before it starts
    programme.refresh_from_db()
    assert programme.funder == "European Union, FP7"

    workshop = make_past_event(world.organiser, title="Workshop on H2020")
    url = reverse("programmes:link", kwargs={"slug": programme.slug})
    assert client.post(url, {"event": workshop.pk}).status_code == 302
    assert programme.event_links.get().event == workshop
    # An event of another programme is not offered, and the service refuses it anyway.
    assert client.post(url, {"event": world.event.pk}).status_code == 400
    assert client.post(url, {"event": workshop.pk, "call": world.call.pk}).status_code == 400
    with pytest.raises(Exception, match="another programme"):
        services.programme_link_activity(
            programme=programme, activity=world.event, by=world.organiser
        )
    assert world.event.programme_link.programme == world.programme


def test_partnership_created_pending_then_validated(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("partnerships:create"),
        {
            "name": "Review",  # a reserved path: the slug steps aside
            "starts_on": "2014-01-01",
            "partners": [world.org_a.name, world.other_org.name],
            "target_countries": ["BR"],
        },
    )
    partnership = Partnership.objects.get(name="Review")
    assert response["Location"] == partnership.get_absolute_url()
    assert partnership.slug == "review-2"
    assert partnership.status == Partnership.Status.PENDING
    client.logout()
    assert client.get(partnership.get_absolute_url()).status_code == 404
    client.force_login(world.other_manager)  # manager of a partner: sees it while pending
    assert client.get(partnership.get_absolute_url()).status_code == 200


def test_programme_page_lists_its_verified_outcomes_the_reader_may_see(client, world):
    internal = services.outcome_report(
        by=world.partner_manager,
        source=world.meeting,
        kind=Outcome.Kind.MOU,
        title="Internal verified MoU",
        date=world.meeting.slot.starts_at.date(),
    )
    services.outcome_verify(outcome=internal, by=world.staff)
    public = services.outcome_report(
        by=world.organiser,
        source=world.mission,
        kind=Outcome.Kind.JOINT_ROADMAP,
        title="Public roadmap",
        date=dt.date(2018, 11, 9),
        organizations=[world.org_b],
        visibility=Outcome.Visibility.PUBLIC,
    )
    assert client.get(world.programme.get_absolute_url()).context["outcomes"] == []
    services.outcome_verify(outcome=public, by=world.staff)
    assert client.get(world.programme.get_absolute_url()).context["outcomes"] == [public]
    client.force_login(world.partner_manager)
    outcomes = client.get(world.programme.get_absolute_url()).context["outcomes"]
    assert outcomes == [internal, public]
