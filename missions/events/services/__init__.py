"""Everything that changes events, agendas and registrations.

Views, the demo seed and tasks call these functions. Each owns its transaction, checks who
may act and validates before saving. Every function that takes or frees a seat first locks
the event row (``SELECT ... FOR UPDATE``), then counts the seats held, then writes: two
registrations for the last seat queue on that lock instead of both seeing it free
(``_common._lock_event``). Reads (seats held, waiting-list position, why registration is
closed) are in ``missions.events.selectors``.
"""

from ._common import (
    EVENT_DATETIME_FIELDS,
    EVENT_FIELDS,
    MAX_ANSWER_LENGTH,
    ONE_LIVE_REGISTRATION,
    RESERVED_SLUGS,
    SEAT_CHECK,
    SEAT_CHECK_MESSAGE,
)
from .decisions import (
    APPROVABLE,
    REJECTABLE,
    DecisionResult,
    registration_check_in,
    registrations_decide,
)
from .emails import registration_notify, registrations_mark_notified
from .events import (
    agenda_item_add,
    agenda_item_delete,
    event_cancel,
    event_create,
    event_publish,
    event_set_capacity,
    event_update,
    question_add,
)
from .registrations import (
    offers_expire,
    registration_accept_offer,
    registration_cancel,
    registration_create,
)

__all__ = [
    "APPROVABLE",
    "EVENT_DATETIME_FIELDS",
    "EVENT_FIELDS",
    "MAX_ANSWER_LENGTH",
    "ONE_LIVE_REGISTRATION",
    "REJECTABLE",
    "RESERVED_SLUGS",
    "SEAT_CHECK",
    "SEAT_CHECK_MESSAGE",
    "DecisionResult",
    "agenda_item_add",
    "agenda_item_delete",
    "event_cancel",
    "event_create",
    "event_publish",
    "event_set_capacity",
    "event_update",
    "offers_expire",
    "question_add",
    "registration_accept_offer",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "registration_notify",
    "registrations_decide",
    "registrations_mark_notified",
]
