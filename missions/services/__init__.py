"""Everything that changes missions, itineraries and delegations.

Views, the demo seed and tasks call these functions. Each owns its transaction, checks
who may act, validates (``full_clean()``) and refuses naive datetimes. When an item of a
published mission changes, a change-log entry is written and one task is enqueued after
commit to tell every delegate and affected host contact, once.
"""

from .changelog import change_notify
from .delegation import delegation_member_add, delegation_member_remove, feed_token_rotate
from .hosts import visit_accept_proposal, visit_confirm, visit_propose_time
from .itinerary import (
    day_create,
    day_delete,
    day_update,
    item_create,
    item_delete,
    item_move,
    item_update,
    items_reorder,
)
from .mission import (
    STATUS_TRANSITIONS,
    mission_create,
    mission_duplicate,
    mission_publish,
    mission_set_status,
    mission_update,
)

__all__ = [
    "STATUS_TRANSITIONS",
    "change_notify",
    "day_create",
    "day_delete",
    "day_update",
    "delegation_member_add",
    "delegation_member_remove",
    "feed_token_rotate",
    "item_create",
    "item_delete",
    "item_move",
    "item_update",
    "items_reorder",
    "mission_create",
    "mission_duplicate",
    "mission_publish",
    "mission_set_status",
    "mission_update",
    "visit_accept_proposal",
    "visit_confirm",
    "visit_propose_time",
]
