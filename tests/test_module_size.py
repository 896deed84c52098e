"""Modules stay small enough to read: past 500 lines a module becomes a package by concern
(as calls' views and services, events' services, matchmaking's models and scheduling
services, reports' gathering and programmes' views did). The scheduling core's solver is
left out: it is one algorithm."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 500


def test_no_module_of_the_apps_passes_500_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for app in ("missions", "organizations", "matchmaking")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and path.parent != ROOT / "matchmaking" / "scheduling"
        and (lines := len(path.read_text().splitlines())) > LIMIT
    }
    assert long == {}
