"""Concurrent uploads cannot exceed 5 files: the application row lock serialises them.

PostgreSQL only (SQLite serialises every write anyway). The negative control removes the
lock and shows the sixth file getting in.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from missions.calls import services
from missions.calls.models import Application, Attachment, private_storage
from missions.calls.services import applications as application_services

from .factories import PDF_BYTES, upload


def _race(application, user) -> list[str]:
    """Two uploads at once, each made to pause after counting the files so far."""
    barrier = threading.Barrier(2)
    original_save = private_storage.save
    outcomes: list[str] = []

    def paused_save(*args, **kwargs):
        # With the lock, the other upload never gets here: the wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return original_save(*args, **kwargs)

    def attach(number: int) -> None:
        try:
            services.attachment_add(
                application=application, by=user, upload=upload(PDF_BYTES, f"race{number}.pdf")
            )
            outcomes.append("stored")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    private_storage.save = paused_save
    try:
        threads = [threading.Thread(target=attach, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        private_storage.save = original_save
    return sorted(outcomes)


@pytest.fixture
def four_files(postgres, transactional_db, application_a, applicant_a):
    for number in range(4):
        services.attachment_add(
            application=application_a, by=applicant_a, upload=upload(PDF_BYTES, f"{number}.pdf")
        )
    return application_a


def test_two_uploads_at_once_never_make_six(four_files, applicant_a):
    assert _race(four_files, applicant_a) == ["refused", "stored"]
    assert Attachment.objects.filter(application=four_files).count() == 5


def test_negative_control_without_the_lock_six_get_in(four_files, applicant_a, monkeypatch):
    monkeypatch.setattr(
        application_services,
        "_lock",
        lambda application: Application.objects.select_related("call").get(pk=application.pk),
    )
    assert _race(four_files, applicant_a) == ["stored", "stored"]
    assert Attachment.objects.filter(application=four_files).count() == 6
