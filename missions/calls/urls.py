from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.CallListView.as_view(), name="list"),
    path("new/<slug:mission_slug>/", views.CallCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CallDetailView.as_view(), name="detail"),
    path("<int:pk>/manage/edit/", views.CallUpdateView.as_view(), name="edit"),
    path("<int:pk>/manage/form/", views.CallSetupView.as_view(), name="setup"),
    path("<int:pk>/apply/", views.ApplicationStartView.as_view(), name="apply"),
    path("applications/<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationWithdrawView.as_view(),
        name="withdraw",
    ),
    path(
        "applications/<int:pk>/attachments/",
        views.AttachmentUploadView.as_view(),
        name="upload",
    ),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path(
        "attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("reviews/", views.ReviewListView.as_view(), name="reviews"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("reviews/<int:pk>/conflict/", views.ReviewConflictView.as_view(), name="conflict"),
    path("<int:pk>/manage/", views.ManageApplicationListView.as_view(), name="manage"),
    path("<int:pk>/manage/export.csv", views.ManageExportView.as_view(), name="export"),
    path("<int:pk>/manage/assign/", views.ManageAssignView.as_view(), name="assign"),
    path(
        "<int:pk>/manage/reviewers/search/",
        views.ReviewerSearchView.as_view(),
        name="reviewer_search",
    ),
    path("<int:pk>/manage/ranking/", views.ManageRankingView.as_view(), name="ranking"),
    path("<int:pk>/manage/decisions/", views.ManageDecisionsView.as_view(), name="decisions"),
    path(
        "<int:pk>/manage/decisions/send/",
        views.ManageDecisionsSendView.as_view(),
        name="decisions_send",
    ),
    path(
        "<int:pk>/manage/emails/<int:template_pk>/",
        views.ManageDecisionTemplateView.as_view(),
        name="decision_template",
    ),
    path(
        "<int:pk>/manage/applications/<int:application_pk>/",
        views.ManageApplicationView.as_view(),
        name="manage_application",
    ),
]
