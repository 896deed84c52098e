"""The event's organisers: registrations and decisions, capacity, the CSV export, the check-in
desk. The participant list and badges (PDF) are report jobs: the registrations page asks
``reports`` for them, which renders them in a worker from ``missions.events.pdf``."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.pagination import paginate
from common.text import csv_cell
from common.views import ActionView, FormServiceView, PermissionView, messages_from_error

from .. import selectors, services
from ..forms import CapacityForm, CheckInForm, DecisionForm
from ..models import Registration
from ._base import EventScope


def _manage_url(event) -> str:
    return reverse("events:manage", kwargs={"slug": event.slug})


class ManageRegistrationsView(EventScope, FormServiceView):
    """Counts, every registration with its answers, bulk approve/reject, capacity."""

    template_name = "missions/events/manage_registrations.html"

    def get_form(self, data=None, files=None) -> DecisionForm:
        return DecisionForm(data, event=self.event)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        status_filter = self.request.GET.get("status", "")
        if status_filter not in Registration.Status.values:
            status_filter = ""
        # A popular event has hundreds of registrations: one page at a time.
        pages = paginate(
            self.request, selectors.registrations_for_organiser(self.event, status=status_filter)
        )
        questions = list(self.event.questions.all())
        rows = [
            (registration, [registration.answers.get(str(q.pk), "") for q in questions])
            for registration in pages["page_obj"].object_list
        ]
        return super().get_context_data(
            counts=selectors.seat_counts(self.event),
            rows=rows,
            **pages,
            questions=questions,
            capacity_form=CapacityForm(initial={"capacity": self.event.capacity}),
            statuses=Registration.Status.choices,
            status_filter=status_filter,
            **context,
        )

    def form_valid(self, form: DecisionForm) -> HttpResponse | None:
        if form.needs_confirmation():
            # Rejecting in bulk asks first, on a page of its own that carries the choice.
            return render(
                self.request,
                "includes/confirm.html",
                {
                    "object": self.event,
                    "title": _("Reject these registrations?"),
                    "lines": form.rejection_lines(),
                    "button": _("Reject them"),
                    "cancel_url": self.request.get_full_path(),
                    "crumbs": [
                        (reverse("events:list"), _("Events")),
                        (self.event.get_absolute_url(), self.event.title),
                        (
                            reverse("events:manage", kwargs={"slug": self.event.slug}),
                            _("Registrations"),
                        ),
                    ],
                    "form": form.confirmation_form(),
                },
            )
        data = form.cleaned_data
        result = services.registrations_decide(
            event=self.event,
            by=self.request.user,
            registration_ids=[r.pk for r in data["registrations"]],
            approve=data["decision"] == DecisionForm.APPROVE,
            message=data["message"],
        )
        request = self.request
        for count, text in (
            (
                len(result.approved),
                ngettext("%(n)s approved.", "%(n)s approved.", len(result.approved)),
            ),
            (
                len(result.rejected),
                ngettext("%(n)s rejected.", "%(n)s rejected.", len(result.rejected)),
            ),
            (
                len(result.waitlisted),
                ngettext(
                    "%(n)s put on the waiting list: no seat left.",
                    "%(n)s put on the waiting list: no seat left.",
                    len(result.waitlisted),
                ),
            ),
        ):
            if count:
                messages.success(request, text % {"n": count})
        if result.refused:
            messages.error(
                request,
                ngettext(
                    "%(n)s could not be approved: all seats are taken and there is no waiting "
                    "list. Raise the capacity or reject someone first.",
                    "%(n)s could not be approved: all seats are taken and there is no waiting "
                    "list. Raise the capacity or reject someone first.",
                    len(result.refused),
                )
                % {"n": len(result.refused)},
            )
        if result.skipped:
            messages.warning(
                request,
                ngettext(
                    "%(n)s left unchanged: that decision does not apply to its status.",
                    "%(n)s left unchanged: that decision does not apply to their status.",
                    len(result.skipped),
                )
                % {"n": len(result.skipped)},
            )

    def get_success_url(self, result: Any) -> str:
        return _manage_url(self.event)


class CapacityView(EventScope, ActionView):
    success_message = gettext_lazy("Capacity saved.")

    def perform(self) -> None:
        form = CapacityForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(" ".join(form.errors.get("capacity", [])))
        services.event_set_capacity(
            event=self.event, by=self.request.user, capacity=form.cleaned_data["capacity"]
        )

    def get_success_url(self, result: Any) -> str:
        return _manage_url(self.event)


class AttendeesCsvView(EventScope, PermissionView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.event.slug}-attendees.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Name"),
                _("Email"),
                _("Organisation"),
                _("Country"),
                _("Role"),
                _("Status"),
                _("Matchmaking"),
                _("Listed"),
                _("Checked in"),
            ]
        )
        for registration in selectors.attendees(self.event):
            writer.writerow(
                [
                    csv_cell(registration.user.get_full_name()),
                    csv_cell(registration.user.email),
                    csv_cell(registration.organization.name),
                    registration.organization.country.code,
                    csv_cell(registration.role),
                    registration.get_status_display(),
                    _("yes") if registration.wants_matchmaking else _("no"),
                    _("yes") if registration.consent_to_list else _("no"),
                    registration.checked_in_at.isoformat() if registration.checked_in_at else "",
                ]
            )
        return response


class CheckInView(EventScope, PermissionView):
    """The check-in desk: find a person by name, check them in (or undo it)."""

    QUERY_MAX_LENGTH = 100

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        if len(query) > self.QUERY_MAX_LENGTH:
            messages.warning(
                request,
                _("The search was cut to its first %(count)s characters.")
                % {"count": self.QUERY_MAX_LENGTH},
            )
            query = query[: self.QUERY_MAX_LENGTH]
        found = (
            selectors.attendees_matching(self.event, query)
            if query
            else selectors.attendees(self.event)
        )
        pages = paginate(request, found)
        return render(
            request,
            "missions/events/check_in.html",
            {
                "event": self.event,
                "attendees": pages["page_obj"].object_list,
                "query": query,
                "counts": selectors.seat_counts(self.event),
                **pages,
            },
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = CheckInForm(request.POST, event=self.event)
        back = reverse("events:check_in", kwargs={"slug": self.event.slug})
        query = request.POST.get("q", "").strip()[: self.QUERY_MAX_LENGTH]
        if query:
            back += "?" + urlencode({"q": query})
        if not form.is_valid():
            messages.error(request, _("Choose someone to check in."))
            return redirect(back)
        registration = form.cleaned_data["registration"]
        undo = form.cleaned_data["undo"]
        name = registration.user.get_full_name()
        try:
            services.registration_check_in(registration=registration, by=request.user, undo=undo)
        except ValidationError as error:
            messages_from_error(request, error)
        else:
            if undo:
                messages.success(request, _("Check-in of %(name)s undone.") % {"name": name})
            else:
                messages.success(request, _("%(name)s checked in.") % {"name": name})
        return redirect(back)
