"""The call's organisers select the delegation: the ranking (with the optimal proposal), the
decisions and their emails. Split from ``manage`` (applications, export, reviewers) when it
passed 500 lines."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.pagination import ignored_filters, paginate, tell_ignored
from common.views import (
    FormServiceView,
    PermissionView,
    editable_copy,
    messages_from_error,
)

from .. import selection, selectors, services
from ..filters import ApplicationFilter
from ..forms import DecisionsForm, DecisionsSendForm, DecisionTemplateForm
from ..models import Application, DecisionTemplate
from .manage import ManagedCallScope, _call_breadcrumbs

Status = Application.Status


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
        tell_ignored(request, ignored_filters(filterset))
        # The filters given and understood: the others are left out, as on every list.
        filters = {
            name: request.GET[name]
            for name in filterset.filters
            if request.GET.get(name) and name not in filterset.errors
        }
        if filters:
            keep = set(filterset.qs.values_list("pk", flat=True))
            shown = [row for row in rows if row.application_id in keep]
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
