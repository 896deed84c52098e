"""Schedule all: the database → the pure scheduling core → meetings, and publishing agendas.

The flow:

1. ``schedule_run_start`` (organiser) records a queued ``ScheduleRun`` and enqueues
   ``task_schedule_run`` after commit (in-process without ``REDIS_URL``).
2. ``schedule_run_execute`` (the task) claims the run once, builds an ``Instance`` from the
   accepted requests (``schedule_instance``), calls ``schedule_solve``, then applies the
   result in one transaction with the session row locked: meetings get their slot and
   table, the run its weight, bound, ratio and each left-out request's reason in words.
   A run that is not queued any more returns at once, so a retried task changes nothing.
3. ``schedule_publish`` (organiser) moves the session to "agendas published", stamps the
   placed meetings and emails every participant with meetings, after commit, once.

Published meetings stay exactly where they are (they go to the core as locked meetings)
unless the organiser allows moves; then they go as the previous schedule, which the core
keeps wherever it can, and the run reports how many moved or were dropped.
"""

from .changes import meeting_notify_changed
from .instance import HAPPENED, SCHEDULABLE, Built, person_name, reason_in_words, schedule_instance
from .meetings import meeting_mark, meeting_place, meeting_unlock
from .publishing import agendas_notify, schedule_publish
from .runs import (
    ACTIVE_RUN,
    SCHEDULE_PHASES,
    default_time_limit,
    schedule_run_execute,
    schedule_run_start,
)

__all__ = [
    "ACTIVE_RUN",
    "HAPPENED",
    "SCHEDULABLE",
    "SCHEDULE_PHASES",
    "Built",
    "agendas_notify",
    "default_time_limit",
    "meeting_mark",
    "meeting_notify_changed",
    "meeting_place",
    "meeting_unlock",
    "person_name",
    "reason_in_words",
    "schedule_instance",
    "schedule_publish",
    "schedule_run_execute",
    "schedule_run_start",
]
