"""Views of programmes, partnerships and outcomes, by URL tree (``programmes``,
``partnerships``, ``outcomes``: mounted at /programmes/, /partnerships/ and /outcomes/).

Thin views on ``common.views``: each declares its permission and finds its object among
those the reader may see (else 404), validates a form, calls one service, redirects.
"""

from .outcomes import (
    OutcomeDecideView,
    OutcomeDetailView,
    OutcomeEvidenceView,
    OutcomeListView,
    OutcomeQueueView,
    OutcomeReportView,
)
from .partnerships import (
    PartnershipChangeDecideView,
    PartnershipChangeProposeView,
    PartnershipCreateView,
    PartnershipDetailView,
    PartnershipListView,
    PartnershipMapView,
    PartnershipQueueView,
    PartnershipValidateView,
)
from .programmes import (
    ProgrammeCreateView,
    ProgrammeDetailView,
    ProgrammeFeedView,
    ProgrammeFigureCsvView,
    ProgrammeFiguresView,
    ProgrammeLinkView,
    ProgrammeListView,
    ProgrammeUpdateView,
)

__all__ = [
    "OutcomeDecideView",
    "OutcomeDetailView",
    "OutcomeEvidenceView",
    "OutcomeListView",
    "OutcomeQueueView",
    "OutcomeReportView",
    "PartnershipChangeDecideView",
    "PartnershipChangeProposeView",
    "PartnershipCreateView",
    "PartnershipDetailView",
    "PartnershipListView",
    "PartnershipMapView",
    "PartnershipQueueView",
    "PartnershipValidateView",
    "ProgrammeCreateView",
    "ProgrammeDetailView",
    "ProgrammeFeedView",
    "ProgrammeFigureCsvView",
    "ProgrammeFiguresView",
    "ProgrammeLinkView",
    "ProgrammeListView",
    "ProgrammeUpdateView",
]
