"""Host contacts: the visits their organisations host; confirm, or propose another time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.views import ActionView, FormServiceView, PermissionView

from .. import selectors, services
from ..forms import ProposeTimeForm
from ..models import ItineraryItem


class HostVisitsView(PermissionView):
    permission_required = "missions.view_host_visits"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "missions/host_visit_list.html",
            {"visits": selectors.visits_for_host(request.user)},
        )


class HostedVisitScope:
    """Only visits of the contact's own organisations exist here; others are a 404."""

    permission_required = "missions.respond_to_visit"

    def get_object(self) -> ItineraryItem:
        return get_object_or_404(selectors.visits_for_host(self.request.user), pk=self.kwargs["pk"])

    def get_success_url(self, result: Any) -> str:
        return reverse("missions:host_visits")


class VisitConfirmView(HostedVisitScope, ActionView):
    success_message = _("Thank you: the visit is confirmed.")

    def perform(self) -> None:
        services.visit_confirm(item=self.object, by=self.request.user)


class VisitProposeView(HostedVisitScope, FormServiceView):
    form_class = ProposeTimeForm
    template_name = "missions/visit_propose.html"
    success_message = _("Your proposal was sent to the organisers.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"item": self.object}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(visit=self.object, **context)

    def form_valid(self, form: ProposeTimeForm) -> None:
        services.visit_propose_time(
            item=self.object,
            by=self.request.user,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            note=form.cleaned_data["note"],
        )
