"""What an uploaded attachment really is, judged by its content, never by its name.

Only PDF, DOCX, PNG and JPEG are accepted. A DOCX is a ZIP archive holding
``word/document.xml``; any other archive (or an ``.exe`` renamed ``.pdf``, or HTML named
``.png``) is refused. The name a browser sends is kept only for display, after checking
that it holds no path.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024
MAX_PER_APPLICATION = 5
MAX_NAME_LENGTH = 150

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"

EXTENSIONS = {PDF: (".pdf",), DOCX: (".docx",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    extension: str
    size: int


def sniff(upload) -> str | None:
    """The content type the bytes say, or None when they are none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def clean_name(name: str | None) -> str:
    """The displayed name: no path, no control characters, not empty, not too long."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError(_("The file has no name."), code="no_name")
    if "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise ValidationError(
            _("The file name must not contain a folder path: “%(name)s”."),
            params={"name": name[:100]},
            code="path_in_name",
        )
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, extension = os.path.splitext(name)
    if len(name) > MAX_NAME_LENGTH:
        name = stem[: MAX_NAME_LENGTH - len(extension)] + extension
    return name


def check_upload(upload) -> CheckedUpload:
    """Refuse anything but a non-empty PDF, DOCX, PNG or JPEG of at most 10 MB whose name
    ends as its content says. Raises ValidationError with a message for the applicant."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": name}, code="empty")
    if size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB."), params={"name": name}, code="too_large"
        )
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, DOCX, PNG or JPEG file."),
            params={"name": name},
            code="type",
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s file but its name says otherwise; rename it %(ext)s."),
            params={
                "name": name,
                "kind": EXTENSIONS[content_type][0].lstrip(".").upper(),
                "ext": EXTENSIONS[content_type][0],
            },
            code="extension",
        )
    return CheckedUpload(name, content_type, extension, size)
