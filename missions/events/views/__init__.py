"""Views of events, by audience: the public and participants (``public``), one's own
registrations (``registrations``), the event's organisers (``manage``, ``editing``).

Each is a ``common.views`` view: it finds its object among those the reader may see
(anything else, an organiser page of someone else's event included, is a 404), validates a
form, calls one service, redirects or renders.
"""

from .editing import (
    AgendaEditView,
    AgendaItemDeleteView,
    EventCreateView,
    EventStatusView,
    EventUpdateView,
)
from .manage import (
    AttendeesCsvView,
    CapacityView,
    CheckInView,
    ManageRegistrationsView,
)
from .public import EventDetailView, EventListView, ParticipantListView, RegisterView
from .registrations import (
    MyRegistrationsView,
    RegistrationAcceptOfferView,
    RegistrationCalendarView,
    RegistrationCancelView,
    RegistrationDetailView,
)

__all__ = [
    "AgendaEditView",
    "AgendaItemDeleteView",
    "AttendeesCsvView",
    "CapacityView",
    "CheckInView",
    "EventCreateView",
    "EventDetailView",
    "EventListView",
    "EventStatusView",
    "EventUpdateView",
    "ManageRegistrationsView",
    "MyRegistrationsView",
    "ParticipantListView",
    "RegisterView",
    "RegistrationAcceptOfferView",
    "RegistrationCalendarView",
    "RegistrationCancelView",
    "RegistrationDetailView",
]
