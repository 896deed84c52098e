"""The event's participant list and badges through the report jobs (their HTML comes from
``missions.events.pdf``; the registrations page asks for them, nothing renders in the web
request), and ``render_report`` for operators."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from organizations.models import Role
from reports.models import ReportJob
from reports.services import gather, jobs

from ..conftest import wait_for
from ..factories import make_user
from ..missions.events.factories import make_event, make_member, register
from .conftest import pdf_text, report_files
from .factories import make_report_mission

pytestmark = pytest.mark.django_db


def test_participant_list_and_badges_jobs_hold_every_attendee(organiser, organization, render):
    event = make_event(organiser, capacity=10)
    names = [f"Attendee Number {n}" for n in range(10)]
    for name in names:
        register(event, make_member(organization, full_name=name), organization)

    listing = render(kind=ReportJob.Kind.PARTICIPANT_LIST, target=event, by=organiser)
    badges = render(kind=ReportJob.Kind.BADGES, target=event, by=organiser)

    with listing.file.open("rb") as handle:
        listed = pdf_text(handle.read())
    assert all(name in listed for name in names)
    # Nine badges fill a sheet; the tenth starts a second.
    assert badges.pages == 2
    with badges.file.open("rb") as handle:
        # A long name wraps on a badge: compare with the line breaks as spaces.
        on_badges = " ".join(pdf_text(handle.read()).split())
    assert sorted(name for name in names if name in on_badges) == sorted(names)


def test_a_new_attendee_makes_a_new_participant_list_version(organiser, organization, render):
    event = make_event(organiser, capacity=5)
    register(event, make_member(organization), organization)
    first = render(kind="participant_list", target=event)
    register(event, make_member(organization, full_name="Late Comer"), organization)

    second = render(kind="participant_list", target=event)

    assert (first.version, second.version) == (1, 2)
    with second.file.open("rb") as handle:
        assert "Late Comer" in pdf_text(handle.read())


def test_own_badge_holds_only_that_person(organiser, organization, render):
    event = make_event(organiser, capacity=5)
    alice = register(event, make_member(organization, full_name="Alice Only"), organization)
    register(event, make_member(organization, full_name="Bob Other"), organization)

    badge = render(kind="badges", target=alice, by=alice.user)

    with badge.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Alice Only" in text
    assert "Bob Other" not in text


def test_render_report_command_writes_the_pdf(organiser, tmp_path):
    mission = make_report_mission(organiser, days=2)
    output = tmp_path / "report.pdf"
    out = StringIO()

    call_command(
        "render_report",
        "mission_report",
        mission.slug,
        "--output",
        str(output),
        "--page-size",
        "letter",
        stdout=out,
    )

    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert round(float(reader.pages[0].mediabox.width)) == 612
    job = ReportJob.objects.get()
    assert job.requested_by is None  # the system asked
    assert f"{job.pages} pages" in out.getvalue()
    assert len(reader.pages) == job.pages
    with pytest.raises(CommandError, match="No mission with the slug"):
        call_command("render_report", "mission_report", "nope", "--output", str(output))


def test_documents_use_the_shipped_font_and_fetch_nothing(organiser, render, caplog):
    mission = make_report_mission(organiser)

    job = render(kind="mission_report", target=mission)

    with job.file.open("rb") as handle:
        content = handle.read()
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(content)).pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    # The text is set in the shipped Source Sans 3 (symbols its Latin subsets lack, such
    # as the arrow of a travel leg, fall back to a system font).
    assert any("Source-Sans-3" in name for name in fonts), fonts
    assert "ExternalResourceRefused" not in caplog.text
    assert "Failed to load" not in caplog.text


@pytest.mark.parametrize("kind", ["participant_list", "badges"])
def test_unchanged_attendees_reuse_the_file(organiser, organization, render, private_files, kind):
    event = make_event(organiser, capacity=5)
    register(event, make_member(organization), organization)
    first = render(kind=kind, target=event, by=organiser)
    files = report_files(private_files)

    again = render(kind=kind, target=event, by=organiser)

    assert again.pk == first.pk
    assert report_files(private_files) == files
    register(event, make_member(organization, full_name="Late Comer"), organization)
    assert render(kind=kind, target=event, by=organiser).version == 2


@pytest.mark.parametrize("kind", ["participant_list", "badges"])
def test_event_document_data_queries_do_not_grow_with_attendees(organiser, organization, kind):
    small = make_event(organiser, capacity=5, title="Small")
    large = make_event(organiser, capacity=5, title="Large")
    register(small, make_member(organization), organization)
    for _ in range(3):
        register(large, make_member(organization), organization)

    with CaptureQueriesContext(connection) as one:
        assert len(gather.document_data(kind, small)["attendees"]) == 1
    with CaptureQueriesContext(connection) as three:
        assert len(gather.document_data(kind, large)["attendees"]) == 3

    assert len(one) == len(three)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("attendee", 404), ("other_organiser", 404), ("organiser", 302)],
)
@pytest.mark.parametrize("kind", ["participant_list", "badges"])
def test_event_document_permissions(
    client, organiser, organization, cluster_manager, render, role, expected, kind
):
    """As when the registrations page rendered them: the event's organisers only (staff
    read them from the reports home, tests/reports/test_views.py)."""
    event = make_event(organiser, capacity=5)
    register(event, cluster_manager, organization)
    made = render(kind=kind, target=event, by=organiser)
    users = {
        "anonymous": None,
        "attendee": cluster_manager,
        "other_organiser": make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,)),
        "organiser": organiser,
    }
    if users[role] is not None:
        client.force_login(users[role])

    asked = client.post(
        reverse("reports:request", args=["event", event.pk]), {"kind": kind, "page_size": "a4"}
    )
    job_page = client.get(reverse("reports:job", args=[made.pk]))
    download = client.get(reverse("reports:download", args=[made.pk]))

    if expected == "login":
        for response in (asked, job_page, download):
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == 404:
        assert [r.status_code for r in (asked, job_page, download)] == [404] * 3
    else:
        # Unchanged data: the same done job.
        assert asked["Location"] == reverse("reports:job", args=[made.pk])
        assert [r.status_code for r in (job_page, download)] == [200] * 2
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize("kind", ["participant_list", "badges"])
def test_real_worker_renders_an_event_document(
    postgres, task_worker, organiser, organization, kind
):
    """With REDIS_URL a real Celery worker renders it; without, the eager default does."""
    event = make_event(organiser, capacity=5)
    register(event, make_member(organization, full_name="Worker Attendee"), organization)

    job = jobs.report_request(kind=kind, target=event, by=organiser)

    assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == "done", timeout=90)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        assert "Worker Attendee" in " ".join(pdf_text(handle.read()).split())
