"""Three URL trees, mounted at /programmes/, /partnerships/ and /outcomes/."""

from django.urls import path

from . import views

programme_patterns = (
    [
        path("", views.ProgrammeListView.as_view(), name="list"),
        path("new/", views.ProgrammeCreateView.as_view(), name="create"),
        path("<slug:slug>/", views.ProgrammeDetailView.as_view(), name="detail"),
        path("<slug:slug>/calendar.ics", views.ProgrammeFeedView.as_view(), name="feed"),
        path("<slug:slug>/edit/", views.ProgrammeUpdateView.as_view(), name="edit"),
        path("<slug:slug>/link/", views.ProgrammeLinkView.as_view(), name="link"),
        path("<slug:slug>/figures/", views.ProgrammeFiguresView.as_view(), name="figures"),
        path(
            "<slug:slug>/figures/<slug:key>.csv",
            views.ProgrammeFigureCsvView.as_view(),
            name="figure_csv",
        ),
    ],
    "programmes",
)

partnership_patterns = (
    [
        path("", views.PartnershipListView.as_view(), name="list"),
        path("new/", views.PartnershipCreateView.as_view(), name="create"),
        path("review/", views.PartnershipQueueView.as_view(), name="review"),
        path(
            "changes/<int:pk>/decide/",
            views.PartnershipChangeDecideView.as_view(),
            name="change_decide",
        ),
        path("<slug:slug>/", views.PartnershipDetailView.as_view(), name="detail"),
        path("<slug:slug>/map.svg", views.PartnershipMapView.as_view(), name="map"),
        path("<slug:slug>/propose/", views.PartnershipChangeProposeView.as_view(), name="propose"),
        path("<slug:slug>/validate/", views.PartnershipValidateView.as_view(), name="validate"),
    ],
    "partnerships",
)

outcome_patterns = (
    [
        path("", views.OutcomeListView.as_view(), name="list"),
        path("review/", views.OutcomeQueueView.as_view(), name="review"),
        path("report/<str:source>/<int:pk>/", views.OutcomeReportView.as_view(), name="report"),
        path("<int:pk>/", views.OutcomeDetailView.as_view(), name="detail"),
        path("<int:pk>/evidence/", views.OutcomeEvidenceView.as_view(), name="evidence"),
        path("<int:pk>/decide/", views.OutcomeDecideView.as_view(), name="decide"),
    ],
    "outcomes",
)
