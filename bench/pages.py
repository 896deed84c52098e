#!/usr/bin/env python3
"""Benchmark the main pages against a bare view, at 1x and Nx the demo's data.

For each scale it uses an SQLite database under ``var/bench/`` (``x1.sqlite3``,
``x100.sqlite3``…), building a missing one with ``migrate``, ``seed_demo`` and
``seed_demo --scale N``. It then serves the project with gunicorn (``--workers`` sync
workers, ``DEBUG=False``, the project's middleware) under ``bench.settings_bench``, whose
only change is ``/__bare__/``: a view returning "ok" in the same process and middleware,
the ceiling every page is compared with.

Each page is loaded by ``--connections`` threads for ``--seconds`` seconds (``http.client``
against 127.0.0.1 only; a new connection per request, as gunicorn's sync workers close
it), anonymous or signed in as the demo organiser (a session made in the database and
sent as its cookie). The table gives, per page: the queries of one request (Django test
client, same database), the p50 and p99 of ``--single`` requests made one at a time with
nothing else running ("alone": the issue's "a single request under 150 ms at p99"), then
under load: requests a second, the share of the bare view's requests a second, and p50 /
p99 latency. Any answer other than 200 is counted and shown.

    python bench/pages.py [--scales 1,100] [--seconds 5] [--connections 4] [--workers 2]
                          [--single 30]

It serves a snapshot of the committed code (``git archive HEAD`` under ``var/bench/``),
unless ``--tree``. The machine's load average is printed with the table: on a shared
machine throughput is only comparable within one run (compare the share of the bare view).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent
BENCH_DIR = TREE / "var" / "bench"
ROOT = TREE  # the code served: a snapshot of HEAD unless --tree (see snapshot())
PYTHON = sys.executable
SETTINGS = "bench.settings_bench"
ORGANISER = "organiser@example.org"


def snapshot() -> Path:
    """The committed code (``git archive HEAD``) in ``var/bench/src-<commit>``: a working
    tree that people are editing may be half-way through a change when a worker starts."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=TREE,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dest = BENCH_DIR / f"src-{commit}"
    if not dest.exists():
        partial = BENCH_DIR / f"src-{commit}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "HEAD"], cwd=TREE, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive.stdout, check=True)
        partial.rename(dest)
    return dest


def database_url(scale: int) -> str:
    return f"sqlite:///{BENCH_DIR / f'x{scale}.sqlite3'}"


