from django.urls import path

from .views import feeds, hosts, planning, public

app_name = "missions"

urlpatterns = [
    path("", public.MissionListView.as_view(), name="list"),
    path("new/", planning.MissionCreateView.as_view(), name="create"),
    path("host/", hosts.HostVisitsView.as_view(), name="host_visits"),
    path("host/visits/<int:pk>/confirm/", hosts.VisitConfirmView.as_view(), name="visit_confirm"),
    path("host/visits/<int:pk>/propose/", hosts.VisitProposeView.as_view(), name="visit_propose"),
    path("calendar/<str:token>.ics", feeds.PrivateFeedView.as_view(), name="private_feed"),
    # Everything below is about one mission, found by its slug.
    path("<slug:slug>/", public.MissionDetailView.as_view(), name="detail"),
    path("<slug:slug>/itinerary/", public.ItineraryView.as_view(), name="itinerary"),
    path("<slug:slug>/print/", public.ItineraryPrintView.as_view(), name="print"),
    path("<slug:slug>/map.svg", public.MissionMapView.as_view(), name="map"),
    path("<slug:slug>/calendar.ics", feeds.PublicFeedView.as_view(), name="public_feed"),
    path("<slug:slug>/changes/", public.ChangeLogView.as_view(), name="changes"),
    path("<slug:slug>/my-calendar/", public.DelegateCalendarView.as_view(), name="my_calendar"),
    path(
        "<slug:slug>/my-calendar/new-link/",
        public.DelegateCalendarRotateView.as_view(),
        name="my_calendar_rotate",
    ),
    path("<slug:slug>/plan/", planning.MissionPlanView.as_view(), name="plan"),
    path("<slug:slug>/edit/", planning.MissionUpdateView.as_view(), name="edit"),
    path("<slug:slug>/publish/", planning.MissionPublishView.as_view(), name="publish"),
    path("<slug:slug>/status/", planning.MissionStatusView.as_view(), name="status"),
    path("<slug:slug>/duplicate/", planning.MissionDuplicateView.as_view(), name="duplicate"),
    path("<slug:slug>/delegation/", planning.DelegationView.as_view(), name="delegation"),
    path(
        "<slug:slug>/delegation/<int:pk>/remove/",
        planning.DelegationMemberRemoveView.as_view(),
        name="delegation_remove",
    ),
    path("<slug:slug>/days/new/", planning.DayCreateView.as_view(), name="day_create"),
    path("<slug:slug>/days/<int:day>/edit/", planning.DayUpdateView.as_view(), name="day_edit"),
    path("<slug:slug>/days/<int:day>/delete/", planning.DayDeleteView.as_view(), name="day_delete"),
    path(
        "<slug:slug>/days/<int:day>/new/<str:kind>/",
        planning.ItemCreateView.as_view(),
        name="item_create",
    ),
    path("<slug:slug>/items/<int:pk>/edit/", planning.ItemUpdateView.as_view(), name="item_edit"),
    path(
        "<slug:slug>/items/<int:pk>/delete/", planning.ItemDeleteView.as_view(), name="item_delete"
    ),
    path("<slug:slug>/items/<int:pk>/move/", planning.ItemMoveView.as_view(), name="item_move"),
    path(
        "<slug:slug>/items/<int:pk>/accept/",
        planning.ItemAcceptProposalView.as_view(),
        name="item_accept",
    ),
]
