"""Thin views: check permission, validate a form, call one service, redirect or render."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import selectors, services
from .filters import OrganizationFilter
from .forms import (
    MembershipForm,
    OrganizationForm,
    ProfileForm,
    SectorForm,
    ValidationDecisionForm,
)
from .models import Membership, Organization, Sector, User

DIRECTORY_PAGE_SIZE = 24


class HomeView(TemplateView):
    template_name = "home.html"


class OrganizationListView(View):
    """The public directory. Junk in the filters gives the page with a message, never a 500."""

    def get(self, request):
        filterset = OrganizationFilter(
            request.GET or None,
            queryset=selectors.organization_directory(request.user),
            request=request,
        )
        if filterset.is_bound and not filterset.is_valid():
            for field, errors in filterset.errors.items():
                label = filterset.form.fields[field].label if field in filterset.form.fields else ""
                messages.warning(
                    request,
                    _("Filter “%(label)s” ignored: %(error)s")
                    % {"label": label, "error": " ".join(errors)},
                )
        paginator = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "organizations/organization_list.html",
            {
                "filter": filterset,
                "page_obj": page,
                "organizations": page.object_list,
                "query_without_page": query.urlencode(),
            },
        )


class OrganizationDetailView(View):
    def get(self, request, slug):
        organization = get_object_or_404(
            selectors.organizations_visible_to(request.user).prefetch_related("sectors"),
            slug=slug,
        )
        return render(
            request,
            "organizations/organization_detail.html",
            {
                "organization": organization,
                "can_edit": request.user.has_perm(
                    "organizations.edit_organization", organization
                ),
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


class OrganizationLogoView(View):
    """The logo, to whoever may see the organisation; the same answer (404) for an unknown
    organisation, a hidden one and one without a logo. Served by Django rather than from
    MEDIA_URL, so that a logo of a profile awaiting validation stays private and production
    needs no separate media server."""

    def get(self, request, slug):
        organization = get_object_or_404(
            selectors.organizations_visible_to(request.user).exclude(logo=""), slug=slug
        )
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


class OrganizationCreateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "organizations.create_organization"

    def get(self, request):
        return self.render(OrganizationForm())

    def post(self, request):
        form = OrganizationForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            organization = services.organization_create(
                by=request.user, sectors=form.cleaned_data["sectors"], **form.profile()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(
            request,
            _("Profile created. An organiser will validate it before it appears in the directory."),
        )
        return redirect(organization)

    def render(self, form, status=200):
        return render(
            self.request,
            "organizations/organization_form.html",
            {"form": form, "organization": None},
            status=status,
        )


class OrganizationManagedMixin(LoginRequiredMixin):
    """Loads the organisation from those the user may edit: anyone else gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organization = get_object_or_404(
            selectors.organizations_editable_by(request.user), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)


class OrganizationUpdateView(OrganizationManagedMixin, View):
    """Managers of the organisation and organisers; anyone else gets a 404."""

    def get(self, request, slug):
        form = OrganizationForm(
            instance=self.organization,
            initial={"sectors": self.organization.sectors.all()},
        )
        return self.render(form)

    def post(self, request, slug):
        # The form works on a copy so a refused change leaves the instance untouched.
        form = OrganizationForm(
            request.POST, request.FILES, instance=Organization.objects.get(pk=self.organization.pk)
        )
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.organization_update(
                organization=self.organization,
                by=request.user,
                sectors=form.cleaned_data["sectors"],
                **form.profile(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(request, _("Profile saved."))
        return redirect(self.organization)

    def render(self, form, status=200):
        return render(
            self.request,
            "organizations/organization_form.html",
            {"form": form, "organization": self.organization},
            status=status,
        )


class MembershipListView(OrganizationManagedMixin, View):
    def get(self, request, slug):
        return self.render(MembershipForm(initial={"role": Membership.Role.MEMBER}))

    def post(self, request, slug):
        form = MembershipForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            membership = services.membership_set(
                organization=self.organization,
                by=request.user,
                email=form.cleaned_data["email"],
                role=Membership.Role(form.cleaned_data["role"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {"person": membership.user.email, "role": membership.get_role_display().lower()},
        )
        return redirect("organizations:members", slug=self.organization.slug)

    def render(self, form, status=200):
        return render(
            self.request,
            "organizations/membership_list.html",
            {
                "organization": self.organization,
                "memberships": selectors.organization_memberships(self.organization),
                "form": form,
            },
            status=status,
        )


class MembershipRemoveView(OrganizationManagedMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        membership = get_object_or_404(selectors.organization_memberships(self.organization), pk=pk)
        try:
            services.membership_remove(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(person)s removed.") % {"person": membership.user.email})
        return redirect("organizations:members", slug=self.organization.slug)


class ValidationQueueView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "organizations.validate_organization"

    def get(self, request):
        return render(
            request,
            "organizations/organization_review.html",
            {"organizations": selectors.organizations_awaiting_validation()},
        )


class OrganizationValidateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "organizations.validate_organization"
    http_method_names = ["post"]

    def post(self, request, slug):
        organization = get_object_or_404(Organization, slug=slug)
        form = ValidationDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to validate or to reject the profile."))
            return redirect("organizations:review")
        state = Organization.ValidationState(form.cleaned_data["decision"])
        try:
            services.organization_set_validation(
                organization=organization, by=request.user, state=state
            )
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("organizations:review")
        messages.success(
            request,
            _("%(name)s: %(state)s.") % {"name": organization.name, "state": state.label},
        )
        return redirect("organizations:review")


class SectorListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "organizations.manage_sectors"

    def get(self, request):
        return self.render(SectorForm())

    def post(self, request):
        form = SectorForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        sector = services.sector_create(name=form.cleaned_data["name"])
        messages.success(request, _("Sector “%(name)s” added.") % {"name": sector.name})
        return redirect("organizations:sectors")

    def render(self, form, status=200):
        return render(
            self.request,
            "organizations/sector_list.html",
            {"sectors": selectors.sectors_all(), "form": form},
            status=status,
        )


class SectorUpdateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "organizations.manage_sectors"

    def get(self, request, slug):
        sector = get_object_or_404(Sector, slug=slug)
        return self.render(sector, SectorForm(instance=sector))

    def post(self, request, slug):
        sector = get_object_or_404(Sector, slug=slug)
        form = SectorForm(request.POST, instance=Sector.objects.get(pk=sector.pk))
        if not form.is_valid():
            return self.render(sector, form, status=400)
        services.sector_rename(sector=sector, name=form.cleaned_data["name"])
        messages.success(request, _("Sector renamed."))
        return redirect("organizations:sectors")

    def render(self, sector, form, status=200):
        return render(
            self.request,
            "organizations/sector_form.html",
            {"sector": sector, "form": form},
            status=status,
        )


class ProfileView(LoginRequiredMixin, View):
    """The signed-in user's own profile and memberships."""

    def get(self, request):
        return self.render(ProfileForm(instance=request.user))

    def post(self, request):
        form = ProfileForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if not form.is_valid():
            return self.render(form, status=400)
        services.user_update_profile(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            home_time_zone=form.cleaned_data["home_time_zone"],
        )
        messages.success(request, _("Profile saved."))
        return redirect(reverse("profile"))

    def render(self, form, status=200):
        return render(
            self.request,
            "organizations/profile_form.html",
            {"form": form, "memberships": selectors.memberships_of(self.request.user)},
            status=status,
        )
