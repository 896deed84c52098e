from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("new/", views.OrganizationCreateView.as_view(), name="create"),
    path("search/", views.OrganizationSearchView.as_view(), name="search"),
    path("people/search/", views.PersonSearchView.as_view(), name="people_search"),
    path("review/", views.ValidationQueueView.as_view(), name="review"),
    path("sectors/", views.SectorListView.as_view(), name="sectors"),
    path("sectors/<slug:slug>/", views.SectorUpdateView.as_view(), name="sector_edit"),
    path("invitations/", views.InvitationListView.as_view(), name="invitations"),
    path(
        "invitations/<str:token>/accept/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        views.InvitationDeclineView.as_view(),
        name="invitation_decline",
    ),
    path("<slug:slug>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<slug:slug>/logo/", views.OrganizationLogoView.as_view(), name="logo"),
    path("<slug:slug>/edit/", views.OrganizationUpdateView.as_view(), name="edit"),
    path("<slug:slug>/validate/", views.OrganizationValidateView.as_view(), name="validate"),
    path("<slug:slug>/members/", views.MembershipListView.as_view(), name="members"),
    path(
        "<slug:slug>/members/<int:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="member_remove",
    ),
]
