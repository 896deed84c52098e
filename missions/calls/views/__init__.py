"""Views of calls, by audience: the public and applicants (``public``, ``applicant``),
reviewers (``review``), the call's organisers (``manage``, ``selecting``, ``setup``).

Each is a ``common.views`` view: it finds its object among those the reader may see
(anything else is a 404), validates a form, calls one service, redirects or renders.
"""

from .applicant import (
    ApplicationView,
    ApplicationWithdrawView,
    AttachmentDeleteView,
    AttachmentDownloadView,
    AttachmentUploadView,
)
from .manage import (
    ManageApplicationListView,
    ManageApplicationView,
    ManageAssignView,
    ManageExportView,
    ReviewerSearchView,
)
from .public import ApplicationStartView, CallDetailView, CallListView
from .review import ReviewConflictView, ReviewListView, ReviewView
from .selecting import (
    ManageDecisionsSendView,
    ManageDecisionsView,
    ManageDecisionTemplateView,
    ManageRankingView,
)
from .setup import CallCreateView, CallSetupView, CallUpdateView

__all__ = [
    "ApplicationStartView",
    "ApplicationView",
    "ApplicationWithdrawView",
    "AttachmentDeleteView",
    "AttachmentDownloadView",
    "AttachmentUploadView",
    "CallCreateView",
    "CallDetailView",
    "CallListView",
    "CallSetupView",
    "CallUpdateView",
    "ManageApplicationListView",
    "ManageApplicationView",
    "ManageAssignView",
    "ManageDecisionTemplateView",
    "ManageDecisionsSendView",
    "ManageDecisionsView",
    "ManageExportView",
    "ManageRankingView",
    "ReviewConflictView",
    "ReviewerSearchView",
    "ReviewListView",
    "ReviewView",
]
