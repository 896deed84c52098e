"""Report jobs: one file per data version, idempotent rendering, killed workers, retries,
and a real Celery worker end to end."""

from __future__ import annotations

import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from missions.models import ItineraryItem
from organizations.models import Role
from reports.models import ReportJob
from reports.services import jobs
from reports.services.texts import report_text_update
from reports.tasks import task_report_render

from ..conftest import wait_for
from ..factories import make_user
from ..missions.factories import make_visit
from .conftest import report_files
from .factories import make_report_mission

pytestmark = pytest.mark.django_db

Status = ReportJob.Status


def test_unchanged_data_returns_the_same_file_without_rendering(organiser, render, private_files):
    mission = make_report_mission(organiser)
    first = render(kind="mission_report", target=mission)
    files_after_first = report_files(private_files)

    again = render(kind="mission_report", target=mission)

    assert again.pk == first.pk
    assert again.file.name == first.file.name
    # Counted from the outside: still one job and one file, so nothing was rendered.
    assert ReportJob.objects.count() == 1
    assert report_files(private_files) == files_after_first
    assert len(files_after_first) == 1


def test_changed_itinerary_gives_a_new_version_and_keeps_the_old(organiser, render):
    mission = make_report_mission(organiser)
    first = render(kind="mission_report", target=mission)
    day = mission.days.get()
    make_visit(organiser, day, [ItineraryItem.objects.get(day=day).hosts.get()], "17:00", "18:00")

    second = render(kind="mission_report", target=mission)

    assert (first.version, second.version) == (1, 2)
    assert second.status == Status.DONE
    assert second.fingerprint != first.fingerprint
    assert first.file.storage.exists(first.file.name)
    assert second.file.storage.exists(second.file.name)


def test_a_changed_text_gives_a_new_version(organiser, render):
    mission = make_report_mission(organiser)
    render(kind="mission_report", target=mission)
    report_text_update(
        target=mission, by=organiser, summary="Ours.", roundtable_summary="", conclusions=""
    )

    assert render(kind="mission_report", target=mission).version == 2


def test_duplicate_execution_ends_with_one_file_and_status_done(organiser, private_files):
    mission = make_report_mission(organiser)
    job = jobs.report_request(kind="mission_report", target=mission, by=None)  # not run yet

    first = jobs.report_render(job=job)
    second = jobs.report_render(job=job)
    task_report_render.apply(kwargs={"job_id": job.pk})

    job.refresh_from_db()
    assert (first.status, second.status, job.status) == (Status.DONE,) * 3
    assert job.attempts == 1
    assert len(report_files(private_files)) == 1


def test_a_worker_killed_mid_render_is_rerun_to_one_complete_file(organiser, private_files):
    mission = make_report_mission(organiser)
    job = jobs.report_request(kind="mission_report", target=mission, by=None)
    # The state a worker killed halfway leaves: the job running, a partial temp file.
    ReportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, progress=50, attempts=1)
    folder = private_files / "reports" / "mission_report" / f"mission-{mission.pk}"
    folder.mkdir(parents=True)
    partial = folder / ".partial-killed.pdf"
    partial.write_bytes(b"%PDF-1.7 half a document")
    # Killed well over the task's hard time limit ago.
    an_hour_ago = time.time() - 3600
    os.utime(partial, (an_hour_ago, an_hour_ago))

    # acks_late: the broker hands the task to another worker, which runs it again.
    task_report_render.apply(kwargs={"job_id": job.pk})

    job.refresh_from_db()
    assert job.status == Status.DONE
    assert job.attempts == 2
    files = report_files(private_files)
    assert [f.name for f in files] == [os.path.basename(job.file.name)]
    content = files[0].read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    import hashlib

    assert hashlib.sha256(content).hexdigest() == job.checksum


def test_task_for_a_deleted_job_does_nothing(db):
    assert task_report_render.apply(kwargs={"job_id": 999_999}).get() == "gone"


