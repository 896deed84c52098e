"""`make run` serves on PORT and sets SITE_URL from it (email links), unless SITE_URL is set."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_sets_site_url_from_port_unless_set():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in dry_run
    assert "export SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in dry_run
    assert "runserver 127.0.0.1:8123" in dry_run
