"""Pure-Python meeting scheduling core: no Django here, plain data in and out.

Callers use `schedule_solve` with an `Instance` (read JSON with `io.instance_loads`).
"""

from .io import InvalidInstance
from .model import Instance, Meeting, Participant, Reason, Request, Result, Schedule, Slot
from .solve import schedule_solve

__all__ = [
    "Instance",
    "InvalidInstance",
    "Meeting",
    "Participant",
    "Reason",
    "Request",
    "Result",
    "Schedule",
    "Slot",
    "schedule_solve",
]
