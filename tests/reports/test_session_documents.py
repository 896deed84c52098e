"""A matchmaking session's print files as report jobs: every agenda in one file and the
table sheet, asked for from the organisers' pages, rendered in the worker, downloaded from
the job; the same file while the meetings are unchanged, a new version when they change."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from matchmaking.models import Meeting
from reports.models import ReportJob
from reports.services import gather, jobs

from ..conftest import wait_for
from ..factories import make_user
from ..matchmaking.factories import accept, make_participant, make_session, send
from ..matchmaking.test_agenda import place_all
from .conftest import pdf_text, report_files

pytestmark = pytest.mark.django_db

Kind = ReportJob.Kind
Status = ReportJob.Status
SESSION_KINDS = [Kind.MATCHMAKING_AGENDAS, Kind.TABLE_SHEET]


@pytest.fixture
def session(organiser):
    return make_session(organiser, title="EU-US cluster matchmaking")


@pytest.fixture
def alice(session):
    user = make_user("alice@test.example.org", full_name="Alice Weber")
    return make_participant(session, user, side="eu")


@pytest.fixture
def bob(session):
    return make_participant(
        session, make_user("bob@test.example.org", full_name="Bob Miller"), side="us"
    )


@pytest.fixture
def booked(session, alice, bob):
    request = accept(send(alice, bob))
    place_all(session, request)
    return request


def request_url(session) -> str:
    return reverse("reports:request", args=["session", session.pk])


def test_all_agendas_job_prints_one_agenda_per_participant(organiser, session, booked, render):
    job = render(kind=Kind.MATCHMAKING_AGENDAS, target=session, by=organiser)

    assert job.status == Status.DONE
    assert (job.session, job.target_key, job.pages) == (session, f"session:{session.pk}", 2)
    with job.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    assert "Alice Weber" in pages[0].extract_text()
    assert "Bob Miller" in pages[1].extract_text()


def test_table_sheet_job_is_landscape_and_says_who_sits_where(organiser, session, booked, render):
    job = render(kind=Kind.TABLE_SHEET, target=session, by=organiser, page_size="letter")

    with job.file.open("rb") as handle:
        content = handle.read()
    page = PdfReader(io.BytesIO(content)).pages[0]
    # US Letter across: 792 × 612 points.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (792, 612)
    text = pdf_text(content)
    assert "Table 1" in text and "Table 3" in text
    assert "Alice Weber" in text and "Bob Miller" in text


@pytest.mark.parametrize("kind", SESSION_KINDS)
def test_unchanged_meetings_reuse_the_file_and_a_new_meeting_gives_a_new_version(
    organiser, session, alice, bob, booked, render, private_files, kind
):
    first = render(kind=kind, target=session, by=organiser)
    files = report_files(private_files)

    again = render(kind=kind, target=session, by=organiser)

    assert again.pk == first.pk
    assert report_files(private_files) == files  # nothing rendered
    carol = make_participant(session, make_user(full_name="Carol Jones"), side="us")
    request = accept(send(alice, carol))
    slots = list(session.slots.order_by("starts_at"))
    Meeting.objects.filter(request=request).update(
        slot=slots[1], table=session.tables.order_by("pk").first(), status="scheduled"
    )

    second = render(kind=kind, target=session, by=organiser)

    assert (first.version, second.version) == (1, 2)
    assert second.fingerprint != first.fingerprint
    with second.file.open("rb") as handle:
        assert "Carol Jones" in pdf_text(handle.read())
    assert first.file.storage.exists(first.file.name)


def test_a_meeting_moved_to_another_table_changes_the_table_sheet(
    organiser, session, booked, render
):
    first = render(kind=Kind.TABLE_SHEET, target=session, by=organiser)
    Meeting.objects.filter(request=booked).update(table=session.tables.order_by("pk").last())

    assert render(kind=Kind.TABLE_SHEET, target=session, by=organiser).version == 2
    assert first.version == 1


@pytest.mark.parametrize("kind", SESSION_KINDS)
@pytest.mark.parametrize("count", [1, 3])
def test_session_documents_gather_in_a_fixed_number_of_queries(
    session, alice, count, kind, django_assert_num_queries
):
    partners = [
        make_participant(session, make_user(full_name=f"Partner {n}"), side="us")
        for n in range(count)
    ]
    place_all(session, *[accept(send(alice, partner)) for partner in partners])

    # the session, then the placed meetings with both sides and their sectors (and for the
    # sheet the tables and slots)
    with django_assert_num_queries(4 if kind == Kind.MATCHMAKING_AGENDAS else 6):
        data = gather.document_data(kind, session)

    if kind == Kind.MATCHMAKING_AGENDAS:
        assert len(data["agendas"]) == count + 1
    else:
        assert sum(1 for slot in data["slots"] for cell in slot["meetings"] if cell) == count


# --- pages ---------------------------------------------------------------------------------


def test_organiser_asks_from_the_pages_and_downloads_from_the_job(
    client, organiser, session, booked, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    dashboard = client.get(reverse("matchmaking:dashboard", args=[session.slug])).content
    sheet = client.get(reverse("matchmaking:table_sheet", args=[session.slug])).content
    assert request_url(session).encode() in dashboard
    assert b'value="matchmaking_agendas"' in dashboard
    assert b'value="table_sheet"' in sheet

    # Tasks run in-process here: the job is done when the page opens.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(session), {"kind": "table_sheet", "page_size": "a4"})

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:download", args=[job.pk]) in page
    assert reverse("matchmaking:dashboard", args=[session.slug]) in page
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert "Alice Weber" in pdf_text(content)
    assert f"{session.slug}-table-sheet-v1-a4.pdf" in download["Content-Disposition"]

    # Asked again with the meetings unchanged: the same job, with its file.
    again = client.post(request_url(session), {"kind": "table_sheet", "page_size": "a4"})
    assert again["Location"] == reverse("reports:job", args=[job.pk])
    assert ReportJob.objects.count() == 1


def test_old_in_request_pdf_addresses_are_gone(client, organiser, session):
    client.force_login(organiser)

    assert client.get(f"/matchmaking/{session.slug}/agendas.pdf").status_code == 404
    page = client.get(reverse("matchmaking:table_sheet", args=[session.slug]) + "?format=pdf")
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("participant", 404),
        ("other_organiser", 404),
        # Staff read every mission's and event's reports, not a session's print files:
        # these stay its organisers', as before they were jobs.
        ("staff", 404),
        ("organiser", 302),
    ],
)
def test_session_document_permissions(
    client, session, booked, alice, organiser, staff_member, role, expected, render
):
    made = render(kind=Kind.MATCHMAKING_AGENDAS, target=session, by=organiser)
    other = make_user("other.organiser@test.example.org", roles=("organiser",))
    make_session(other, title="Another session")
    users = {
        "anonymous": None,
        "participant": alice.user,
        "other_organiser": other,
        "staff": staff_member,
        "organiser": organiser,
    }
    if users[role] is not None:
        client.force_login(users[role])

    asked = client.post(request_url(session), {"kind": "table_sheet", "page_size": "a4"})
    job_page = client.get(reverse("reports:job", args=[made.pk]))
    download = client.get(reverse("reports:download", args=[made.pk]))
    status = client.get(reverse("reports:job_status", args=[made.pk]))

    if expected == "login":
        for response in (asked, job_page, download, status):
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert ReportJob.objects.count() == 1
    elif expected == 404:
        assert [r.status_code for r in (asked, job_page, download, status)] == [404] * 4
        assert ReportJob.objects.count() == 1
    else:
        assert asked.status_code == 302
        assert [r.status_code for r in (job_page, download, status)] == [200] * 3
        assert ReportJob.objects.filter(kind=Kind.TABLE_SHEET).count() == 1


def test_session_documents_are_refused_for_a_mission_or_event_kind(client, organiser, session):
    client.force_login(organiser)

    response = client.post(request_url(session), {"kind": "mission_report", "page_size": "a4"})

    assert response.status_code == 302
    assert response["Location"] == reverse("matchmaking:dashboard", args=[session.slug])
    assert ReportJob.objects.count() == 0


def test_a_session_has_no_report_texts_or_survey(client, organiser, session):
    client.force_login(organiser)

    for name in ("texts", "survey_results"):
        assert (
            client.get(reverse(f"reports:{name}", args=["session", session.pk])).status_code == 404
        )


@pytest.mark.parametrize("kind", SESSION_KINDS)
def test_real_worker_renders_a_session_document(postgres, task_worker, organiser, kind):
    """With REDIS_URL a real Celery worker renders it; without, the eager default does."""
    session = make_session(organiser, title="Worker matchmaking")
    alice = make_participant(session, make_user(full_name="Alice Worker"), side="eu")
    bob = make_participant(session, make_user(full_name="Bob Worker"), side="us")
    place_all(session, accept(send(alice, bob)))

    job = jobs.report_request(kind=kind, target=session, by=organiser)

    assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == Status.DONE, timeout=90)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        assert "Alice Worker" in pdf_text(handle.read())


def test_render_report_command_renders_a_session_document(organiser, session, booked, tmp_path):
    output = tmp_path / "agendas.pdf"

    call_command("render_report", "matchmaking_agendas", session.slug, "--output", str(output))

    assert "Bob Miller" in pdf_text(output.read_bytes())
    assert ReportJob.objects.get().requested_by is None


def test_job_page_lists_the_other_versions_of_its_document(
    client, organiser, session, alice, bob, booked, render
):
    first = render(kind=Kind.TABLE_SHEET, target=session, by=organiser)
    Meeting.objects.filter(request=booked).update(table=session.tables.order_by("pk").last())
    second = render(kind=Kind.TABLE_SHEET, target=session, by=organiser)
    render(kind=Kind.MATCHMAKING_AGENDAS, target=session, by=organiser)  # another document
    client.force_login(organiser)

    response = client.get(reverse("reports:job", args=[second.pk]))

    assert response.context["versions"] == [first]
    assert reverse("reports:job", args=[first.pk]) in response.content.decode()
