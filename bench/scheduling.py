#!/usr/bin/env python3
"""Benchmark the meeting scheduler against the shared instances, checker and a greedy baseline.

For every size, variant and seed it generates the instance with the shared `generate.py`,
runs `python -m matchmaking.scheduling solve` in its own process (so its wall time and peak
memory are its own), runs a greedy first-fit baseline (requests in input order, first slot
that fits), checks both schedules with the shared `check.py`, and prints one table row:
ratios are weight / bound where the bound and the verdict are `check.py`'s, not ours.

    python bench/scheduling.py [--sizes small,medium,large] [--variants bip70,...]
                               [--seeds 1,2,3] [--time-limit S] [--work-dir DIR]
                               [--seats-and-kinds]

`--seats-and-kinds` adds the optional fields of FORMAT.md to each generated instance
(deterministically from its name): delegations of 1-3 people, tables of 2-8 seats, and
B2B/C2C kinds on requests and on half of the slots; rows are then named `...-sk`.

The benchmark's generate.py and check.py are not part of this repository: point
`CLUSTERMISSIONS_SHARED_BENCH` (or `--shared-dir`) at the directory that holds them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ("small", "medium", "large")
VARIANTS = ("bip70", "bip100", "gen70", "frag40", "c2c70")


def shared_dir(argument: str = "") -> Path:
    """Where the benchmark's generate.py and check.py live (argument, else the variable)."""
    return Path(argument or os.environ.get("CLUSTERMISSIONS_SHARED_BENCH", "") or "/nonexistent")


def check(shared: Path, instance: Path, schedule: Path) -> dict[str, str]:
    """Run the shared checker; returns its key=value pairs, or {'infeasible': message}."""
    done = subprocess.run(
        [sys.executable, str(shared / "check.py"), str(instance), str(schedule)],
        capture_output=True,
        text=True,
        check=False,
    )
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()
    if done.returncode != 0:
        return {"infeasible": line}
    return dict(re.findall(r"(\w+)=(\S+)", line))


def solve(
    instance: Path, schedule: Path, time_limit: float | None
) -> tuple[float, float, float, str]:
    """Run our CLI in a child process; returns (wall s, CPU s, peak MB, its summary line).

    CPU seconds are reported beside wall seconds because a shared machine's load stretches
    wall time; CP-SAT may use both cores, so CPU time can exceed wall time.
    """
    command = [sys.executable, "-m", "matchmaking.scheduling", "solve", str(instance)]
    if time_limit is not None:
        command += ["--time-limit", str(time_limit)]
    started = time.monotonic()
    with open(schedule, "w") as out, open(schedule.with_suffix(".log"), "w") as log:
        child = subprocess.Popen(command, stdout=out, stderr=log, cwd=ROOT)
        # wait4 reports the rusage of this child alone, hence its own peak memory.
        _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    summary = schedule.with_suffix(".log").read_text().strip().splitlines()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"solver failed on {instance}: {summary}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, summary[-1] if summary else ""


def baseline(instance: Path, schedule: Path) -> None:
    """Greedy first-fit, written as a schedule file."""
    sys.path.insert(0, str(ROOT))
    from matchmaking.scheduling.io import instance_loads, schedule_to_dict
    from matchmaking.scheduling.solve import greedy_baseline

    result = greedy_baseline(instance_loads(instance.read_text()))
    schedule.write_text(json.dumps(schedule_to_dict(result)))


def add_seats_and_kinds(data: dict, seed: str) -> dict:
    """The instance with people, table seats and kinds added (see the module docstring)."""
    import random

    rng = random.Random(seed)
    for person in data["participants"]:
        person["people"] = rng.choice((1, 1, 1, 2, 3))
    for slot in data["slots"]:
        slot["table_seats"] = [rng.choice((2, 4, 4, 6, 8)) for _ in range(slot["tables"])]
        if rng.random() < 0.5:
            slot["kinds"] = [rng.choice(("b2b", "c2c"))]
    for request in data["requests"]:
        request["kind"] = "c2c" if len(request["participants"]) > 2 else rng.choice(("b2b", "c2c"))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="passed to the solver (default: the solver's own default)",
    )
    parser.add_argument(
        "--work-dir",
        default="/tmp/scheduling-bench",
        help="where instances and schedules are written",
    )
    parser.add_argument(
        "--seats-and-kinds",
        action="store_true",
        help="add people, table seats and kinds to every instance (rows named ...-sk)",
    )
    parser.add_argument("--shared-dir", default="", help="directory of generate.py and check.py")
    arguments = parser.parse_args()
    shared = shared_dir(arguments.shared_dir)
    if not (shared / "generate.py").exists():
        print(
            "generate.py and check.py not found: pass --shared-dir or set"
            " CLUSTERMISSIONS_SHARED_BENCH",
            file=sys.stderr,
        )
        return 2
    work = Path(arguments.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    print("$ " + shlex.join([sys.executable, *sys.argv]))
    print(f"# load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = (
        f"{'instance':<21} {'people':>6} {'requests':>8} {'bound':>8} {'weight':>8} "
        f"{'ratio':>7} {'seconds':>7} {'cpu s':>6} {'peak MB':>7} {'proven':>6} "
        f"{'greedy':>7}"
    )
    print(header)
    print("-" * len(header), flush=True)
    for size in arguments.sizes.split(","):
        for variant in arguments.variants.split(","):
            for seed in arguments.seeds.split(","):
                name = f"{size}-{variant}-s{seed}"
                instance = work / f"{name}.json"
                if not instance.exists():
                    subprocess.run(
                        [
                            sys.executable,
                            str(shared / "generate.py"),
                            size,
                            variant,
                            seed,
                            str(instance),
                        ],
                        check=True,
                    )
                if arguments.seats_and_kinds:
                    data = add_seats_and_kinds(json.loads(instance.read_text()), name)
                    name = f"{name}-sk"
                    instance = work / f"{name}.json"
                    instance.write_text(json.dumps(data))
                data = json.loads(instance.read_text())
                ours, greedy = work / f"{name}.schedule.json", work / f"{name}.greedy.json"
                seconds, cpu, peak, summary = solve(instance, ours, arguments.time_limit)
                verdict = check(shared, instance, ours)
                baseline(instance, greedy)
                greedy_verdict = check(shared, instance, greedy)
                if "infeasible" in verdict or "infeasible" in greedy_verdict:
                    print(f"{name}: INFEASIBLE ours={verdict} greedy={greedy_verdict}")
                    return 1
                proven = "yes" if "proven_optimal=true" in summary else "no"
                print(
                    f"{name:<21} {len(data['participants']):>6} {len(data['requests']):>8} "
                    f"{float(verdict['bound']):>8.0f} {verdict['weight']:>8} "
                    f"{verdict['ratio']:>7} {seconds:>7.1f} {cpu:>6.1f} {peak:>7.0f} {proven:>6} "
                    f"{greedy_verdict['ratio']:>7}",
                    flush=True,
                )
    print(f"# load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
