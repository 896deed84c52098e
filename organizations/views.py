"""Thin views on ``common.views``: each declares its permission and finds its object among
those the reader may see (else 404), validates a form, calls one service, redirects."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import pagecache
from common.autocomplete import search_response
from common.pagination import filtered_page, tell_ignored
from common.views import ActionView, FormServiceView, PermissionView, editable_copy

from . import selectors, services
from .autocomplete import (
    ORGANIZATION_LOOKUP,
    ORGANIZATION_SEARCH_FIELDS,
    PERSON_LOOKUP,
    PERSON_SEARCH_FIELDS,
)
from .filters import OrganizationFilter
from .forms import (
    MembershipForm,
    OrganizationForm,
    ProfileForm,
    SectorForm,
    ValidationDecisionForm,
)
from .models import Invitation, Membership, Organization, Sector

DIRECTORY_PAGE_SIZE = 24


class OrganizationListView(PermissionView):
    """The public directory. Junk in the filters gives the page with a message, never a 500.

    For a reader not signed in, the filter bar and results are rendered once per query
    string, language and version of the tables they are drawn from, and kept in the cache
    (``common/pagecache.py``); a signed-in member may also see their own organisation
    awaiting validation, so their page is rendered afresh."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            directory, ignored = self.directory(request)
        else:
            directory, ignored = pagecache.public_list_copy(
                "organizations:directory",
                pagecache.table_version(Organization, Organization.sectors.through, Sector),
                functools.partial(self.directory, request),
                vary=request.META.get("QUERY_STRING", ""),
            )
        tell_ignored(request, ignored)
        return render(
            request,
            "organizations/organization_list.html",
            # Our own template's output (everything in it was escaped when rendered).
            {"directory": mark_safe(directory)},  # noqa: S308
        )

    def directory(self, request: HttpRequest) -> tuple[str, list[str]]:
        """The filter bar and a page of results as HTML, and the filters ignored. Rendered
        without the request: nothing of the reader's own reaches it."""
        filterset = OrganizationFilter(
            request.GET or None,
            queryset=selectors.organization_directory(request.user),
            request=request,
        )
        pages = filtered_page(request, filterset, DIRECTORY_PAGE_SIZE)
        cards = selectors.directory_cards(pages["page_obj"].object_list)
        html = render_to_string("organizations/_directory.html", {**pages, "organizations": cards})
        return html, pages["ignored"]


class OrganizationDetailView(PermissionView):
    login_required = False
    permission_required = "organizations.see_organization"

    def get_object(self) -> Organization:
        return get_object_or_404(
            selectors.organizations_visible_to(self.request.user).prefetch_related("sectors"),
            slug=self.kwargs["slug"],
        )

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        organization = self.object
        return render(
            request,
            "organizations/organization_detail.html",
            {
                "organization": organization,
                "can_edit": request.user.has_perm("organizations.edit_organization", organization),
                "can_validate": request.user.has_perm(
                    "organizations.validate_organization", organization
                ),
            },
        )


LOGO_CONTENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


class OrganizationLogoView(PermissionView):
    """The logo, to whoever may see the organisation; the same answer (404) for an unknown
    organisation, a hidden one and one without a logo. Served by Django rather than from
    MEDIA_URL, so that a logo of a profile awaiting validation stays private and production
    needs no separate media server."""

    login_required = False
    permission_required = "organizations.see_organization"

    def get_object(self) -> Organization:
        return get_object_or_404(
            selectors.organizations_visible_to(self.request.user).exclude(logo=""),
            slug=self.kwargs["slug"],
        )

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        organization = self.object
        suffix = Path(organization.logo.name).suffix.lower()
        content_type = LOGO_CONTENT_TYPES.get(suffix)
        try:
            logo = organization.logo.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("This logo is missing.")) from error
        response = FileResponse(logo, content_type=content_type or "application/octet-stream")
        if content_type is None:
            response["Content-Disposition"] = "attachment"
        public = organization.is_public
        response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
        return response


