"""The call's organisers: the applications, export and reviewers (``selecting``: the ranking,
decisions and their emails)."""

from __future__ import annotations

import csv
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.autocomplete import search_response
from common.badges import STATUS_TONES
from common.pagination import filtered_page, tell_ignored
from common.text import csv_cell
from common.views import (
    ConfirmedActionView,
    FormServiceView,
    PermissionView,
    messages_from_error,
)
from organizations.autocomplete import PERSON_LOOKUP, PERSON_SEARCH_FIELDS

from .. import selectors, services
from ..filters import ApplicationFilter
from ..forms import AssignForm
from ..models import Application, Call
from .review import answer_rows

Status = Application.Status


class ManagedCallScope:
    """The call among those the reader organises; any other call is a 404."""

    permission_required = "calls.manage_call"

    def get_object(self) -> Call:
        return get_object_or_404(
            selectors.calls_managed_by(self.request.user), pk=self.kwargs["pk"]
        )

    @property
    def call(self) -> Call:
        return self.object

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(call=self.object, **context)


class ManageApplicationListView(ManagedCallScope, PermissionView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        filterset = ApplicationFilter(
            request.GET or None, queryset=selectors.organiser_application_list(self.call)
        )
        pages = filtered_page(request, filterset)
        tell_ignored(request, pages["ignored"])
        return render(
            request,
            "missions/calls/manage_application_list.html",
            {
                "call": self.call,
                "applications": pages["page_obj"].object_list,
                **pages,
                "stats": _status_cards(selectors.application_status_counts(self.call)),
            },
        )


def _status_cards(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The summary cards of the applications page: how many applications are in each status,
    in the statuses' order, a card taking its badge's tone where the cards have that tone."""
    return [
        {"label": label, "value": counts[value], "tone": _card_tone(value)}
        for value, label in Status.choices
        if counts.get(value)
    ]


def _card_tone(status: str) -> str:
    tone = STATUS_TONES.get(status, "")
    return tone if tone in ("success", "warning", "danger") else ""


def _rounded(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


class ManageExportView(ManagedCallScope, PermissionView):
    """Applications with their scores, one row each, as CSV."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        rows = selectors.ranking(self.call)
        criteria = list(self.call.criteria.all())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="call-{self.call.pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "organisation",
                "state",
                "sectors",
                "contact",
                "email",
                "status",
                "submitted_at_utc",
                "weighted_score",
                "mean_score",
                "spread",
                "reviews",
            ]
            + [f"criterion:{c.name}" for c in criteria]
        )
        for row in rows:
            application = row.application
            writer.writerow(
                [
                    csv_cell(v)
                    for v in [
                        application.pk,
                        application.organization.name,
                        application.organization.region,
                        "; ".join(s.name for s in application.organization.sectors.all()),
                        application.contact.get_full_name(),
                        application.contact.email,
                        application.status,
                        application.submitted_at.isoformat() if application.submitted_at else "",
                        _rounded(row.weighted),
                        _rounded(row.mean),
                        _rounded(row.spread),
                        row.reviews,
                    ]
                ]
                + [_rounded(row.criterion_means.get(c.pk)) for c in criteria]
            )
        return response


class ManageApplicationView(ManagedCallScope, FormServiceView):
    """One application for the organiser: answers, files, reviews, status history; assign a
    reviewer or shortlist."""

    template_name = "missions/calls/manage_application_detail.html"
    success_message = gettext_lazy("Reviewer assigned.")

    @cached_property
    def application(self) -> Application:
        return get_object_or_404(
            selectors.applications_submitted_to(self.call), pk=self.kwargs["application_pk"]
        )

    def get_form(self, data=None, files=None) -> AssignForm:
        return AssignForm(data, reviewers=selectors.reviewer_candidates(), call=self.call)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        application = self.application
        return super().get_context_data(
            application=application,
            answers=answer_rows(application),
            attachments=application.attachments.all(),
            assignments=selectors.application_assignments(application),
            history=selectors.status_history(application),
            **context,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") != "shortlist":
            return super().post(request, *args, **kwargs)
        try:
            services.application_shortlist(application=self.application, by=request.user)
        except ValidationError as error:
            messages_from_error(request, error)
        else:
            messages.success(request, _("Shortlisted."))
        return redirect(self.get_success_url(None))

    def form_valid(self, form: AssignForm) -> None:
        services.reviewer_assign(
            application=self.application,
            reviewer=form.cleaned_data["reviewer"],
            by=self.request.user,
        )

    def get_success_url(self, result: Any) -> str:
        return reverse(
            "calls:manage_application",
            kwargs={"pk": self.call.pk, "application_pk": self.application.pk},
        )


class ReviewerSearchView(ManagedCallScope, PermissionView):
    """Suggestions for the reviewer input of an application's page, as JSON: at most 20
    active accounts with the reviewer role, for the call's organisers only."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return search_response(
            request,
            selectors.reviewer_candidates(),
            lookup=PERSON_LOOKUP,
            search_fields=PERSON_SEARCH_FIELDS,
        )


class ManageAssignView(ManagedCallScope, ConfirmedActionView):
    """Assign reviewers to every application in review, after a page that says how many
    assignments it will make and how they are chosen."""

    confirm_title = gettext_lazy("Assign reviewers to every application in review?")
    confirm_button = gettext_lazy("Assign the reviewers")

    def confirm_lines(self) -> list[str]:
        need = selectors.assignment_need(self.call)
        per_application = self.call.reviews_per_application
        if not need.reviews:
            return [
                ngettext(
                    "Every application in review already has its %(n)s reviewer: nothing "
                    "will change.",
                    "Every application in review already has its %(n)s reviewers: nothing "
                    "will change.",
                    per_application,
                )
                % {"n": per_application}
            ]
        return [
            ngettext(
                "%(applications)s application in review lacks reviewers: up to %(reviews)s "
                "review assignments will be made, so that each has %(n)s.",
                "%(applications)s applications in review lack reviewers: up to %(reviews)s "
                "review assignments will be made, so that each has %(n)s.",
                need.applications,
            )
            % {"applications": need.applications, "reviews": need.reviews, "n": per_application},
            ngettext(
                "They are shared among the %(reviewers)s reviewer, the least busy first, never "
                "one with a conflict of interest under the call's rule.",
                "They are shared among the %(reviewers)s reviewers, the least busy first, never "
                "one with a conflict of interest under the call's rule.",
                need.reviewers,
            )
            % {"reviewers": need.reviewers},
            _("Each reviewer then sees the applications in their review queue."),
        ]

    def perform(self) -> None:
        created = services.reviewers_assign_round_robin(
            call=self.call, by=self.request.user, reviewers=list(selectors.reviewer_candidates())
        )
        messages.success(
            self.request, _("%(count)s review assignments made.") % {"count": len(created)}
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:manage", kwargs={"pk": self.call.pk})

    def confirm_breadcrumbs(self) -> list[tuple[str, str]]:
        return _call_breadcrumbs(self.call, "calls:manage", _("Applications"))


def _call_breadcrumbs(call, viewname: str, label: str) -> list[tuple[str, str]]:
    """Calls, the call, then one of its organiser pages: where a confirmation page sits."""
    return [
        (reverse("calls:list"), _("Calls")),
        (reverse("calls:detail", kwargs={"pk": call.pk}), call.title),
        (reverse(viewname, kwargs={"pk": call.pk}), label),
    ]
