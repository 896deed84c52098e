"""Thin views of calls: find the object among those the reader may see (else 404), validate a
form, call one service, redirect or render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from organizations.models import Organization

from . import selection, selectors, services
from .filters import ApplicationFilter
from .forms import (
    ApplicationForm,
    AssignForm,
    AttachmentForm,
    CallForm,
    ConflictForm,
    CriterionForm,
    DecisionsForm,
    DecisionTemplateForm,
    QuestionForm,
    QuotaForm,
    ScoreForm,
    StartForm,
)
from .models import Application, Attachment, Call, Criterion, DecisionTemplate, Question, Quota


def _errors(error) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))


def _flash_errors(request, error) -> None:
    for message in _errors(error):
        messages.error(request, message)


def _viewer_zone(request) -> str | None:
    return request.user.home_time_zone if request.user.is_authenticated else None


# --- Public and applicant pages -------------------------------------------------------------


class CallListView(View):
    def get(self, request):
        from missions.selectors import missions_editable_by

        calls = selectors.calls_visible_to(request.user).order_by("-closes_at", "pk")
        return render(
            request,
            "missions/calls/call_list.html",
            {
                "calls": calls,
                "my_applications": selectors.applications_of_applicant(request.user).order_by(
                    "-created_at", "pk"
                ),
                "organised_missions": missions_editable_by(request.user).order_by(
                    "-start_date", "pk"
                ),
            },
        )


class CallDetailView(View):
    """The call: open or closed, the deadline in the call's zone and the reader's."""

    def get(self, request, pk):
        call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
        own = None
        start_form = None
        if request.user.is_authenticated:
            own = (
                selectors.applications_of_applicant(request.user)
                .filter(call=call)
                .exclude(status=Application.Status.WITHDRAWN)
                .first()
            )
            organizations = Organization.objects.filter(memberships__user=request.user)
            if own is None and call.is_open() and organizations.exists():
                start_form = StartForm(organizations=organizations)
        return render(
            request,
            "missions/calls/call_detail.html",
            {
                "call": call,
                "viewer_zone": _viewer_zone(request),
                "own_application": own,
                "start_form": start_form,
                "can_manage": request.user.has_perm("calls.manage_call", call),
            },
        )


class ApplicationStartView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
        form = StartForm(
            request.POST,
            organizations=Organization.objects.filter(memberships__user=request.user),
        )
        if not form.is_valid():
            messages.error(request, _("Choose one of your organisations."))
            return redirect("calls:detail", pk=call.pk)
        try:
            application = services.application_start(
                call=call, by=request.user, organization=form.cleaned_data["organization"]
            )
        except (ValidationError, PermissionDenied) as error:
            _flash_errors(request, error)
            return redirect("calls:detail", pk=call.pk)
        return redirect("calls:application", pk=application.pk)


class OwnApplicationMixin(LoginRequiredMixin):
    """The reader's own application (they are its contact); anyone else's is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = get_object_or_404(
            selectors.applications_of_applicant(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)


class ApplicationView(OwnApplicationMixin, View):
    """The applicant's page: the draft form, files, submit, withdraw, status and result.
    Reviewers' names and scores are never on it."""

    def get(self, request, pk):
        return self.render(self.form())

    def form(self, data=None) -> ApplicationForm:
        return ApplicationForm(
            data,
            questions=list(self.application.call.questions.all()),
            answers=self.application.answers,
        )

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        submit = "submit" in request.POST
        try:
            if submit and self.application.status == Application.Status.DRAFT:
                services.application_submit(
                    application=self.application, by=request.user, answers=form.answers()
                )
                messages.success(
                    request, _("Application submitted. You may edit it until the deadline.")
                )
            else:
                services.application_save_draft(
                    application=self.application, by=request.user, answers=form.answers()
                )
                messages.success(request, _("Saved."))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.render(form, status=400)
        return redirect("calls:application", pk=self.application.pk)

    def render(self, form, status=200):
        application = self.application
        call = application.call
        file_questions = call.questions.filter(kind=Question.Kind.FILE)
        return render(
            self.request,
            "missions/calls/application_detail.html",
            {
                "application": application,
                "call": call,
                "form": form,
                "editable": application.status in services.EDITABLE and call.is_open(),
                "attachments": application.attachments.all(),
                "attachment_form": AttachmentForm(questions=file_questions),
                "viewer_zone": _viewer_zone(self.request),
                "withdrawable": application.status
                not in (Application.Status.WITHDRAWN, Application.Status.REJECTED),
            },
            status=status,
        )


class ApplicationWithdrawView(OwnApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.application_withdraw(application=self.application, by=request.user)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("calls:application", pk=pk)


class AttachmentUploadView(OwnApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = AttachmentForm(
            request.POST,
            request.FILES,
            questions=self.application.call.questions.filter(kind=Question.Kind.FILE),
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("calls:application", pk=pk)
        try:
            services.attachment_add(
                application=self.application,
                by=request.user,
                upload=form.cleaned_data["file"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("File added."))
        return redirect("calls:application", pk=pk)


class AttachmentDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        attachment = get_object_or_404(
            Attachment.objects.filter(application__contact=request.user).select_related(
                "application__call"
            ),
            pk=pk,
        )
        try:
            services.attachment_delete(attachment=attachment, by=request.user)
        except ValidationError as error:
            _flash_errors(request, error)
        return redirect("calls:application", pk=attachment.application_id)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Served to the applicant, assigned reviewers and the call's organisers only, always as a
    download (never rendered inline by the browser)."""

    def get(self, request, pk):
        attachment = get_object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


# --- Reviewers ------------------------------------------------------------------------------


class ReviewListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "missions/calls/review_list.html",
            {"assignments": selectors.assignments_of_reviewer(request.user)},
        )


class AssignmentMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assignment = get_object_or_404(
            selectors.assignments_of_reviewer(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)


class ReviewView(AssignmentMixin, View):
    """Score an application; other reviewers' scores appear once one's own are in."""

    def form(self, data=None) -> ScoreForm:
        own = {s.criterion_id: (s.value, s.comment) for s in self.assignment.scores.all()}
        return ScoreForm(
            data, criteria=list(self.assignment.application.call.criteria.all()), scores=own
        )

    def get(self, request, pk):
        return self.render(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.scores_submit(
                assignment=self.assignment, by=request.user, scores=form.scores()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form, status=400)
        messages.success(request, _("Scores saved."))
        return redirect("calls:review", pk=pk)

    def render(self, form, status=200):
        application = self.assignment.application
        return render(
            self.request,
            "missions/calls/review_form.html",
            {
                "assignment": self.assignment,
                "application": application,
                "answers": _answer_rows(application),
                "attachments": application.attachments.all(),
                "form": form,
                "conflict_form": ConflictForm(),
                "other_reviews": selectors.other_reviews_visible(self.assignment),
            },
            status=status,
        )


class ReviewConflictView(AssignmentMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ConflictForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why, briefly."))
            return redirect("calls:review", pk=pk)
        services.conflict_declare(
            assignment=self.assignment, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Conflict of interest recorded; you no longer score it."))
        return redirect("calls:reviews")


def _answer_rows(application: Application) -> list[tuple[str, object]]:
    rows = []
    for question in application.call.questions.all():
        if question.kind == Question.Kind.FILE:
            continue
        value = application.answers.get(str(question.pk), "")
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, list):
            value = ", ".join(value)
        rows.append((question.label, value))
    return rows


# --- Organisers -----------------------------------------------------------------------------


class ManagedCallMixin(LoginRequiredMixin):
    """The call among those the reader organises; any other call is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.call = get_object_or_404(selectors.calls_managed_by(request.user), pk=kwargs["pk"])
        if not request.user.has_perm("calls.manage_call", self.call):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ManageApplicationListView(ManagedCallMixin, View):
    def get(self, request, pk):
        filterset = ApplicationFilter(
            request.GET or None, queryset=selectors.organiser_application_list(self.call)
        )
        if filterset.is_bound and not filterset.is_valid():
            messages.warning(request, _("Some filters were ignored: they were not understood."))
            applications = selectors.organiser_application_list(self.call)
        else:
            applications = filterset.qs
        return render(
            request,
            "missions/calls/manage_application_list.html",
            {
                "call": self.call,
                "filter": filterset,
                "applications": applications,
                "reviewers": selectors.reviewer_candidates(),
                "counts": dict(
                    Application.objects.filter(call=self.call)
                    .values_list("status")
                    .annotate(n=Count("pk"))
                ),
            },
        )


def _csv_cell(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: quote them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ManageExportView(ManagedCallMixin, View):
    """Applications with their scores, one row each, as CSV."""

    def get(self, request, pk):
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
                    _csv_cell(v)
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


def _rounded(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


class ManageApplicationView(ManagedCallMixin, View):
    """One application for the organiser: answers, files, reviews, status history; assign a
    reviewer or shortlist."""

    def get_application(self):
        return get_object_or_404(
            selectors.applications_submitted_to(self.call), pk=self.kwargs["application_pk"]
        )

    def get(self, request, pk, application_pk):
        application = self.get_application()
        return self.render(application, AssignForm(reviewers=selectors.reviewer_candidates()))

    def post(self, request, pk, application_pk):
        application = self.get_application()
        try:
            if request.POST.get("action") == "shortlist":
                services.application_shortlist(application=application, by=request.user)
                messages.success(request, _("Shortlisted."))
            else:
                form = AssignForm(request.POST, reviewers=selectors.reviewer_candidates())
                if not form.is_valid():
                    return self.render(application, form, status=400)
                services.reviewer_assign(
                    application=application,
                    reviewer=form.cleaned_data["reviewer"],
                    by=request.user,
                )
                messages.success(request, _("Reviewer assigned."))
        except ValidationError as error:
            _flash_errors(request, error)
        return redirect("calls:manage_application", pk=pk, application_pk=application.pk)

    def render(self, application, form, status=200):
        return render(
            self.request,
            "missions/calls/manage_application_detail.html",
            {
                "call": self.call,
                "application": application,
                "answers": _answer_rows(application),
                "attachments": application.attachments.all(),
                "assignments": application.assignments.select_related("reviewer").prefetch_related(
                    "scores__criterion"
                ),
                "history": selectors.status_history(application),
                "form": form,
            },
            status=status,
        )


class ManageAssignView(ManagedCallMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        created = services.reviewers_assign_round_robin(
            call=self.call, by=request.user, reviewers=list(selectors.reviewer_candidates())
        )
        messages.success(request, _("%(count)s review assignments made.") % {"count": len(created)})
        return redirect("calls:manage", pk=pk)


def _selected_ids(request) -> set[int]:
    ids = set()
    for value in request.GET.getlist("selected")[:500]:
        if value.isdigit() and len(value) < 12:
            ids.add(int(value))
    return ids


class ManageRankingView(ManagedCallMixin, View):
    """The ranking, and how a proposed selection (``?selected=…``) meets the limits."""

    def get(self, request, pk):
        rows = selectors.ranking(self.call)
        limits = selectors.selection_limits(self.call)
        candidates = selectors.candidates_from(rows)
        chosen = _selected_ids(request) & {c.id for c in candidates}
        violations = selection.check(candidates, chosen, limits) if chosen else []
        # The filters narrow the rows shown; the selection is checked against all of them.
        filterset = ApplicationFilter(
            request.GET, queryset=Application.objects.filter(call=self.call)
        )
        shown = rows
        if any(request.GET.get(name) for name in filterset.filters):
            if filterset.is_valid():
                keep = set(filterset.qs.values_list("pk", flat=True))
                shown = [row for row in rows if row.application.pk in keep]
            else:
                messages.warning(request, _("Some filters were ignored: they were not understood."))
        return render(
            request,
            "missions/calls/manage_ranking.html",
            {
                "call": self.call,
                "filter": filterset,
                "rows": shown,
                "criteria": list(self.call.criteria.all()),
                "limits": limits,
                "chosen": chosen,
                "chosen_query": "&".join(f"selected={pk}" for pk in sorted(chosen)),
                "chosen_total": sum(c.score for c in candidates if c.id in chosen),
                "violations": [services.describe_violation(v) for v in violations],
            },
        )

    def post(self, request, pk):
        proposal = services.selection_propose(call=self.call, by=request.user)
        if not proposal.is_feasible:
            messages.error(request, _("No selection meets every limit and quota: relax a quota."))
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


class ManageDecisionsView(ManagedCallMixin, View):
    """Prepare decisions (nothing is sent), then send them all in one batch."""

    def applications(self) -> list[Application]:
        return list(
            Application.objects.filter(call=self.call)
            .filter(
                Q(status__in=(*Application.IN_REVIEW, Application.Status.WAITLISTED))
                | ~Q(decision_pending="")
            )
            .select_related("organization", "contact")
            .order_by("organization__name", "pk")
        )

    def get(self, request, pk):
        form = DecisionsForm(applications=self.applications(), selected=_selected_ids(request))
        return self.render(form)

    def post(self, request, pk):
        if request.POST.get("action") == "send":
            try:
                count = services.decisions_send(call=self.call, by=request.user)
            except ValidationError as error:
                _flash_errors(request, error)
            else:
                messages.success(
                    request,
                    _("%(count)s decisions sent; the emails are on their way.") % {"count": count},
                )
            return redirect("calls:decisions", pk=pk)
        form = DecisionsForm(request.POST, applications=self.applications())
        if not form.is_valid():
            return self.render(form, status=400)
        decisions, waitlist = form.decisions()
        try:
            violations = services.decisions_prepare(
                call=self.call, by=request.user, decisions=decisions, waitlist=waitlist
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form, status=400)
        for violation in violations:
            messages.warning(request, services.describe_violation(violation))
        messages.success(request, _("Decisions prepared. Nothing is sent until you send them."))
        return redirect("calls:decisions", pk=pk)

    def render(self, form, status=200):
        rows = [
            (application, form[f"d_{application.pk}"], form[f"w_{application.pk}"])
            for application in form.applications
        ]
        return render(
            self.request,
            "missions/calls/manage_decisions.html",
            {
                "call": self.call,
                "form": form,
                "rows": rows,
                "pending": sum(1 for a in form.applications if a.decision_pending),
                "templates": DecisionTemplate.objects.filter(call=self.call),
                "withdrawals": selectors.withdrawals_from_delegation(self.call),
            },
            status=status,
        )


class ManageDecisionTemplateView(ManagedCallMixin, View):
    def get_template(self):
        return get_object_or_404(
            DecisionTemplate.objects.filter(call=self.call), pk=self.kwargs["template_pk"]
        )

    def get(self, request, pk, template_pk):
        template = self.get_template()
        return self.render(template, DecisionTemplateForm(instance=template))

    def post(self, request, pk, template_pk):
        template = self.get_template()
        form = DecisionTemplateForm(
            request.POST, instance=DecisionTemplate.objects.get(pk=template.pk)
        )
        if not form.is_valid():
            return self.render(template, form, status=400)
        services.decision_template_update(
            template=template,
            by=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Email saved."))
        return redirect("calls:decisions", pk=pk)

    def render(self, template, form, status=200):
        return render(
            self.request,
            "missions/calls/manage_template_form.html",
            {"call": self.call, "template": template, "form": form},
            status=status,
        )


# --- Setting up a call ----------------------------------------------------------------------


class CallCreateView(LoginRequiredMixin, View):
    """A new call for one of the missions the reader organises (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        from missions.selectors import missions_editable_by

        self.mission = get_object_or_404(
            missions_editable_by(request.user), slug=kwargs["mission_slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, mission_slug):
        return self.render(
            CallForm(initial={"time_zone": "America/New_York", "max_per_organization": 1})
        )

    def post(self, request, mission_slug):
        form = CallForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            call = services.call_create(mission=self.mission, by=request.user, **form.values())
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form, status=400)
        messages.success(request, _("Call created. Add its questions and criteria."))
        return redirect("calls:setup", pk=call.pk)

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/calls/call_form.html",
            {"form": form, "mission": self.mission, "call": None},
            status=status,
        )


class CallUpdateView(ManagedCallMixin, View):
    def get(self, request, pk):
        return self.render(CallForm(instance=self.call))

    def post(self, request, pk):
        form = CallForm(request.POST, instance=Call.objects.get(pk=self.call.pk))
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.call_update(call=self.call, by=request.user, **form.values())
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form, status=400)
        messages.success(request, _("Call saved."))
        return redirect("calls:setup", pk=pk)

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/calls/call_form.html",
            {"form": form, "mission": self.call.mission, "call": self.call},
            status=status,
        )


class CallSetupView(ManagedCallMixin, View):
    """The call's form (questions), criteria and quotas: add and remove."""

    FORMS = {
        "add_question": ("question_form", QuestionForm),
        "add_criterion": ("criterion_form", CriterionForm),
        "add_quota": ("quota_form", QuotaForm),
    }

    def get(self, request, pk):
        return self.render({})

    def post(self, request, pk):
        action = request.POST.get("action", "")
        try:
            if action in self.FORMS:
                name, form_class = self.FORMS[action]
                form = form_class(request.POST)
                if not form.is_valid():
                    return self.render({name: form}, status=400)
                self.add(action, form)
            elif action in ("delete_question", "delete_criterion", "delete_quota"):
                self.delete(action, request.POST.get("id", ""))
            else:
                messages.error(request, _("Unknown action."))
                return redirect("calls:setup", pk=pk)
        except ValidationError as error:
            _flash_errors(request, error)
            return redirect("calls:setup", pk=pk)
        messages.success(request, _("Saved."))
        return redirect("calls:setup", pk=pk)

    def add(self, action: str, form) -> None:
        if action == "add_question":
            services.question_add(call=self.call, by=self.request.user, **form.values())
        elif action == "add_criterion":
            services.criterion_add(call=self.call, by=self.request.user, **form.cleaned_data)
        else:
            services.quota_set(call=self.call, by=self.request.user, **form.cleaned_data)

    def delete(self, action: str, raw_id: str) -> None:
        model, service = {
            "delete_question": (Question, services.question_delete),
            "delete_criterion": (Criterion, services.criterion_delete),
            "delete_quota": (Quota, services.quota_delete),
        }[action]
        if not raw_id.isdigit() or len(raw_id) > 12:
            raise Http404
        obj = get_object_or_404(model.objects.filter(call=self.call), pk=int(raw_id))
        keyword = {Question: "question", Criterion: "criterion", Quota: "quota"}[model]
        service(**{keyword: obj, "by": self.request.user})

    def render(self, bound: dict, status=200):
        context = {
            "call": self.call,
            "questions": self.call.questions.all(),
            "criteria": self.call.criteria.all(),
            "quotas": self.call.quotas.all(),
            "question_form": QuestionForm(),
            "criterion_form": CriterionForm(initial={"weight": 1, "scale_max": 5}),
            "quota_form": QuotaForm(),
        }
        context.update(bound)
        return render(self.request, "missions/calls/call_setup.html", context, status=status)
