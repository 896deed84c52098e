"""Attachments: checked by content, limited in size and number, never left half-stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from missions.calls import services, uploads
from missions.calls.models import Attachment

from .factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes, upload


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF_BYTES, "letter.pdf", uploads.PDF),
        (docx_bytes(), "letter.docx", uploads.DOCX),
        (PNG_BYTES, "logo.png", uploads.PNG),
        (JPEG_BYTES, "photo.JPG", uploads.JPEG),
    ],
)
def test_accepted_kinds_are_stored_under_a_generated_name(
    application_a, applicant_a, private_media, content, name, content_type
):
    attachment = services.attachment_add(
        application=application_a, by=applicant_a, upload=upload(content, name)
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert name not in attachment.file.name
    files = stored_files(private_media)
    assert len(files) == 1
    assert files[0].read_bytes() == content


ABUSE = [
    ("executable renamed .pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "setup.pdf", "not a PDF"),
    ("HTML named .png", b"<!DOCTYPE html><script>alert(1)</script>", "image.png", "not a PDF"),
    ("empty file", b"", "empty.pdf", "is empty"),
    (
        "one byte over 10 MB",
        PDF_BYTES + b"0" * (uploads.MAX_SIZE - len(PDF_BYTES) + 1),
        "big.pdf",
        "larger than 10 MB",
    ),
    ("path in the name", PDF_BYTES, "../../etc/letter.pdf", "folder path"),
    ("Windows path in the name", PDF_BYTES, "C:\\Users\\x\\letter.pdf", "folder path"),
    ("a plain ZIP named .docx", b"PK\x03\x04" + b"\x00" * 50, "letter.docx", "not a PDF"),
    ("a PDF named .png", PDF_BYTES, "letter.png", "name says otherwise"),
]


@pytest.mark.parametrize(("case", "content", "name", "message"), ABUSE, ids=[a[0] for a in ABUSE])
def test_upload_abuse_is_refused_with_a_message_and_nothing_stored(
    application_a, applicant_a, private_media, case, content, name, message
):
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(
            application=application_a, by=applicant_a, upload=upload(content, name)
        )
    assert not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_exactly_10_mb_is_accepted(application_a, applicant_a):
    content = PDF_BYTES + b"0" * (uploads.MAX_SIZE - len(PDF_BYTES))
    attachment = services.attachment_add(
        application=application_a, by=applicant_a, upload=upload(content, "big.pdf")
    )
    assert attachment.size == uploads.MAX_SIZE


def test_a_sixth_file_is_refused_and_not_stored(application_a, applicant_a, private_media):
    for number in range(5):
        services.attachment_add(
            application=application_a, by=applicant_a, upload=upload(PDF_BYTES, f"f{number}.pdf")
        )
    with pytest.raises(ValidationError, match="at most 5 files"):
        services.attachment_add(
            application=application_a, by=applicant_a, upload=upload(PDF_BYTES, "sixth.pdf")
        )
    assert Attachment.objects.count() == 5
    assert len(stored_files(private_media)) == 5


def test_another_applicant_cannot_attach(application_a, applicant_b, private_media):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.attachment_add(
            application=application_a, by=applicant_b, upload=upload(PDF_BYTES, "x.pdf")
        )
    assert stored_files(private_media) == []


def test_deleting_an_attachment_removes_its_file(
    application_a, applicant_a, private_media, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        application=application_a, by=applicant_a, upload=upload(PDF_BYTES, "x.pdf")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, by=applicant_a)
    assert stored_files(private_media) == []
    assert not Attachment.objects.exists()
