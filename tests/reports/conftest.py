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
    """Ask for a document, then render it here, as the task would: no broker involved, so
    the same test runs with and without REDIS_URL (the real worker has its own tests)."""
    from reports.services import jobs

    def ask(**kwargs):
        kwargs.setdefault("by", None)
        with django_capture_on_commit_callbacks(execute=False):
            job = jobs.report_request(**kwargs)
        if not job.is_finished:
            job = jobs.report_render(job=job)
        job.refresh_from_db()
        return job

    return ask
