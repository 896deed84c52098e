from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("mine/", views.MyRegistrationsView.as_view(), name="mine"),
    path("new/", views.EventCreateView.as_view(), name="create"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration"),
    path(
        "registrations/<int:pk>/cancel/",
        views.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path(
        "registrations/<int:pk>/accept/",
        views.RegistrationAcceptOfferView.as_view(),
        name="registration_accept",
    ),
    path(
        "registrations/<int:pk>/calendar.ics",
        views.RegistrationCalendarView.as_view(),
        name="registration_calendar",
    ),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.EventUpdateView.as_view(), name="edit"),
    path("<slug:slug>/edit/status/", views.EventStatusView.as_view(), name="status"),
    path("<slug:slug>/edit/agenda/", views.AgendaEditView.as_view(), name="agenda"),
    path(
        "<slug:slug>/edit/agenda/<int:pk>/delete/",
        views.AgendaItemDeleteView.as_view(),
        name="agenda_delete",
    ),
    path("<slug:slug>/register/", views.RegisterView.as_view(), name="register"),
    path("<slug:slug>/participants/", views.ParticipantListView.as_view(), name="participants"),
    path("<slug:slug>/manage/", views.ManageRegistrationsView.as_view(), name="manage"),
    path("<slug:slug>/manage/capacity/", views.CapacityView.as_view(), name="capacity"),
    path(
        "<slug:slug>/manage/attendees.csv", views.AttendeesCsvView.as_view(), name="attendees_csv"
    ),
    path("<slug:slug>/manage/check-in/", views.CheckInView.as_view(), name="check_in"),
]
