"""Partnerships: the directory, a partnership's page and map, proposals of changes, and
the staff's review queue and validation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.pagination import filtered_page, tell_ignored
from common.views import ActionView, FormServiceView, PermissionView
from missions.mapsvg import MapPoint, render_map

from .. import selectors, services
from ..filters import PartnershipFilter
from ..forms import PartnershipChangeForm, PartnershipForm
from ..models import Partnership, PartnershipChange

DIRECTORY_PAGE_SIZE = 24


class PartnershipListView(PermissionView):
    """The public directory. Junk in the filters gives the page with a message, never a 500."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = PartnershipFilter(
            request.GET or None,
            queryset=selectors.partnership_directory(request.user),
            request=request,
        )
        pages = filtered_page(request, filterset, DIRECTORY_PAGE_SIZE)
        tell_ignored(request, pages["ignored"])
        return render(
            request,
            "programmes/partnership_list.html",
            {**pages, "partnerships": pages["page_obj"].object_list},
        )


class PartnershipCreateView(FormServiceView):
    """Organisers and staff add a partnership; it waits for validation in the review queue."""

    permission_required = "programmes.run_partnerships"
    form_class = PartnershipForm
    template_name = "programmes/partnership_form.html"
    success_message = _("Partnership created. Validate it in the review queue to publish it.")

    def form_valid(self, form: PartnershipForm) -> Partnership:
        data = form.cleaned_data
        return services.partnership_create(
            by=self.request.user,
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            partners=[(organization, "partner") for organization in data["partners"]],
            sectors=data["sectors"],
            target_countries=data["target_countries"],
            target_regions=data["target_regions"],
            description=data["description"],
        )


class PartnershipMixin:
    login_required = False
    permission_required = "programmes.see_partnership"

    def get_object(self) -> Partnership:
        return get_object_or_404(
            selectors.partnership_page(self.request.user), slug=self.kwargs["slug"]
        )


class PartnershipDetailView(PartnershipMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        partnership = self.object
        return render(
            request,
            "programmes/partnership_detail.html",
            {
                "partnership": partnership,
                "activities": selectors.partnership_activities(partnership, request.user),
                "outcomes": selectors.partnership_outcomes(partnership, request.user),
                "can_propose": request.user.has_perm(
                    "programmes.propose_partnership_change", partnership
                ),
                "can_report": request.user.has_perm("programmes.report_outcome", partnership),
                "can_validate": request.user.has_perm("programmes.run_partnerships"),
            },
        )


class PartnershipMapView(PartnershipMixin, PermissionView):
    """The partners that have coordinates, as points on an SVG map (no tiles, no CDN)."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        points = []
        for member in self.object.memberships.all():
            organization = member.organization
            if organization.latitude is None:
                continue
            points.append(
                MapPoint(
                    len(points) + 1,
                    float(organization.latitude),
                    float(organization.longitude),
                    organization.name,
                    "visit",
                    organization.city,
                )
            )
        svg = render_map(points, [], title=_("Partners of %(name)s") % {"name": self.object.name})
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Cache-Control"] = "private, max-age=60"
        return response


class PartnershipChangeProposeView(PartnershipMixin, FormServiceView):
    login_required = True
    permission_required = "programmes.propose_partnership_change"
    form_class = PartnershipChangeForm
    template_name = "programmes/partnership_change_form.html"
    success_message = _("Change proposed. An organiser will review it.")

    def get_form_kwargs(self) -> dict[str, Any]:
        partnership = self.object
        return {
            "initial": {
                "description": partnership.description,
                "target_countries": [c.code for c in partnership.target_countries],
                "target_regions": partnership.target_regions,
                "sectors": list(partnership.sectors.all()),
                "ends_on": partnership.ends_on,
            }
        }

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"partnership": self.object, **super().get_context_data(**context)}

    def form_valid(self, form: PartnershipChangeForm) -> None:
        services.partnership_change_propose(
            partnership=self.object,
            by=self.request.user,
            changes=form.changes(),
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self, result: Any) -> str:
        return self.object.get_absolute_url()


class PartnershipQueueView(PermissionView):
    """Organisers and staff: partnerships awaiting validation and proposed changes."""

    permission_required = "programmes.run_partnerships"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "programmes/partnership_review.html",
            {
                "partnerships": selectors.partnerships_awaiting_validation(),
                "changes": selectors.partnership_changes_for_review(),
            },
        )


class PartnershipChangeDecideView(ActionView):
    permission_required = "programmes.run_partnerships"

    def get_object(self) -> PartnershipChange:
        if not self.request.user.has_perm("programmes.run_partnerships"):
            raise Http404
        return get_object_or_404(selectors.partnership_changes_pending(), pk=self.kwargs["pk"])

    def has_permission(self) -> bool:
        return self.request.user.has_perm("programmes.run_partnerships")

    def perform(self) -> None:
        decision = self.request.POST.get("decision")
        if decision not in ("approve", "reject"):
            raise ValidationError(_("Choose to approve or to reject the change."))
        services.partnership_change_decide(
            change=self.object, by=self.request.user, approve=decision == "approve"
        )
        messages.success(
            self.request,
            _("Change approved.") if decision == "approve" else _("Change rejected."),
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("partnerships:review")


class PartnershipValidateView(PartnershipMixin, ActionView):
    login_required = True
    permission_required = "programmes.run_partnerships"

    def has_permission(self) -> bool:
        return self.request.user.has_perm("programmes.run_partnerships")

    def perform(self) -> None:
        decision = self.request.POST.get("decision")
        if decision not in Partnership.Status.values or decision == Partnership.Status.PENDING:
            raise ValidationError(_("Choose to validate or to reject the partnership."))
        services.partnership_set_status(
            partnership=self.object, by=self.request.user, status=Partnership.Status(decision)
        )
        messages.success(
            self.request,
            _("%(name)s: %(state)s.")
            % {"name": self.object.name, "state": Partnership.Status(decision).label},
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("partnerships:review")
