"""The environment decides the settings: each variable is read the way the README says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "name": str(s.DATABASES["default"]["NAME"]),
    "cache": s.CACHES["default"]["BACKEND"],
    "broker": s.CELERY_BROKER_URL,
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "email": s.EMAIL_BACKEND,
    "email_host": getattr(s, "EMAIL_HOST", ""),
    "use_tz": s.USE_TZ,
    "time_zone": s.TIME_ZONE,
}))
"""


def settings_with(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="clustermissions.settings.base")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def defaults() -> dict:
    return settings_with()


def test_without_environment_sqlite_under_var_and_tasks_in_process(defaults):
    assert defaults["engine"] == "django.db.backends.sqlite3"
    assert defaults["name"] == str(ROOT / "var" / "db.sqlite3")
    assert defaults["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert defaults["eager"] is True
    assert defaults["email"] == "django.core.mail.backends.console.EmailBackend"


def test_time_is_stored_in_utc(defaults):
    assert defaults["use_tz"] is True
    assert defaults["time_zone"] == "UTC"


def test_database_url_selects_postgresql():
    values = settings_with(DATABASE_URL="postgres://someone@db.internal:5432/missions")

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "missions"


def test_redis_url_makes_redis_the_broker_and_cache_and_tasks_asynchronous():
    values = settings_with(REDIS_URL="redis://cache.internal:6379/2")

    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["eager"] is False


def test_email_url_selects_smtp():
    values = settings_with(EMAIL_URL="smtp+tls://user:secret@smtp.example.org:587")

    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "smtp.example.org"
