"""Matchmaking pages, under /matchmaking/. mmsched's schedule, agenda and dashboard pages
join this list as ``matchmaking:schedule``, ``matchmaking:agenda``, ``matchmaking:dashboard``."""

from django.urls import path

from .views import agenda, organiser, participants, requests, sessions

app_name = "matchmaking"

urlpatterns = [
    path("", sessions.SessionListView.as_view(), name="list"),
    path("new/", sessions.SessionCreateView.as_view(), name="create"),
    path("<slug:slug>/", sessions.SessionView.as_view(), name="session"),
    path("<slug:slug>/edit/", sessions.SessionEditView.as_view(), name="edit"),
    path("<slug:slug>/setup/", sessions.SetupView.as_view(), name="setup"),
    path("<slug:slug>/setup/days/", sessions.DayAddView.as_view(), name="day_add"),
    path(
        "<slug:slug>/setup/days/<int:pk>/delete/",
        sessions.DayDeleteView.as_view(),
        name="day_delete",
    ),
    path("<slug:slug>/setup/slots/", sessions.SlotAddView.as_view(), name="slot_add"),
    path(
        "<slug:slug>/setup/slots/<int:pk>/delete/",
        sessions.SlotDeleteView.as_view(),
        name="slot_delete",
    ),
    path("<slug:slug>/setup/tables/", sessions.TablesAddView.as_view(), name="tables_add"),
    path(
        "<slug:slug>/setup/tables/<int:pk>/delete/",
        sessions.TableDeleteView.as_view(),
        name="table_delete",
    ),
    path("<slug:slug>/setup/meetings/", sessions.MeetingAddView.as_view(), name="meeting_add"),
    path(
        "<slug:slug>/setup/participants/search/",
        sessions.ParticipantSearchView.as_view(),
        name="participant_search",
    ),
    path("<slug:slug>/profile/", participants.ProfileView.as_view(), name="profile"),
    path("<slug:slug>/profile/items/new/", participants.ItemCreateView.as_view(), name="item_add"),
    path(
        "<slug:slug>/profile/items/<int:pk>/",
        participants.ItemEditView.as_view(),
        name="item_edit",
    ),
    path(
        "<slug:slug>/profile/items/<int:pk>/delete/",
        participants.ItemDeleteView.as_view(),
        name="item_delete",
    ),
    path(
        "<slug:slug>/participants/",
        participants.ParticipantListView.as_view(),
        name="participants",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/",
        participants.ParticipantView.as_view(),
        name="participant",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/request/",
        requests.RequestSendView.as_view(),
        name="request_send",
    ),
    path("<slug:slug>/suggestions/", participants.SuggestionsView.as_view(), name="suggestions"),
    path("<slug:slug>/requests/", requests.InboxView.as_view(), name="inbox"),
    path("<slug:slug>/requests/<int:pk>/", requests.RequestView.as_view(), name="request"),
    path(
        "<slug:slug>/requests/<int:pk>/accept/",
        requests.RequestAcceptView.as_view(),
        name="request_accept",
    ),
    path(
        "<slug:slug>/requests/<int:pk>/decline/",
        requests.RequestDeclineView.as_view(),
        name="request_decline",
    ),
    path(
        "<slug:slug>/requests/<int:pk>/cancel/",
        requests.RequestCancelView.as_view(),
        name="request_cancel",
    ),
    # Scheduling, dashboard and desk (organisers); agendas and outcomes (mmsched).
    path("<slug:slug>/schedule/", organiser.ScheduleView.as_view(), name="schedule"),
    path(
        "<slug:slug>/schedule/status/",
        organiser.ScheduleStatusView.as_view(),
        name="schedule_status",
    ),
    path("<slug:slug>/schedule/run/", organiser.ScheduleRunView.as_view(), name="schedule_run"),
    path(
        "<slug:slug>/schedule/publish/",
        organiser.SchedulePublishView.as_view(),
        name="schedule_publish",
    ),
    path(
        "<slug:slug>/schedule/meetings/<int:pk>/place/",
        organiser.MeetingPlaceView.as_view(),
        name="meeting_place",
    ),
    path(
        "<slug:slug>/schedule/meetings/<int:pk>/unlock/",
        organiser.MeetingUnlockView.as_view(),
        name="meeting_unlock",
    ),
    path(
        "<slug:slug>/schedule/meetings/<int:pk>/cancel/",
        organiser.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "<slug:slug>/desk/meetings/<int:pk>/mark/",
        organiser.MeetingMarkView.as_view(),
        name="meeting_mark",
    ),
    path("<slug:slug>/dashboard/", organiser.DashboardView.as_view(), name="dashboard"),
    path("<slug:slug>/desk/", organiser.DeskView.as_view(), name="desk"),
    path("<slug:slug>/tables/", organiser.TableSheetView.as_view(), name="table_sheet"),
    path("<slug:slug>/agenda/", agenda.AgendaView.as_view(), name="agenda"),
    path("<slug:slug>/agenda.pdf", agenda.AgendaPdfView.as_view(), name="agenda_pdf"),
    path(
        "<slug:slug>/agenda/feed/rotate/",
        agenda.AgendaFeedRotateView.as_view(),
        name="agenda_feed_rotate",
    ),
    path(
        "<slug:slug>/agenda/feed/<str:token>.ics",
        agenda.AgendaFeedView.as_view(),
        name="agenda_feed",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/agenda/",
        agenda.AgendaView.as_view(),
        name="participant_agenda",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/agenda.pdf",
        agenda.AgendaPdfView.as_view(),
        name="participant_agenda_pdf",
    ),
    path("<slug:slug>/meetings/<int:pk>/outcome/", agenda.OutcomeView.as_view(), name="outcome"),
]