def environment(scale: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        VAR_DIR=str(TREE / "var"),
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url(scale),
        DEBUG="False",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(scale: int, *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment(scale),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build(scale: int) -> None:
    """Build ``x<scale>.sqlite3`` if missing: the demo, then ``--scale`` on top of a copy."""
    path = BENCH_DIR / f"x{scale}.sqlite3"
    if path.exists():
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    base = BENCH_DIR / "x1.sqlite3"
    started = time.monotonic()
    if not base.exists():
        manage(1, "migrate", "-v0")
        manage(1, "seed_demo")
    if scale > 1:
        partial = path.with_suffix(".partial")
        shutil.copyfile(base, partial)
        partial.rename(path)
        try:
            manage(scale, "seed_demo", "--scale", str(scale))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    print(f"built {path.name} in {time.monotonic() - started:.0f} s", file=sys.stderr)


def pages_and_cookie(scale: int) -> tuple[list[tuple[str, str, bool]], str, dict[str, int]]:
    """The pages to measure (label, path, signed in), the organiser's session cookie, and
    each page's query count; run in a child process so Django is set up for that database."""
    code = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from matchmaking.models import Session
from missions.calls.models import Call
from missions.events.models import Event
from missions.models import Mission

demo = Mission.objects.exclude(slug__startswith="scale-")
mission = demo.filter(start_date__year=2018).order_by("pk").first()
call = Call.objects.filter(mission=mission).order_by("pk").first()
event = Event.objects.filter(starts_at__year=2018).order_by("pk").first()
session = Session.objects.filter(slug__contains="hannover").order_by("pk").first()
pages = [
    ("bare view", "/__bare__/", False),
    ("/", "/", False),
    ("/organisations/", reverse("organizations:list"), False),
    ("/calls/", reverse("calls:list"), False),
    ("/missions/", reverse("missions:list"), False),
    ("/events/", reverse("events:list"), False),
    ("2018 mission", reverse("missions:detail", args=[mission.slug]), False),
    ("its itinerary", reverse("missions:itinerary", args=[mission.slug]), False),
    ("2018 roundtable", reverse("events:detail", args=[event.slug]), False),
    ("/accounts/login/", reverse("account_login"), False),
    ("bare view", "/__bare__/", True),
    ("/ (organiser)", "/", True),
    ("/organisations/", reverse("organizations:list"), True),
    ("2018 mission", reverse("missions:detail", args=[mission.slug]), True),
    ("its change log", reverse("missions:changes", args=[mission.slug]), True),
    ("call management", reverse("calls:manage", args=[call.pk]), True),
    ("ranking", reverse("calls:ranking", args=[call.pk]), True),
    ("decisions", reverse("calls:decisions", args=[call.pk]), True),
    ("event management", reverse("events:manage", args=[event.slug]), True),
    ("check-in", reverse("events:check_in", args=[event.slug]), True),
    ("session participants", reverse("matchmaking:participants", args=[session.slug]), True),
]
organiser = get_user_model().objects.get(email=sys.argv[1])
anonymous, signed_in = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
signed_in.force_login(organiser)
queries = {}
for label, path, auth in pages:
    client = signed_in if auth else anonymous
    client.get(path)  # warm: caches, templates
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    queries[path + ("#auth" if auth else "")] = len(ctx) if status == 200 else -status
cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"pages": pages, "cookie": cookie, "queries": queries}))
"""
    import json

    out = subprocess.run(
        [PYTHON, "-c", code, ORGANISER],
        cwd=ROOT,
        env=environment(scale),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return [tuple(p) for p in data["pages"]], data["cookie"], data["queries"]


def free_port() -> int:
    """A port nobody listens on now: a fixed one met another server (a runserver left on it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(scale: int, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "clustermissions.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment(scale),
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/__bare__/", None)[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def get(port: int, path: str, cookie: str | None) -> tuple[int, float]:
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def percentile(values: list[float], p: float) -> float:
    """The ``p`` quantile of ``values`` (sorted), in ms; the greatest for p99 of fewer than
    100 values."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


def load(
    port: int, path: str, cookie: str | None, seconds: float, connections: int, single: int = 2
) -> dict:
    """``single`` requests one at a time, then ``connections`` threads request ``path`` back
    to back for ``seconds`` seconds."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    # Warm this page in every worker (templates, caches): a few requests at once, twice.
    for _round in range(2):
        warm = [threading.Thread(target=get, args=(port, path, cookie)) for _ in range(connections)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
    alone = sorted(get(port, path, cookie)[1] for _ in range(single))  # no contention
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        mine, bad = [], []
        while time.monotonic() < stop_at:
            try:
                status, latency = get(port, path, cookie)
            except OSError:
                bad.append(0)
                continue
            if status == 200:
                mine.append(latency)
            else:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "alone_p50": percentile(alone, 0.5),
        "alone_p99": percentile(alone, 0.99),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": percentile(latencies, 0.99),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100", help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--seconds", type=float, default=5.0, help="per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--single", type=int, default=30, help="requests one at a time per page (alone p50/p99)"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--only", default="", help="measure only pages whose label has this")
    parser.add_argument(
        "--tree", action="store_true", help="serve the working tree, not a snapshot of HEAD"
    )
    args = parser.parse_args()
    global ROOT
    if not args.tree:
        ROOT = snapshot()
    # A SIGTERM ends the run through ``finally``, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    command = "python bench/pages.py " + shlex.join(sys.argv[1:])
    for scale in [int(s) for s in args.scales.split(",")]:
        build(scale)
        pages, cookie, queries = pages_and_cookie(scale)
        port = args.port or free_port()
        process = serve(scale, port, args.workers)
        try:
            load(port, "/__bare__/", None, 2, args.connections)  # both workers warm
            rows = []
            bare = {}
            for label, path, auth in pages:
                if args.only and args.only not in label and path != "/__bare__/":
                    continue
                result = load(
                    port,
                    path,
                    cookie if auth else None,
                    args.seconds,
                    args.connections,
                    args.single,
                )
                if path == "/__bare__/":
                    bare[auth] = result["rps"]
                rows.append((label, path, auth, result))
        finally:
            stop(process)
        load1, load5, _load15 = os.getloadavg()
        print(
            f"\n## {scale}x the demo's data: {args.workers} gunicorn workers, "
            f"{args.connections} connections, {args.seconds:g} s per page, "
            f"load average {load1:.1f} / {load5:.1f} (1 / 5 min) on {os.cpu_count()} cores\n"
        )
        print(
            "| page | who | queries | alone p50 / p99 ms | requests/s | share of bare "
            "| p50 ms | p99 ms | errors |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for label, path, auth, r in rows:
            key = path + ("#auth" if auth else "")
            share = r["rps"] / bare[auth] if bare.get(auth) else float("nan")
            errors = ""
            if r["errors"]:
                kinds = sorted(set(r["errors"]))
                errors = f"{len(r['errors'])} ({', '.join(map(str, kinds))})"
            print(
                f"| {label} `{path}` | {'organiser' if auth else 'anonymous'} | "
                f"{queries.get(key, '')} | {r['alone_p50']:.0f} / {r['alone_p99']:.0f} | "
                f"{r['rps']:.1f} | {share:.3f} | "
                f"{r['p50']:.0f} | {r['p99']:.0f} | {errors} |"
            )
    print(f"\nCode: {'working tree' if args.tree else ROOT.name}. Reproduce: {command}")


if __name__ == "__main__":
    main()
