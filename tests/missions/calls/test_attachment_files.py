"""Attachment files do not outlive their records: deleting an attachment, its application
or its call removes the stored file once the deletion is committed, and a deletion that
rolls back removes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from missions.calls import services
from missions.calls.models import Application, Attachment, Call, private_storage

from .factories import PDF_BYTES, PNG_BYTES, upload


class Rollback(Exception):
    pass


def _attach(application, name: str = "letter.pdf", content: bytes = PDF_BYTES) -> Path:
    attachment = services.attachment_add(
        application=application, by=application.contact, upload=upload(content, name)
    )
    return Path(private_storage.path(attachment.file.name))


@pytest.fixture
def files(application_a, application_b):
    """Two files of application A, one of application B, all on disk."""
    paths = [
        _attach(application_a, "letter.pdf"),
        _attach(application_a, "logo.png", PNG_BYTES),
        _attach(application_b, "support.pdf"),
    ]
    assert all(path.is_file() for path in paths)
    return paths


def test_deleting_an_attachment_through_the_service_removes_its_file_after_commit(
    files, application_a, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.filter(application=application_a).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.attachment_delete(attachment=attachment, by=application_a.contact)
        # Not yet committed: the file is still there.
        assert files[0].is_file()
    assert len(callbacks) == 1
    assert [path.is_file() for path in files] == [False, True, True]


def test_deleting_an_application_removes_its_files_after_commit(
    files, application_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Application.objects.get(pk=application_a.pk).delete()
        assert all(path.is_file() for path in files)
    assert [path.is_file() for path in files] == [False, False, True]
    assert Attachment.objects.count() == 1


def test_deleting_a_call_removes_every_file_of_its_applications_after_commit(
    files, call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Call.objects.filter(pk=call.pk).delete()
    assert [path.is_file() for path in files] == [False, False, False]
    assert not Attachment.objects.exists()


def test_a_deletion_that_rolls_back_keeps_the_files(
    files, call, application_a, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.filter(application=application_a).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for delete in (
            lambda: services.attachment_delete(attachment=attachment, by=application_a.contact),
            lambda: Application.objects.get(pk=application_a.pk).delete(),
            lambda: Call.objects.get(pk=call.pk).delete(),
        ):
            with pytest.raises(Rollback), transaction.atomic():
                delete()
                raise Rollback
    assert callbacks == []
    assert all(path.is_file() for path in files)
    assert Attachment.objects.count() == 3


def test_a_refused_deletion_keeps_the_file(
    files, call, application_a, applicant_b, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.filter(application=application_a).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(PermissionDenied):
            services.attachment_delete(attachment=attachment, by=applicant_b)
        with (
            time_machine.travel(call.closes_at + dt.timedelta(minutes=1), tick=False),
            pytest.raises(ValidationError, match="deadline has passed"),
        ):
            services.attachment_delete(attachment=attachment, by=application_a.contact)
    assert files[0].is_file()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_file_already_gone_does_not_stop_the_deletion(
    files, application_a, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.filter(application=application_a).order_by("pk").first()
    files[0].unlink()
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, by=application_a.contact)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert [path.is_file() for path in files] == [False, True, True]


@pytest.mark.django_db(transaction=True)
def test_in_real_transactions_the_file_goes_on_commit_and_stays_on_rollback(
    files, call, application_b
):
    support = files[2]
    with pytest.raises(Rollback), transaction.atomic():
        Call.objects.get(pk=call.pk).delete()
        raise Rollback
    assert support.is_file()
    assert Application.objects.filter(pk=application_b.pk).exists()
    with transaction.atomic():
        Call.objects.get(pk=call.pk).delete()
        assert support.is_file()  # inside the transaction: not yet
    assert [path.is_file() for path in files] == [False, False, False]
