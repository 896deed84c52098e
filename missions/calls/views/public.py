"""The list of calls, one call's page, and starting an application."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.views import ActionView, PermissionView, viewer_zone
from missions.selectors import missions_editable_by
from organizations.selectors import organizations_of_member

from .. import selectors, services
from ..forms import StartForm
from ..models import Application, Call


class CallListView(PermissionView):
    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "missions/calls/call_list.html",
            {
                "calls": selectors.calls_visible_to(request.user).order_by("-closes_at", "pk"),
                "my_applications": selectors.applications_of_applicant(request.user).order_by(
                    "-created_at", "pk"
                ),
                "organised_missions": missions_editable_by(request.user).order_by(
                    "-start_date", "pk"
                ),
            },
        )


class VisibleCallScope:
    """A call the reader may see: published, or of a mission they organise."""

    permission_required = "calls.view_call"

    def get_object(self) -> Call:
        return get_object_or_404(
            selectors.calls_visible_to(self.request.user), pk=self.kwargs["pk"]
        )


class CallDetailView(VisibleCallScope, PermissionView):
    """The call: open or closed, the deadline in the call's zone and the reader's."""

    login_required = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        call = self.object
        own = None
        start_form = None
        if request.user.is_authenticated:
            own = (
                selectors.applications_of_applicant(request.user)
                .filter(call=call)
                .exclude(status=Application.Status.WITHDRAWN)
                .first()
            )
            organizations = organizations_of_member(request.user)
            if own is None and call.is_open() and organizations.exists():
                start_form = StartForm(organizations=organizations)
        return render(
            request,
            "missions/calls/call_detail.html",
            {
                "call": call,
                "viewer_zone": viewer_zone(request),
                "own_application": own,
                "start_form": start_form,
                "can_manage": request.user.has_perm("calls.manage_call", call),
            },
        )


class ApplicationStartView(VisibleCallScope, ActionView):
    """Start a draft for one of the reader's organisations; then on to its page."""

    permission_required = "calls.apply"

    def perform(self) -> Application:
        form = StartForm(
            self.request.POST, organizations=organizations_of_member(self.request.user)
        )
        if not form.is_valid():
            raise ValidationError(_("Choose one of your organisations."))
        return services.application_start(
            call=self.object, by=self.request.user, organization=form.cleaned_data["organization"]
        )

    def get_success_url(self, result: Any) -> str:
        if result is None:
            return reverse("calls:detail", kwargs={"pk": self.object.pk})
        return reverse("calls:application", kwargs={"pk": result.pk})
