"""Host contacts: the visits their organisations host; confirm, or propose another time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from .. import selectors, services
from ..forms import ProposeTimeForm
from ._base import error_messages


class HostVisitsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "missions.view_host_visits"

    def get(self, request):
        return render(
            request,
            "missions/host_visit_list.html",
            {"visits": selectors.visits_for_host(request.user)},
        )


class HostVisitMixin(LoginRequiredMixin):
    """Only visits of the contact's own organisations exist here; others are a 404."""

    def get_visit(self):
        visit = get_object_or_404(
            selectors.visits_for_host(self.request.user), pk=self.kwargs["pk"]
        )
        if not self.request.user.has_perm("missions.respond_to_visit", visit):
            raise Http404
        return visit


class VisitConfirmView(HostVisitMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        visit = self.get_visit()
        try:
            services.visit_confirm(item=visit, by=request.user)
            messages.success(request, _("Thank you: the visit is confirmed."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect("missions:host_visits")


class VisitProposeView(HostVisitMixin, View):
    def get(self, request, pk):
        visit = self.get_visit()
        return self.render(visit, ProposeTimeForm(item=visit))

    def post(self, request, pk):
        visit = self.get_visit()
        form = ProposeTimeForm(request.POST, item=visit)
        if not form.is_valid():
            return self.render(visit, form, status=400)
        try:
            services.visit_propose_time(
                item=visit,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error_messages(error):
                form.add_error(None, message)
            return self.render(visit, form, status=400)
        messages.success(request, _("Your proposal was sent to the organisers."))
        return redirect("missions:host_visits")

    def render(self, visit, form, status=200):
        return render(
            self.request,
            "missions/visit_propose.html",
            {"visit": visit, "form": form},
            status=status,
        )
