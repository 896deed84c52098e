"""Everything that changes calls, applications, reviews and decisions.

Views, tasks and the demo seed call these functions. Each checks who may act, owns its
transaction, locks the rows it consumes and records every status change (StatusChange).
The deadline is judged inside the transaction with ``timezone.now()``: what the client
sends about time is never trusted, and a refused request stores nothing.
"""

from ._common import DEFAULT_TEMPLATES, EDITABLE, TRANSITIONS
from .applications import (
    application_save_draft,
    application_shortlist,
    application_start,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_delete,
    clean_answers,
)
from .calls import (
    call_create,
    call_update,
    criterion_add,
    criterion_delete,
    decision_template_update,
    question_add,
    question_delete,
    quota_delete,
    quota_set,
)
from .decisions import (
    decision_email_send,
    decisions_prepare,
    decisions_send,
    describe_violation,
    place_unfilled_notify,
    proposal_refusal,
    selection_propose,
    submission_email_send,
)
from .review import (
    conflict_declare,
    conflict_of_interest,
    reviewer_assign,
    reviewers_assign_round_robin,
    scores_submit,
)

__all__ = [
    "DEFAULT_TEMPLATES",
    "EDITABLE",
    "TRANSITIONS",
    "application_save_draft",
    "application_shortlist",
    "application_start",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "call_create",
    "call_update",
    "clean_answers",
    "conflict_declare",
    "conflict_of_interest",
    "criterion_add",
    "criterion_delete",
    "decision_email_send",
    "decision_template_update",
    "decisions_prepare",
    "decisions_send",
    "describe_violation",
    "place_unfilled_notify",
    "proposal_refusal",
    "question_add",
    "question_delete",
    "quota_delete",
    "quota_set",
    "reviewer_assign",
    "reviewers_assign_round_robin",
    "scores_submit",
    "selection_propose",
    "submission_email_send",
]
