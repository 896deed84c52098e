"""Command line: `python -m matchmaking.scheduling solve INSTANCE.json [--time-limit S]
[--previous SCHEDULE.json]`.

Prints the schedule JSON on stdout and `placed=.. weight=.. bound=.. ratio=.. seconds=..` on
stderr. An invalid instance or previous schedule exits with status 2 and names the problem.
"""

from __future__ import annotations

import argparse
import json
import sys

from .io import InvalidInstance, instance_loads, schedule_loads, schedule_to_dict
from .solve import DEFAULT_TIME_LIMIT, schedule_solve


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInstance(f"cannot read {path}: {error}") from error


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m matchmaking.scheduling", description="Schedule accepted meeting requests."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="schedule an instance (shared JSON format)")
    solve.add_argument("instance")
    solve.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        help=f"seconds to search at most (default {DEFAULT_TIME_LIMIT:g})",
    )
    solve.add_argument("--previous", help="the published schedule to keep as much of as possible")
    solve.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(argv)

    try:
        instance = instance_loads(_read(arguments.instance))
        previous = schedule_loads(_read(arguments.previous)) if arguments.previous else None
    except InvalidInstance as error:
        print(f"invalid instance: {error}", file=sys.stderr)
        return 2
    if arguments.time_limit <= 0:
        print("invalid arguments: --time-limit must be positive", file=sys.stderr)
        return 2
    result = schedule_solve(
        instance, time_limit=arguments.time_limit, previous=previous, seed=arguments.seed
    )
    json.dump(schedule_to_dict(result.schedule), sys.stdout)
    sys.stdout.write("\n")
    summary = (
        f"placed={len(result.schedule.meetings)} weight={result.weight} "
        f"bound={result.bound:.0f} ratio={result.ratio:.4f} "
        f"seconds={result.seconds:.2f} bound_kind={result.bound_kind} "
        f"proven_optimal={str(result.proven_optimal).lower()} "
        f"unplaced={len(result.unplaced)}"
    )
    if previous is not None:
        summary += f" moved={result.moved} dropped={result.dropped}"
    print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
