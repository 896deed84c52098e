"""Everything that changes programmes, partnerships and outcomes.

Views, tasks and the demo call these functions; each owns its transaction, checks who may
act and validates before saving.
"""

from .outcomes import (
    DUPLICATE_WINDOW,
    outcome_reject,
    outcome_report,
    outcome_verify,
    outcomes_from_meetings,
)
from .partnerships import (
    partnership_change_decide,
    partnership_change_propose,
    partnership_create,
    partnership_member_set,
    partnership_set_status,
)
from .programmes import (
    programme_create,
    programme_link_activity,
    programme_partner_set,
    programme_unlink_activity,
    programme_update,
)

__all__ = [
    "DUPLICATE_WINDOW",
    "outcome_reject",
    "outcome_report",
    "outcome_verify",
    "outcomes_from_meetings",
    "partnership_change_decide",
    "partnership_change_propose",
    "partnership_create",
    "partnership_member_set",
    "partnership_set_status",
    "programme_create",
    "programme_link_activity",
    "programme_partner_set",
    "programme_unlink_activity",
    "programme_update",
]
