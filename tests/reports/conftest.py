"""Fixtures of the reports tests: files go to a temporary private folder."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def report_files(root) -> list:
    """Every file under the reports folder, partial ones included."""
    folder = root / "reports"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    """Ask for a document and run what is enqueued after commit (the rendering), as the
    eager default does outside a test transaction."""
    from reports.services import jobs

    def ask(**kwargs):
        kwargs.setdefault("by", None)
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.report_request(**kwargs)
        job.refresh_from_db()
        return job

    return ask
