"""Thin views on ``common.views``: each declares its permission and finds its object among
those the reader may see (else 404), validates a form, calls one service, redirects."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.text import csv_cell
from common.views import ActionView, FormServiceView, PermissionView, editable_copy, viewer_zone
from matchmaking.models import Meeting
from missions.calls.selectors import calls_visible_to
from missions.events.selectors import events_visible_to
from missions.mapsvg import MapPoint, render_map
from missions.selectors import missions_visible_to
from organizations.models import Organization

from . import selectors, services
from .feeds import programme_calendar
from .filters import PartnershipFilter
from .forms import (
    OutcomeForm,
    PartnershipChangeForm,
    PartnershipForm,
    ProgrammeForm,
    ProgrammeLinkForm,
)
from .models import Outcome, Partnership, PartnershipChange, Programme

DIRECTORY_PAGE_SIZE = 24
OUTCOME_PAGE_SIZE = 50

# --- Programmes -----------------------------------------------------------------------------


class ProgrammeListView(PermissionView):
    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "programmes/programme_list.html",
            {"programmes": selectors.programme_list(request.user)},
        )


class ProgrammeMixin:
    login_required = False
    permission_required = "programmes.see_programme"

    def get_object(self) -> Programme:
        return get_object_or_404(
            selectors.programme_list(self.request.user), slug=self.kwargs["slug"]
        )


class ProgrammeDetailView(ProgrammeMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "programmes/programme_detail.html",
            {
                "programme": self.object,
                "series": selectors.programme_series(self.object, request.user),
                "outcomes": selectors.programme_outcomes(self.object, request.user),
                "viewer_zone": viewer_zone(request),
            },
        )


class ProgrammeFeedView(ProgrammeMixin, PermissionView):
    """The series as a calendar: what the reader may see, so the public feed is public."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        series = selectors.programme_series(self.object, request.user)
        response = HttpResponse(
            programme_calendar(self.object, series), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{slugify(self.object.name)}.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


class ProgrammeFiguresView(ProgrammeMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "programmes/programme_figures.html",
            {"programme": self.object, "figures": selectors.programme_figures(self.object)},
        )


class ProgrammeFigureCsvView(ProgrammeMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        figure = next((f for f in selectors.programme_figures(self.object) if f.key == key), None)
        if figure is None:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{slugify(self.object.name)}-{figure.key}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow([csv_cell(figure.label_heading), csv_cell(_("Count"))])
        for label, value in figure.rows:
            writer.writerow([csv_cell(label), csv_cell(value)])
        return response


class ProgrammeCreateView(FormServiceView):
    permission_required = "programmes.run_programmes"
    form_class = ProgrammeForm
    template_name = "programmes/programme_form.html"
    success_message = _("Programme created.")

    def form_valid(self, form: ProgrammeForm) -> Programme:
        return services.programme_create(by=self.request.user, **form.cleaned_data)


class ProgrammeUpdateView(ProgrammeMixin, FormServiceView):
    login_required = True
    permission_required = "programmes.run_programmes"
    form_class = ProgrammeForm
    template_name = "programmes/programme_form.html"
    success_message = _("Programme saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {"instance": editable_copy(self.object)}
        return {"instance": self.object}

    def form_valid(self, form: ProgrammeForm) -> Programme:
        return services.programme_update(
            programme=self.object, by=self.request.user, **form.cleaned_data
        )


class ProgrammeLinkView(ProgrammeMixin, FormServiceView):
    """Add a mission, event or call the organiser can see to the programme's series."""

    login_required = True
    permission_required = "programmes.run_programmes"
    form_class = ProgrammeLinkForm
    template_name = "programmes/programme_link.html"
    success_message = _("Added to the programme's series.")

    def get_form_kwargs(self) -> dict[str, Any]:
        user = self.request.user
        return {
            "missions": missions_visible_to(user)
            .filter(programme_link__isnull=True)
            .order_by("-start_date"),
            "events": events_visible_to(user)
            .filter(programme_link__isnull=True)
            .order_by("-starts_at"),
            "calls": calls_visible_to(user)
            .filter(programme_link__isnull=True)
            .order_by("-closes_at"),
        }

    def form_valid(self, form: ProgrammeLinkForm) -> Programme:
        return services.programme_link_activity(
            programme=self.object, activity=form.cleaned_data["activity"], by=self.request.user
        )


# --- Partnerships ---------------------------------------------------------------------------


class PartnershipListView(PermissionView):
    """The public directory. Junk in the filters gives the page with a message, never a 500."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = PartnershipFilter(
            request.GET or None,
            queryset=selectors.partnership_directory(request.user),
            request=request,
        )
        if filterset.is_bound and not filterset.is_valid():
            for name, errors in filterset.errors.items():
                label = filterset.form.fields[name].label if name in filterset.form.fields else ""
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
            "programmes/partnership_list.html",
            {
                "filter": filterset,
                "page_obj": page,
                "partnerships": page.object_list,
                "query_without_page": query.urlencode(),
            },
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


# --- Outcomes -------------------------------------------------------------------------------


class OutcomeListView(PermissionView):
    """The register: public verified outcomes for everyone, and the reader's own."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        paginator = Paginator(selectors.outcome_list(request.user), OUTCOME_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "programmes/outcome_list.html",
            {
                "page_obj": page,
                "outcomes": page.object_list,
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