class OrganizationCreateView(FormServiceView):
    permission_required = "organizations.create_organization"
    form_class = OrganizationForm
    template_name = "organizations/organization_form.html"
    success_message = gettext_lazy(
        "Profile created. An organiser will validate it before it appears in the directory."
    )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"organization": None, **context}

    def form_valid(self, form: OrganizationForm) -> Organization:
        return services.organization_create(
            by=self.request.user, sectors=form.cleaned_data["sectors"], **form.profile()
        )


class ManagedOrganizationMixin:
    """The organisation among those the reader may edit (its managers, organisers)."""

    permission_required = "organizations.edit_organization"

    def get_object(self) -> Organization:
        return get_object_or_404(
            selectors.organizations_editable_by(self.request.user), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(organization=self.object, **context)


class OrganizationUpdateView(ManagedOrganizationMixin, FormServiceView):
    """Managers of the organisation and organisers; anyone else gets a 404."""

    form_class = OrganizationForm
    template_name = "organizations/organization_form.html"
    success_message = gettext_lazy("Profile saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {"instance": editable_copy(self.object)}
        return {"instance": self.object, "initial": {"sectors": self.object.sectors.all()}}

    def form_valid(self, form: OrganizationForm) -> Organization:
        return services.organization_update(
            organization=self.object,
            by=self.request.user,
            sectors=form.cleaned_data["sectors"],
            **form.profile(),
        )


class MembershipListView(ManagedOrganizationMixin, FormServiceView):
    form_class = MembershipForm
    template_name = "organizations/membership_list.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"role": Membership.Role.MEMBER}}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["memberships"] = selectors.organization_memberships(self.object)
        context["invitations"] = selectors.invitations_open_of(self.object)
        return super().get_context_data(**context)

    def form_valid(self, form: MembershipForm) -> Membership | Invitation:
        result = services.member_invite(
            organization=self.object,
            by=self.request.user,
            email=form.cleaned_data["email"],
            role=Membership.Role(form.cleaned_data["role"]),
        )
        values = {"person": form.cleaned_data["email"], "role": result.get_role_display().lower()}
        if isinstance(result, Membership):
            messages.success(self.request, _("%(person)s is now %(role)s.") % values)
        else:
            # The same words whether or not the address has an account.
            messages.success(
                self.request,
                _("%(person)s is invited as %(role)s and joins on accepting.") % values,
            )
        return result

    def get_success_url(self, result: Any) -> str:
        return reverse("organizations:members", kwargs={"slug": self.object.slug})


class MembershipRemoveView(ManagedOrganizationMixin, ActionView):
    def perform(self) -> None:
        membership = get_object_or_404(
            selectors.organization_memberships(self.object), pk=self.kwargs["pk"]
        )
        services.membership_remove(membership=membership, by=self.request.user)
        messages.success(self.request, _("%(person)s removed.") % {"person": membership.user.email})

    def get_success_url(self, result: Any) -> str:
        return reverse("organizations:members", kwargs={"slug": self.object.slug})


class ValidationQueueView(PermissionView):
    permission_required = "organizations.validate_organization"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "organizations/organization_review.html",
            {"organizations": selectors.organizations_awaiting_validation()},
        )


class OrganizationValidateView(ActionView):
    permission_required = "organizations.validate_organization"

    def get_object(self) -> Organization:
        return get_object_or_404(
            selectors.organizations_visible_to(self.request.user), slug=self.kwargs["slug"]
        )

    def perform(self) -> None:
        form = ValidationDecisionForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose to validate or to reject the profile."))
        state = Organization.ValidationState(form.cleaned_data["decision"])
        try:
            services.organization_set_validation(
                organization=self.object, by=self.request.user, state=state
            )
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error
        messages.success(
            self.request,
            _("%(name)s: %(state)s.") % {"name": self.object.name, "state": state.label},
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("organizations:review")


class SectorListView(FormServiceView):
    permission_required = "organizations.manage_sectors"
    form_class = SectorForm
    template_name = "organizations/sector_list.html"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"sectors": selectors.sectors_all(), **context}

    def form_valid(self, form: SectorForm) -> Sector:
        sector = services.sector_create(name=form.cleaned_data["name"])
        messages.success(self.request, _("Sector “%(name)s” added.") % {"name": sector.name})
        return sector

    def get_success_url(self, result: Any) -> str:
        return reverse("organizations:sectors")


class SectorUpdateView(FormServiceView):
    permission_required = "organizations.manage_sectors"
    form_class = SectorForm
    template_name = "organizations/sector_form.html"
    success_message = gettext_lazy("Sector renamed.")

    def get_object(self) -> Sector:
        return get_object_or_404(selectors.sectors_all(), slug=self.kwargs["slug"])

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {"instance": editable_copy(self.object)}
        return {"instance": self.object}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"sector": self.object, **context}

    def form_valid(self, form: SectorForm) -> Sector:
        return services.sector_rename(sector=self.object, name=form.cleaned_data["name"])

    def get_success_url(self, result: Any) -> str:
        return reverse("organizations:sectors")


