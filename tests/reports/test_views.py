"""The reports pages: a URL × role matrix, the status endpoint, downloads, badges, the
organisers' texts and the home's query count."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from missions.models import DelegationMember
from organizations.models import Role, User
from reports.models import ReportJob, ReportText

from ..factories import make_user
from ..missions.events.factories import make_event, make_member, register
from .factories import make_report_mission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a stored report\n%%EOF\n"


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def done_job(target, kind="mission_report", **fields) -> ReportJob:
    job = ReportJob(
        kind=kind,
        target_key=ReportJob.key_for(target),
        fingerprint=f"fingerprint-{ReportJob.objects.count()}",
        status=ReportJob.Status.DONE,
        progress=100,
        pages=1,
        **fields,
    )
    if kind in ReportJob.MISSION_KINDS:
        job.mission = target
    elif hasattr(target, "event"):
        job.registration, job.event = target, target.event
    else:
        job.event = target
    job.file.save(
        f"{kind}/{job.target_key.replace(':', '-')}/test.pdf", ContentFile(PDF), save=False
    )
    job.save()
    return job


@pytest.fixture
def world(organiser):
    """A mission with one delegate and a done report; another organiser with their own."""
    mission = make_report_mission(organiser)
    delegate = DelegationMember.objects.get(delegation__mission=mission).user
    other_organiser = make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))
    make_report_mission(other_organiser, title="Their own mission")
    admin = User.objects.create_superuser("admin@test.example.org", "correct-horse-battery")
    return {
        "mission": mission,
        "job": done_job(mission),
        "anonymous": None,
        "delegate": delegate,
        "organiser": organiser,
        "other organiser": other_organiser,
        "staff": make_user("staff@test.example.org", roles=(Role.STAFF,)),
        "admin": admin,
    }


ROLES = ["anonymous", "delegate", "organiser", "other organiser", "staff", "admin"]

# Expected status per role: "login" is a redirect to the login page.
MATRIX = {
    "home": ["login", 403, 200, 200, 200, 200],
    "job": ["login", 404, 200, 404, 200, 200],
    "job_status": ["login", 404, 200, 404, 200, 200],
    "download": ["login", 404, 200, 404, 200, 200],
    "texts": ["login", 404, 200, 404, 404, 200],
    "survey_results": ["login", 404, 200, 404, 200, 200],
}


def url_for(name: str, world) -> str:
    mission, job = world["mission"], world["job"]
    if name == "home":
        return reverse("reports:home")
    if name in ("job", "job_status", "download"):
        return reverse(f"reports:{name}", args=[job.pk])
    return reverse(f"reports:{name}", args=["mission", mission.pk])


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_url_role_matrix(client, world, name, role_index):
    role = ROLES[role_index]
    if world[role] is not None:
        client.force_login(world[role])

    response = client.get(url_for(name, world))

    expected = MATRIX[name][role_index]
    if expected == "login":
        assert login_redirect(response)
    else:
        assert response.status_code == expected, role


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("delegate", 404),
        ("other organiser", 404),
        ("staff", 302),
        ("organiser", 302),
        ("admin", 302),
    ],
)
def test_request_permissions(client, world, role, expected, django_capture_on_commit_callbacks):
    if world[role] is not None:
        client.force_login(world[role])
    url = reverse("reports:request", args=["mission", world["mission"].pk])

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"kind": "delegation_booklet", "page_size": "a4"})

    if expected == "login":
        assert login_redirect(response)
    else:
        assert response.status_code == expected
    asked = ReportJob.objects.filter(kind="delegation_booklet").count()
    assert asked == (1 if expected == 302 else 0)


def test_request_with_junk_changes_nothing(client, world):
    client.force_login(world["staff"])
    url = reverse("reports:request", args=["mission", world["mission"].pk])

    response = client.post(url, {"kind": "everything", "page_size": "a0"}, follow=True)

    assert "Choose a document and a page size." in response.content.decode()
    assert ReportJob.objects.count() == 1
    assert client.post(reverse("reports:request", args=["planet", 1]), {}).status_code == 404


def test_staff_request_leads_to_the_job_page(client, world):
    client.force_login(world["staff"])
    url = reverse("reports:request", args=["mission", world["mission"].pk])

    response = client.post(url, {"kind": "mission_report", "page_size": "letter"})

    job = ReportJob.objects.get(page_size="letter")
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    status = json.loads(client.get(reverse("reports:job_status", args=[job.pk])).content)
    assert status["status"] in ("queued", "done")  # the test transaction holds on_commit


def test_status_endpoint_reports_progress_and_the_download(client, world):
    client.force_login(world["organiser"])
    job = world["job"]

    status = json.loads(client.get(reverse("reports:job_status", args=[job.pk])).content)

    assert status == {
        "status": "done",
        "status_label": "Done",
        "progress": 100,
        "error": "",
        "pages": 1,
        "download_url": reverse("reports:download", args=[job.pk]),
    }


def test_failed_job_page_shows_the_reason_and_a_retry_button(client, world):
    job = world["job"]
    ReportJob.objects.filter(pk=job.pk).update(
        status="failed", error="The file could not be written (No space left on device)."
    )
    client.force_login(world["organiser"])

    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()

    assert "The file could not be written (No space left on device)." in page
    assert reverse("reports:retry", args=[job.pk]) in page
    assert "<script>" not in page  # the page's script is a static file (CSP)


def test_download_serves_the_stored_file(client, world):
    client.force_login(world["staff"])

    response = client.get(reverse("reports:download", args=[world["job"].pk]))

    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_participant_downloads_only_their_own_badge(client, organiser, organization):
    event = make_event(organiser, capacity=5)
    alice, bob = make_member(organization), make_member(organization)
    alice_registration = register(event, alice, organization)
    bob_registration = register(event, bob, organization)
    alice_badge = done_job(alice_registration, kind="badges")
    bob_badge = done_job(bob_registration, kind="badges")
    event_badges = done_job(event, kind="badges")
    client.force_login(alice)

    assert client.get(reverse("reports:download", args=[alice_badge.pk])).status_code == 200
    assert client.get(reverse("reports:download", args=[bob_badge.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[event_badges.pk])).status_code == 404
    own = reverse("reports:badge_request", args=[alice_registration.pk])
    other = reverse("reports:badge_request", args=[bob_registration.pk])
    assert client.post(other).status_code == 404
    assert client.post(own).status_code == 302


def test_a_delegate_cannot_download_the_mission_report(client, world):
    client.force_login(world["delegate"])

    assert client.get(reverse("reports:download", args=[world["job"].pk])).status_code == 404


def test_organiser_writes_the_report_texts(client, world):
    client.force_login(world["organiser"])
    url = reverse("reports:texts", args=["mission", world["mission"].pk])

    response = client.post(
        url, {"summary": "It went well.", "roundtable_summary": "", "conclusions": "More."}
    )

    assert response.status_code == 302
    text = ReportText.objects.get(mission=world["mission"])
    assert (text.summary, text.conclusions, text.updated_by) == (
        "It went well.",
        "More.",
        world["organiser"],
    )
    too_long = client.post(
        url, {"summary": "x" * 10_001, "roundtable_summary": "", "conclusions": ""}
    )
    assert too_long.status_code == 400
    assert ReportText.objects.get(mission=world["mission"]).summary == "It went well."


def test_home_lists_latest_and_older_versions(client, world):
    mission = world["mission"]
    older = world["job"]
    newer = done_job(mission)
    ReportJob.objects.filter(pk=newer.pk).update(version=2)
    client.force_login(world["staff"])

    page = client.get(reverse("reports:home")).content.decode()

    assert reverse("reports:download", args=[newer.pk]) in page
    assert reverse("reports:download", args=[older.pk]) in page
    assert "Their own mission" in page  # staff see every mission
    assert "Report texts" not in page  # the organisers write them


def test_organiser_home_shows_only_their_missions(client, world):
    client.force_login(world["organiser"])

    page = client.get(reverse("reports:home")).content.decode()

    assert world["mission"].title in page
    assert "Their own mission" not in page
    assert reverse("reports:texts", args=["mission", world["mission"].pk]) in page


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count(client, staff_member, organiser, count, django_assert_num_queries):
    for number in range(count):
        mission = make_report_mission(organiser, title=f"Mission {number}")
        done_job(mission)
        event = make_event(organiser, title=f"Event {number}")
        done_job(event, kind="participant_list")
    client.force_login(staff_member)

    # Session, user, roles, missions and their organisers, events and theirs, jobs.
    with django_assert_num_queries(8):
        response = client.get(reverse("reports:home"))
    assert response.status_code == 200


def test_delegation_members_see_no_reports_link(client, world):
    client.force_login(world["delegate"])
    assert reverse("reports:home") not in client.get("/").content.decode()
    client.force_login(world["staff"])
    assert reverse("reports:home") in client.get("/").content.decode()
