"""The call's organisers: the applications, export, reviewers, ranking, decisions and their
emails."""

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
from common.pagination import paginate
from common.text import csv_cell
from common.views import (
    ConfirmedActionView,
    FormServiceView,
    PermissionView,
    editable_copy,
    messages_from_error,
)
from organizations.autocomplete import PERSON_LOOKUP, PERSON_SEARCH_FIELDS

from .. import selection, selectors, services
from ..filters import ApplicationFilter
from ..forms import AssignForm, DecisionsForm, DecisionsSendForm, DecisionTemplateForm
from ..models import Application, Call, DecisionTemplate
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
        if filterset.is_bound and not filterset.is_valid():
            messages.warning(request, _("Some filters were ignored: they were not understood."))
            applications = selectors.organiser_application_list(self.call)
        else:
            applications = filterset.qs
        pages = paginate(request, applications)
        return render(
            request,
            "missions/calls/manage_application_list.html",
            {
                "call": self.call,
                "filter": filterset,
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


def _selected_ids(request: HttpRequest, method: str = "GET") -> set[int]:
    ids = set()
    for value in getattr(request, method).getlist("selected")[:500]:
        if value.isdigit() and len(value) < 12:
            ids.add(int(value))
    return ids


class ManageRankingView(ManagedCallScope, PermissionView):
    """The ranking, and how a proposed selection (``?selected=…``) meets the limits; POST
    proposes the best selection within every limit."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        rows = selectors.ranked(self.call)
        limits = selectors.selection_limits(self.call)
        candidates = selectors.candidates_from(rows)
        chosen = _selected_ids(request) & {c.id for c in candidates}
        violations = selection.check(candidates, chosen, limits) if chosen else []
        # The filters narrow the rows shown; the selection is checked against all of them.
        filterset = ApplicationFilter(
            request.GET, queryset=selectors.applications_of_call(self.call)
        )
        shown = rows
        filters: dict[str, str] = {}
        if any(request.GET.get(name) for name in filterset.filters):
            if filterset.is_valid():
                keep = set(filterset.qs.values_list("pk", flat=True))
                shown = [row for row in rows if row.application_id in keep]
                filters = {
                    name: request.GET[name] for name in filterset.filters if request.GET.get(name)
                }
            else:
                messages.warning(request, _("Some filters were ignored: they were not understood."))
        # One page of rows is rendered, with its applications; the ranking, the check and the
        # proposal use every row.
        pages = paginate(request, shown)
        on_page = selectors.with_applications(pages["page_obj"].object_list)
        return render(
            request,
            "missions/calls/manage_ranking.html",
            {
                "call": self.call,
                "filter": filterset,
                "rows": on_page,
                **pages,
                "filters": filters,
                "chosen_elsewhere": sorted(chosen - {row.application_id for row in on_page}),
                "limits": limits,
                "chosen": chosen,
                "chosen_query": "&".join(f"selected={pk}" for pk in sorted(chosen)),
                "chosen_total": sum(c.score for c in candidates if c.id in chosen),
                "violations": [services.describe_violation(v) for v in violations],
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = services.selection_propose(call=self.call, by=request.user)
        if not proposal.is_feasible:
            messages.error(request, services.proposal_refusal(proposal))
            return redirect("calls:ranking", pk=pk)
        messages.success(
            request,
            _(
                "Proposed: the %(count)s applications with the highest total score within every "
                "limit."
            )
            % {"count": len(proposal.selected)},
        )
        query = "&".join(f"selected={pk}" for pk in proposal.selected)
        return redirect(reverse("calls:ranking", kwargs={"pk": pk}) + "?" + query)


class ManageDecisionsView(ManagedCallScope, FormServiceView):
    """Prepare decisions (nothing is sent), then send them all in one batch.

    The applications come a page at a time; preparing a page keeps the decisions prepared on
    the others and one waiting-list order across them all. A selection proposed on the ranking
    (``?selected=…``) can be prepared for every application at once."""

    template_name = "missions/calls/manage_decisions.html"
    success_message = gettext_lazy("Decisions prepared. Nothing is sent until you send them.")

    @cached_property
    def pages(self) -> dict[str, Any]:
        return paginate(self.request, selectors.applications_for_decisions(self.call))

    def get_form(self, data=None, files=None) -> DecisionsForm:
        applications = list(self.pages["page_obj"].object_list)
        if data is None:
            return DecisionsForm(applications=applications, selected=_selected_ids(self.request))
        return DecisionsForm(data, applications=applications)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        form = context["form"]
        rows = [
            (application, form[f"d_{application.pk}"], form[f"w_{application.pk}"])
            for application in form.applications
        ]
        return super().get_context_data(
            rows=rows,
            **self.pages,
            selected=sorted(_selected_ids(self.request)),
            pending=selectors.decisions_prepared_count(self.call),
            templates=selectors.decision_templates(self.call),
            withdrawals=selectors.withdrawals_from_delegation(self.call),
            **context,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "send":
            # Sending asks first, on a page of its own.
            return redirect("calls:decisions_send", pk=self.call.pk)
        if request.POST.get("action") == "prepare_selection":
            return self.prepare_selection(request)
        return super().post(request, *args, **kwargs)

    def _prepare(self, entries: list[tuple[int, int, str]]) -> None:
        """Prepare ``(waitlist rank or 999, id, decision)`` entries as one batch, the waiting
        list in rank order."""
        entries.sort()
        violations = services.decisions_prepare(
            call=self.call,
            by=self.request.user,
            decisions={pk: decision for _rank, pk, decision in entries},
            waitlist=[pk for _rank, pk, decision in entries if decision == Status.WAITLISTED],
        )
        for violation in violations:
            messages.warning(self.request, services.describe_violation(violation))

    def form_valid(self, form: DecisionsForm) -> None:
        on_page = {application.pk for application in form.applications}
        decisions, _waitlist = form.decisions()
        entries = [
            (form.cleaned_data.get(f"w_{pk}") or 999, pk, decision)
            for pk, decision in decisions.items()
        ]
        # The other pages' prepared decisions go in the same batch, so the waiting list is
        # numbered once across all pages instead of from 1 on each.
        entries += [
            (rank or 999, pk, decision)
            for pk, decision, rank in selectors.decidable_applications(self.call)
            if decision and pk not in on_page
        ]
        self._prepare(entries)

    def prepare_selection(self, request: HttpRequest) -> HttpResponse:
        chosen = _selected_ids(request, "POST")
        decidable = selectors.decidable_applications(self.call)
        if not chosen or not chosen <= {pk for pk, _decision, _rank in decidable}:
            messages.error(
                request,
                _("Nothing was prepared: the selection names applications that cannot be decided."),
            )
            return redirect("calls:decisions", pk=self.call.pk)
        try:
            self._prepare(
                [
                    (rank or 999, pk, Status.SELECTED if pk in chosen else Status.WAITLISTED)
                    for pk, _decision, rank in decidable
                ]
            )
        except ValidationError as error:
            messages_from_error(request, error)
        else:
            messages.success(request, self.success_message)
        return redirect("calls:decisions", pk=self.call.pk)

    def get_success_url(self, result: Any) -> str:
        return self.request.get_full_path()


class ManageDecisionsSendView(ManagedCallScope, FormServiceView):
    """Send every prepared decision, after a page that says how many go out and why it may
    be early (the call still open, reviews missing): then a box must be ticked."""

    template_name = "includes/confirm.html"

    @cached_property
    def warnings(self) -> list[str]:
        return selectors.decisions_send_warnings(self.call)

    def get_form(self, data=None, files=None) -> DecisionsSendForm:
        return DecisionsSendForm(data, warnings=self.warnings)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        count = selectors.decisions_prepared_count(self.call)
        lines = [
            ngettext(
                "%(count)s prepared decision is sent: its applicant gets an email, and a "
                "selected applicant joins the delegation.",
                "%(count)s prepared decisions are sent: each applicant gets an email, and "
                "selected applicants join the delegation.",
                count,
            )
            % {"count": count},
            _("Decisions cannot be taken back once sent."),
            *self.warnings,
        ]
        return super().get_context_data(
            title=_("Send the decisions of %(call)s?") % {"call": self.call.title},
            lines=lines,
            button=_("Send the decisions"),
            cancel_url=reverse("calls:decisions", kwargs={"pk": self.call.pk}),
            crumbs=_call_breadcrumbs(self.call, "calls:decisions", _("Decisions")),
            **context,
        )

    def form_valid(self, form: DecisionsSendForm) -> None:
        count = services.decisions_send(call=self.call, by=self.request.user)
        messages.success(
            self.request,
            _("%(count)s decisions sent; the emails are on their way.") % {"count": count},
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:decisions", kwargs={"pk": self.call.pk})


class ManageDecisionTemplateView(ManagedCallScope, FormServiceView):
    template_name = "missions/calls/manage_template_form.html"
    success_message = gettext_lazy("Email saved.")

    @cached_property
    def template(self) -> DecisionTemplate:
        return get_object_or_404(
            selectors.decision_templates(self.call), pk=self.kwargs["template_pk"]
        )

    def get_form(self, data=None, files=None) -> DecisionTemplateForm:
        if data is None:
            return DecisionTemplateForm(instance=self.template)
        return DecisionTemplateForm(data, instance=editable_copy(self.template))

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(template=self.template, **context)

    def form_valid(self, form: DecisionTemplateForm) -> None:
        services.decision_template_update(
            template=self.template,
            by=self.request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:decisions", kwargs={"pk": self.call.pk})