class ProfileView(FormServiceView):
    """The signed-in user's own profile and memberships."""

    permission_required = "organizations.change_own_profile"
    form_class = ProfileForm
    template_name = "organizations/profile_form.html"
    success_message = gettext_lazy("Profile saved.")

    def get_object(self) -> Any:
        return self.request.user

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {"instance": editable_copy(self.object)}
        return {"instance": self.object}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"memberships": selectors.memberships_of(self.request.user), **context}

    def form_valid(self, form: ProfileForm) -> None:
        services.user_update_profile(
            user=self.request.user,
            full_name=form.cleaned_data["full_name"],
            home_time_zone=form.cleaned_data["home_time_zone"],
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("profile")


class InvitationListView(PermissionView):
    """The signed-in person's open invitations, to accept or decline."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "organizations/invitation_list.html",
            {"invitations": selectors.invitations_for(request.user)},
        )


class InvitationAnswerView(ActionView):
    """Accept or decline one's own invitation; anyone else's is a 404."""

    def get_object(self) -> Invitation:
        return get_object_or_404(
            selectors.invitations_for(self.request.user), token=self.kwargs["token"]
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("organizations:invitations")


class InvitationAcceptView(InvitationAnswerView):
    def perform(self) -> Membership:
        membership = services.invitation_accept(invitation=self.object, by=self.request.user)
        messages.success(
            self.request,
            _("You are now %(role)s of %(name)s.")
            % {
                "role": membership.get_role_display().lower(),
                "name": self.object.organization.name,
            },
        )
        return membership

    def get_success_url(self, result: Any) -> str:
        if result is not None:
            return self.object.organization.get_absolute_url()
        return reverse("organizations:invitations")


class InvitationDeclineView(InvitationAnswerView):
    success_message = gettext_lazy("Invitation declined.")

    def perform(self) -> None:
        services.invitation_decline(invitation=self.object, by=self.request.user)


class OrganizationSearchView(PermissionView):
    """Suggestions for the organisation inputs (``common.autocomplete``), as JSON: at most
    20 of the organisations the reader may see in the directory."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        return search_response(
            request,
            selectors.organizations_visible_to(request.user),
            lookup=ORGANIZATION_LOOKUP,
            search_fields=ORGANIZATION_SEARCH_FIELDS,
        )


class PersonSearchView(PermissionView):
    """Suggestions for the people inputs, as JSON: organisers only (they choose co-organisers
    and delegates); at most 20 active accounts."""

    permission_required = "organizations.search_people"

    def get(self, request: HttpRequest) -> HttpResponse:
        return search_response(
            request,
            selectors.people_searchable_by(request.user),
            lookup=PERSON_LOOKUP,
            search_fields=PERSON_SEARCH_FIELDS,
        )
