"""A screenshot gallery of the portal for review: `make screenshots`.

Builds a fresh SQLite database under var/screenshots/ with the demo data, serves it, logs in
as each demo user and saves the main pages at 1280 px and 390 px wide, then the documents
(badges, participant list, itinerary map) with the PDFs rendered to PNG by pdftoppm. The
folder is ignored by git (var/). Needs the system Chromium (/usr/bin/chromium) and poppler.

    .venv/bin/python scripts/screenshots.py [--out var/screenshots] [--port N] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo-password"  # noqa: S105 (the published demo accounts)
WIDTHS = (1280, 390)
USERS = ("organiser", "reviewer", "applicant", "manager", "host", "staff", "admin")
PUBLIC_PAGES = [
    "/",
    "/missions/",
    "/events/",
    "/calls/",
    "/organisations/",
    "/matchmaking/",
    "/programmes/",
    "/partnerships/",
    "/outcomes/",
]


def slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"


def prepare(env: dict, *, seed: bool = True) -> dict:
    """Migrate and seed the demo; returns the URLs of the demo objects the gallery visits."""
    if seed:
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    code = (
        "from missions.models import Mission; from missions.events.models import Event; "
        "from missions.calls.models import Call; from matchmaking.models import Session; "
        "m=Mission.objects.order_by('start_date').first(); "
        "l=Mission.objects.order_by('-start_date').first(); "
        "e=Event.objects.order_by('-starts_at').first(); c=Call.objects.order_by('-pk').first(); "
        "s=Session.objects.order_by('-pk').first(); "
        "print(m.slug, l.slug, e.slug, c.pk, s.slug if s else '-')"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-5:]
    first, live, event, call, session = out
    return {
        "mission_2018": f"/missions/{first}/",
        "mission_live": f"/missions/{live}/",
        "plan": f"/missions/{live}/plan/",
        "map": f"/missions/{first}/map.svg",
        "itinerary_print": f"/missions/{first}/print/",
        "event": f"/events/{event}/",
        "event_manage": f"/events/{event}/manage/",
        "badges_pdf": f"/events/{event}/manage/badges.pdf",
        "participants_pdf": f"/events/{event}/manage/participants.pdf",
        "call": f"/calls/{call}/",
        "call_manage": f"/calls/{call}/manage/",
        "ranking": f"/calls/{call}/manage/ranking/",
        "session": f"/matchmaking/{session}/" if session != "-" else "/matchmaking/",
        "participants": f"/matchmaking/{session}/participants/"
        if session != "-"
        else "/matchmaking/",
    }


ROLE_PAGES = {
    "anonymous": PUBLIC_PAGES + ["mission_2018", "event", "call"],
    "organiser": [
        "/",
        "plan",
        "event_manage",
        "call_manage",
        "ranking",
        "participants",
        "/reports/",
    ],
    "reviewer": ["/", "/calls/reviews/"],
    "applicant": ["/", "call", "/me/"],
    "manager": ["/", "event", "/events/mine/", "session"],
    "host": ["/", "/missions/host/"],
    "staff": ["/", "/organisations/review/", "/outcomes/review/", "/reports/"],
    "admin": ["/", "/admin/"],
}
DOCUMENTS = ["badges_pdf", "participants_pdf", "map", "itinerary_print"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 (our own http URL)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def shoot(base: str, urls: dict, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for role, pages in ROLE_PAGES.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            if role != "anonymous":
                page.goto(f"{base}/accounts/login/")
                page.get_by_label("Email").fill(f"{role}@example.org")
                page.get_by_label("Password").fill(PASSWORD)
                page.locator("main form button[type=submit]").first.click()
                page.wait_for_load_state("load")
            for name in pages:
                path = urls.get(name, name)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.goto(f"{base}{path}")
                    target = out / f"{role}--{slug_of(path)}--{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    saved.append(target)
            if role == "organiser":
                for name in DOCUMENTS:
                    path = urls[name]
                    if path.endswith(".pdf"):
                        response = context.request.get(f"{base}{path}")
                        pdf = out / f"document--{name}.pdf"
                        pdf.write_bytes(response.body())
                        subprocess.run(
                            [
                                "pdftoppm",
                                "-png",
                                "-r",
                                "60",
                                str(pdf),
                                str(out / f"document--{name}"),
                            ],
                            check=True,
                        )
                        saved.extend(sorted(out.glob(f"document--{name}*.png")))
                    else:
                        page.set_viewport_size({"width": 1280, "height": 900})
                        page.goto(f"{base}{path}")
                        target = out / f"document--{name}.png"
                        # An SVG document has no scrollable page: shoot the viewport.
                        page.screenshot(path=str(target), full_page=not path.endswith(".svg"))
                        saved.append(target)
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the seeded database of the last run"
    )
    args = parser.parse_args()
    out = Path(args.out)
    reuse = args.reuse and (out / "db.sqlite3").exists()
    if out.exists():
        for old in out.iterdir():
            if old.is_dir():
                shutil.rmtree(old)
            elif not (reuse and old.name == "db.sqlite3"):
                old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clustermissions.settings.base",
        "DATABASE_URL": f"sqlite:///{out / 'db.sqlite3'}",
        "DEBUG": "1",
    }
    env.pop("REDIS_URL", None)
    urls = prepare(env, seed=not reuse)
    port = args.port or free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/")
        if server.poll() is not None:
            raise SystemExit(f"the server could not start on port {port}")
        saved = shoot(base, urls, out)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"{len(saved)} images in {out}")


if __name__ == "__main__":
    main()
