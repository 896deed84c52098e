"""Outcomes: the register, reporting an outcome of a mission, event, meeting or
partnership, its evidence, and the staff's review queue and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.pagination import paginate
from common.views import ActionView, FormServiceView, PermissionView
from matchmaking.models import Meeting
from missions.events.selectors import events_visible_to
from missions.selectors import missions_visible_to
from organizations.models import Organization

from .. import selectors, services
from ..forms import OutcomeForm
from ..models import Outcome, Partnership

OUTCOME_PAGE_SIZE = 50


class OutcomeListView(PermissionView):
    """The register: public verified outcomes for everyone, and the reader's own."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        pages = paginate(request, selectors.outcome_list(request.user), OUTCOME_PAGE_SIZE)
        return render(
            request,
            "programmes/outcome_list.html",
            {
                **pages,
                "outcomes": pages["page_obj"].object_list,
                "meetings": selectors.meetings_reportable_by(request.user).order_by(
                    "-slot__starts_at", "pk"
                )[:20]
                if request.user.is_authenticated
                else [],
                "partnerships": selectors.partnerships_managed_by(request.user),
            },
        )


SOURCES = ("mission", "event", "meeting", "partnership")


class OutcomeReportView(FormServiceView):
    """Report an outcome of a mission, event, meeting or partnership: its participants,
    managers, organisers and staff. A meeting the reader was not in is a 404."""

    permission_required = "programmes.report_outcome"
    form_class = OutcomeForm
    template_name = "programmes/outcome_form.html"

    def get_object(self):
        user, pk, source = self.request.user, self.kwargs["pk"], self.kwargs["source"]
        if source == "meeting":
            return get_object_or_404(selectors.meetings_reportable_by(user), pk=pk)
        if source == "partnership":
            return get_object_or_404(selectors.partnerships_visible_to(user), pk=pk)
        if source == "mission":
            return get_object_or_404(missions_visible_to(user), pk=pk)
        if source == "event":
            return get_object_or_404(events_visible_to(user), pk=pk)
        raise Http404

    def get_form_kwargs(self) -> dict[str, Any]:
        organizations = Organization.objects.filter(
            validation_state=Organization.ValidationState.VALIDATED
        ).order_by("name")
        if isinstance(self.object, Partnership):
            organizations = Organization.objects.filter(
                partnership_memberships__partnership=self.object
            ).order_by("name")
        return {"organizations": organizations, "is_meeting": isinstance(self.object, Meeting)}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"source": self.object, "source_kind": self.kwargs["source"], **context}

    def form_valid(self, form: OutcomeForm) -> Outcome:
        try:
            outcome = services.outcome_report(
                by=self.request.user,
                source=self.object,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                organizations=form.cleaned_data["organizations"],
                visibility=form.cleaned_data["visibility"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data["evidence"],
            )
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error
        if outcome.reported_by_id == self.request.user.pk:
            messages.success(self.request, _("Outcome reported. Staff will verify it."))
        else:
            messages.success(
                self.request,
                _("This outcome was already reported: your report is recorded as a confirmation."),
            )
        return outcome


class OutcomeMixin:
    login_required = False
    permission_required = "programmes.see_outcome"

    def get_object(self) -> Outcome:
        return get_object_or_404(selectors.outcome_page(self.request.user), pk=self.kwargs["pk"])


class OutcomeDetailView(OutcomeMixin, PermissionView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = self.object
        return render(
            request,
            "programmes/outcome_detail.html",
            {
                "outcome": outcome,
                "can_download": bool(outcome.evidence)
                and request.user.has_perm("programmes.download_evidence", outcome),
                "can_verify": request.user.has_perm("programmes.verify_outcome", outcome),
            },
        )


class OutcomeEvidenceView(PermissionView):
    """The evidence file, always as a download, to insiders, organisers and staff only; the
    same 404 for an unknown outcome, a hidden one and one without a file."""

    login_required = False
    permission_required = "programmes.download_evidence"

    def get_object(self) -> Outcome:
        return get_object_or_404(
            selectors.outcomes_with_evidence_for(self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = self.object
        try:
            handle = outcome.evidence.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=outcome.evidence_name or "evidence",
            content_type=outcome.evidence_content_type or "application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class OutcomeQueueView(PermissionView):
    permission_required = "programmes.verify_outcome"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "programmes/outcome_review.html",
            {"outcomes": selectors.outcomes_to_verify()},
        )


class OutcomeDecideView(OutcomeMixin, ActionView):
    login_required = True
    permission_required = "programmes.verify_outcome"

    def perform(self) -> Outcome:
        decision = self.request.POST.get("decision")
        if decision == "verify":
            outcome = services.outcome_verify(outcome=self.object, by=self.request.user)
            messages.success(self.request, _("Outcome verified: it now counts in the figures."))
        elif decision == "reject":
            outcome = services.outcome_reject(outcome=self.object, by=self.request.user)
            messages.success(self.request, _("Outcome rejected."))
        else:
            raise ValidationError(_("Choose to verify or to reject the outcome."))
        return outcome

    def get_success_url(self, result: Any) -> str:
        return reverse("outcomes:review")
