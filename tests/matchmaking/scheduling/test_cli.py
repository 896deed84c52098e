"""The command line: a schedule on stdout, a summary on stderr, status 2 for invalid input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaking.scheduling.check import schedule_violations
from matchmaking.scheduling.io import instance_from_dict, schedule_from_dict

REPO_ROOT = Path(__file__).resolve().parents[3]


def valid_instance() -> dict:
    return {
        "name": "cli",
        "slots": [{"id": "s1", "tables": 2}, {"id": "s2", "tables": 1}],
        "participants": [
            {"id": "a", "available": ["s1", "s2"]},
            {"id": "b", "available": ["s1", "s2"], "max_meetings": 2},
            {"id": "c", "available": ["s2"]},
        ],
        "requests": [
            {"id": "ab", "participants": ["a", "b"], "weight": 2},
            {"id": "bc", "participants": ["b", "c"]},
            {"id": "abc", "participants": ["a", "b", "c"], "weight": 0},
        ],
        "locked": [{"request": "ab", "slot": "s1", "table": 2}],
    }


def run_cli(tmp_path: Path, instance: dict | str, *extra: str) -> subprocess.CompletedProcess:
    path = tmp_path / "instance.json"
    path.write_text(instance if isinstance(instance, str) else json.dumps(instance))
    return subprocess.run(
        [sys.executable, "-m", "matchmaking.scheduling", "solve", str(path), *extra],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


def test_cli_solve_prints_schedule_and_summary(tmp_path):
    done = run_cli(tmp_path, valid_instance(), "--time-limit", "5")

    assert done.returncode == 0, done.stderr
    schedule = schedule_from_dict(json.loads(done.stdout))
    assert schedule_violations(instance_from_dict(valid_instance()), schedule) == []
    assert sorted((m.request, m.slot, m.table) for m in schedule.meetings) == [
        ("ab", "s1", 2),
        ("bc", "s2", 1),
    ]
    assert done.stderr.startswith("placed=2 weight=3 bound=3 ratio=1.0000 seconds=")
    assert "proven_optimal=true" in done.stderr


def test_cli_solve_with_previous_reports_moves(tmp_path):
    previous = tmp_path / "previous.json"
    previous.write_text(
        json.dumps(
            {
                "meetings": [
                    {"request": "ab", "slot": "s1", "table": 2},
                    {"request": "bc", "slot": "s2", "table": 1},
                ]
            }
        )
    )

    done = run_cli(tmp_path, valid_instance(), "--previous", str(previous))

    assert done.returncode == 0, done.stderr
    assert "moved=0 dropped=0" in done.stderr


def _mutated(change) -> dict:
    data = valid_instance()
    change(data)
    return data


INVALID = {
    "unknown participant": (
        _mutated(lambda d: d["requests"].append({"id": "ax", "participants": ["a", "x"]})),
        "request ax: unknown participant 'x'",
    ),
    "unknown slot in availability": (
        _mutated(lambda d: d["participants"][0]["available"].append("s9")),
        "participant a: unknown slot 's9'",
    ),
    "unknown locked request": (
        _mutated(lambda d: d["locked"].append({"request": "zz", "slot": "s2", "table": 1})),
        "unknown request 'zz'",
    ),
    "unknown locked slot": (
        _mutated(lambda d: d["locked"].__setitem__(0, {"request": "ab", "slot": "s7", "table": 1})),
        "unknown slot 's7'",
    ),
    "locked outside availability": (
        _mutated(lambda d: d["locked"].append({"request": "bc", "slot": "s1", "table": 1})),
        "outside availability of c",
    ),
    "two locked meetings at one table": (
        _mutated(
            lambda d: d["locked"].extend(
                [
                    {"request": "bc", "slot": "s2", "table": 1},
                    {"request": "abc", "slot": "s2", "table": 1},
                ]
            )
        ),
        "two locked meetings at one table",
    ),
    "locked table out of range": (
        _mutated(lambda d: d["locked"].__setitem__(0, {"request": "ab", "slot": "s1", "table": 3})),
        "table out of range 1..2",
    ),
    "locked attendee double-booked": (
        _mutated(
            lambda d: (
                d["locked"].append({"request": "abc", "slot": "s1", "table": 1})
                or d["participants"][2]["available"].append("s1")
            )
        ),
        "a is also in locked meeting 'ab' in that slot",
    ),
    "locked beyond limit": (
        _mutated(lambda d: d["participants"][1].__setitem__("max_meetings", 0)),
        "locked meetings exceed max_meetings=0 of b",
    ),
    "negative weight": (
        _mutated(lambda d: d["requests"][1].__setitem__("weight", -1)),
        "request bc: negative weight -1",
    ),
    "fractional weight": (
        _mutated(lambda d: d["requests"][1].__setitem__("weight", 1.5)),
        "request bc: weight must be an integer",
    ),
    "negative tables": (
        _mutated(lambda d: d["slots"][0].__setitem__("tables", -1)),
        "slot s1: 'tables' must be a non-negative integer",
    ),
    "duplicate id": (
        _mutated(lambda d: d["participants"].append({"id": "a", "available": []})),
        "duplicate id 'a'",
    ),
    "one-person request": (
        _mutated(lambda d: d["requests"].append({"id": "solo", "participants": ["a"]})),
        "request solo: needs at least two participants",
    ),
    "missing slots": (_mutated(lambda d: d.pop("slots")), "instance: missing 'slots'"),
    "participant that is not an id": (
        _mutated(lambda d: d["requests"].append({"id": "ax", "participants": ["a", ["b"]]})),
        "request ax: unknown participant ['b']",
    ),
    "malformed JSON": ('{"slots": [', "malformed JSON in instance"),
    "not an object": ("[]", "instance must be a JSON object"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_cli_solve_invalid_instance_exits_2_naming_the_problem(case, tmp_path):
    instance, message = INVALID[case]

    done = run_cli(tmp_path, instance)

    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr
    assert done.stderr.startswith("invalid instance: ")


def test_cli_solve_malformed_previous_exits_2(tmp_path):
    previous = tmp_path / "previous.json"
    previous.write_text('{"meetings": [{"request": "ab"}]}')

    done = run_cli(tmp_path, valid_instance(), "--previous", str(previous))

    assert done.returncode == 2
    assert "schedule meeting #0: needs string 'request' and 'slot', integer 'table'" in done.stderr


def test_cli_solve_missing_file_exits_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "matchmaking.scheduling", "solve", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )

    assert done.returncode == 2
    assert "cannot read" in done.stderr


def test_scheduling_package_imports_no_django_and_no_solver_eagerly():
    # The core must stay usable outside Django, and the slow solver imports stay lazy.
    code = (
        "import sys, matchmaking.scheduling.__main__, matchmaking.scheduling.solve;"
        "print(sorted(m for m in ('django', 'ortools', 'scipy') if m in sys.modules))"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )

    assert done.stdout.strip() == "[]"
