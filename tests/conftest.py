"""Fixtures shared by the whole suite.

Tests run on whatever DATABASE_URL / REDIS_URL point at: SQLite and eager tasks by
default, PostgreSQL and a real Celery worker in CI.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection

from organizations.models import Role

from .factories import make_organization, make_sector, make_user

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip a test whose environment is missing, except under CI, where it is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def wait_for(predicate: Callable[[], object], *, timeout: float = 15.0, interval: float = 0.05):
    """Poll until ``predicate()`` is truthy; a real worker finishes tasks asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@pytest.fixture(autouse=True)
def _forget_rate_limits():
    """Start every test with allauth's rate-limit counters at zero.

    Every request from the browser comes from 127.0.0.1, and allauth counts failed
    logins per IP in the default cache for five minutes. With REDIS_URL that cache
    outlives the test run, so counters left by an earlier run (or by a test that checks
    the limit) would lock later logins out. Only the rate-limit keys are deleted: the
    same Redis database holds the Celery broker's queues, which ``cache.clear()``
    (FLUSHDB) would wipe from under the running worker.
    """
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        for key in client.scan_iter(match=f"{prefix}:*:allauth:rl:*"):
            client.delete(key)
        client.close()
    else:
        cache.clear()


@pytest.fixture
def postgres(db):
    """Require PostgreSQL (row locks, concurrent connections)."""
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, django_db_blocker):
    """One real Celery worker thread for the session when REDIS_URL is set; else eager tasks."""
    if not settings.REDIS_URL:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    from clustermissions.celery import app

    app.control.purge()
    with (
        django_db_blocker.unblock(),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker,
    ):
        yield worker


@pytest.fixture
def task_worker(_celery_worker_session, transactional_db):
    """Run tasks the way production does: a real worker with Redis, in-process without.

    Tests using it run in real transactions, so ``transaction.on_commit`` fires and the
    worker (another thread, its own connection) sees the committed rows. Before the test's
    rows are flushed, the worker finishes what the test queued, so no task of this test
    runs (and sends email) during the next one.
    """
    yield _celery_worker_session
    if _celery_worker_session is not None:
        tasks_settled()


def tasks_settled(*, timeout: float = 60.0) -> bool:
    """Wait until the session's worker has nothing queued, reserved or running.

    A test with the real worker that clears ``mail.outbox`` first waits for the emails of
    what it did before (creating a visit emails its host), or they land after the clear.
    Idle must be seen on three polls in a row: between taking a message from Redis and
    registering it as reserved, the worker is briefly in neither place.
    """
    if not settings.REDIS_URL:
        return True
    from celery.worker import state

    from clustermissions.celery import app

    def idle() -> bool:
        with app.connection_for_read() as connection:
            queued = connection.default_channel.client.llen(app.conf.task_default_queue)
        return not queued and not state.active_requests and not state.reserved_requests

    streak = 0

    def settled() -> bool:
        nonlocal streak
        streak = streak + 1 if idle() else 0
        return streak >= 3

    return bool(wait_for(settled, timeout=timeout))


def outbox_cleared() -> None:
    """Empty ``mail.outbox`` once the worker has sent what earlier steps queued."""
    tasks_settled()
    mail.outbox.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_worker(request, monkeypatch):
    """Run tasks in this process unless the test asks for the real worker (``task_worker``).

    With REDIS_URL set, a task queued by a test that did not start the worker would wait in
    Redis, and the session's worker thread, once some later test starts it, would run it
    against another test's data: emails in the wrong outbox, none in the right one. Tests of
    a task's own logic inside the test's transaction need it in-process anyway, since a
    worker would not see the uncommitted rows. The worker path is tested with ``task_worker``.
    """
    from celery._state import _set_task_join_will_block

    from clustermissions.celery import app

    if "task_worker" not in request.fixturenames:
        monkeypatch.setattr(app.conf, "task_always_eager", True)
        monkeypatch.setattr(app.conf, "task_eager_propagates", True)
    yield
    # Celery marks "a join would block" in one process-wide flag, set and restored around
    # every eager task. Two threads running eager tasks at once (the live server's request
    # threads in a browser test) can restore it crosswise and leave it set, and every later
    # ``result.get()`` in the session then fails with "Never call result.get() within a
    # task". Each test ends with the flag as a fresh process has it.
    _set_task_join_will_block(False)


@pytest.fixture
def organiser(db):
    return make_user("organiser@test.example.org", roles=(Role.ORGANISER,))


@pytest.fixture
def staff_member(db):
    return make_user("staff@test.example.org", roles=(Role.STAFF,))


@pytest.fixture
def reviewer(db):
    return make_user("reviewer@test.example.org", roles=(Role.REVIEWER,))


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example.org", roles=(Role.US_APPLICANT,))


@pytest.fixture
def cluster_manager(db):
    return make_user(
        "manager@test.example.org",
        roles=(Role.EU_CLUSTER_MANAGER,),
        home_time_zone="Europe/Copenhagen",
    )


@pytest.fixture
def other_user(db):
    return make_user("someone.else@test.example.org")


@pytest.fixture
def sector(db):
    return make_sector("Clean tech")


@pytest.fixture
def organization(db, cluster_manager, sector):
    return make_organization("Cluster CLEAN", manager=cluster_manager, sectors=(sector,))