def test_failed_job_keeps_its_reason_and_can_be_retried(organiser, render, settings, tmp_path):
    mission = make_report_mission(organiser)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings.PRIVATE_MEDIA_ROOT = blocker

    failed = render(kind="mission_report", target=mission)

    assert failed.status == Status.FAILED
    assert failed.error.startswith("The file could not be written")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    done = ReportJob.objects.create(
        kind="mission_report",
        mission=mission,
        target_key=f"mission:{mission.pk}",
        fingerprint="another version",
        status=Status.DONE,
    )
    with pytest.raises(ValidationError):
        jobs.report_retry(job=done, by=organiser)
    jobs.report_retry(job=failed, by=organiser)
    jobs.report_render(job=failed)
    failed.refresh_from_db()
    assert failed.status == Status.DONE
    assert failed.error == ""


def test_a_document_is_asked_for_only_by_staff_or_its_organisers(organiser, applicant, render):
    mission = make_report_mission(organiser)
    other_organiser = make_user(roles=(Role.ORGANISER,))

    with pytest.raises(ValidationError):
        jobs.report_request(kind="mission_report", target=mission, by=applicant)
    with pytest.raises(ValidationError):
        jobs.report_request(kind="mission_report", target=mission, by=other_organiser)
    with pytest.raises(ValidationError):
        jobs.report_request(kind="participant_list", target=mission, by=organiser)
    with pytest.raises(ValidationError):
        jobs.report_request(kind="mission_report", target=mission, page_size="a3", by=organiser)
    assert ReportJob.objects.count() == 0


def test_real_worker_renders_a_report_end_to_end(postgres, task_worker, organiser):
    """With REDIS_URL a real Celery worker renders it; without, the eager default does."""
    mission = make_report_mission(organiser, days=2, visits_per_day=2, delegates=2)

    job = jobs.report_request(kind="mission_report", target=mission, by=organiser)

    assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == Status.DONE, timeout=90)
    job.refresh_from_db()
    assert job.pages >= 8
    assert job.progress == 100
    with job.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a4_and_letter_of_the_same_data_share_the_version(organiser, render):
    mission = make_report_mission(organiser)
    a4 = render(kind="mission_report", target=mission, page_size="a4")
    letter = render(kind="mission_report", target=mission, page_size="letter")

    assert (a4.version, letter.version) == (1, 1)
    assert a4.fingerprint == letter.fingerprint
    assert a4.file.name != letter.file.name


def test_data_changed_back_to_a_rendered_version_fails_the_job_with_a_reason(organiser, render):
    """The one-done-per-fingerprint rule refuses the second file of one data version."""
    mission = make_report_mission(organiser)
    first = render(kind="mission_report", target=mission)
    texts = {"roundtable_summary": "", "conclusions": ""}
    report_text_update(target=mission, by=organiser, summary="New.", **texts)
    queued = jobs.report_request(kind="mission_report", target=mission, by=None)
    # Back to the first version's data before the worker gets to the queued job.
    report_text_update(target=mission, by=organiser, summary="", **texts)

    rendered = jobs.report_render(job=queued)

    assert rendered.status == Status.FAILED
    assert rendered.error == "The data changed while this document was being made; ask again."
    assert list(ReportJob.objects.filter(status=Status.DONE)) == [first]


def _refuse_done_jobs_in_the_database() -> None:
    """Another rule of the database than the one report_render expects (test side only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The job's foreign keys are checked at commit; ALTER TABLE wants none pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE reports_reportjob ADD CONSTRAINT report_job_test_rule "
                "CHECK (status <> 'done') NOT VALID"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER report_job_test_rule BEFORE UPDATE ON reports_reportjob "
                "WHEN NEW.status = 'done' BEGIN SELECT RAISE(ABORT, 'report_job_test_rule'); END"
            )


def test_another_integrity_error_is_raised_and_the_job_fails(organiser, private_files):
    mission = make_report_mission(organiser)
    job = jobs.report_request(kind="mission_report", target=mission, by=None)
    _refuse_done_jobs_in_the_database()

    with pytest.raises(IntegrityError):
        jobs.report_render(job=job)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error.startswith("The document could not be made:")
    assert not job.checksum
