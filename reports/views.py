"""Pages of the reports: the staff and organisers' home, a job's progress and download,
the organisers' texts, and the feedback surveys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import ActionView, FormServiceView, PermissionView

from . import selectors
from .forms import ReportRequestForm, ReportTextForm, SurveyAnswerForm, SurveyQuestionForm
from .models import ReportJob, ReportText, Survey, SurveyInvitation, SurveyResponse
from .services import jobs, surveys, texts

TARGET_TYPES = ("mission", "event", "session")


class TargetMixin:
    """Loads the mission, event or matchmaking session named by ``target_type`` and ``pk``
    in the reader's reports scope (else 404). Texts and surveys are a mission's or an
    event's; a session only has print files to ask for."""

    target_types: tuple[str, ...] = ("mission", "event")

    def get_target(self):
        target_type = self.kwargs["target_type"]
        if target_type not in self.target_types:
            raise Http404
        if target_type == "mission":
            scope = selectors.missions_for_reports(self.request.user)
        elif target_type == "event":
            scope = selectors.events_for_reports(self.request.user)
        elif target_type == "session":
            scope = selectors.sessions_for_reports(self.request.user)
        else:
            raise Http404
        return get_object_or_404(scope, pk=self.kwargs["pk"])


class ReportsHomeView(PermissionView):
    permission_required = "reports.open_reports_home"

    def get(self, request, *args, **kwargs):
        return render(
            request,
            "reports/home.html",
            {
                "rows": selectors.reports_home(request.user),
                "page_sizes": ReportJob.PageSize.choices,
            },
        )


class ReportRequestView(TargetMixin, ActionView):
    """Ask for a document: the existing file when the data is unchanged, else a new job."""

    permission_required = "reports.make_documents"
    target_types = TARGET_TYPES

    def get_object(self):
        return self.get_target()

    def perform(self):
        form = ReportRequestForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a document and a page size."))
        job = jobs.report_request(
            kind=form.cleaned_data["kind"],
            target=self.object,
            page_size=form.cleaned_data["page_size"],
            by=self.request.user,
        )
        if job.status == ReportJob.Status.DONE:
            messages.info(self.request, _("The data has not changed: here is the same file."))
        return job

    def get_success_url(self, result):
        if result is not None:
            return result.get_absolute_url()
        if self.kwargs["target_type"] == "session":
            # Its organisers ask from the session's pages; the refusal is shown there.
            return reverse("matchmaking:dashboard", kwargs={"slug": self.object.slug})
        return reverse("reports:home")


class BadgeRequestView(ActionView):
    """A participant asks for their own badge."""

    def get_object(self):
        return get_object_or_404(
            selectors.registrations_for_badges(self.request.user), pk=self.kwargs["pk"]
        )

    def perform(self):
        return jobs.report_request(
            kind=ReportJob.Kind.BADGES, target=self.object, by=self.request.user
        )

    def get_success_url(self, result):
        return result.get_absolute_url() if result else reverse("home")


class JobMixin:
    permission_required = "reports.download_document"

    def get_object(self):
        return get_object_or_404(selectors.jobs_visible_to(self.request.user), pk=self.kwargs["pk"])


def job_status(job: ReportJob) -> dict[str, Any]:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "error": job.error,
        "pages": job.pages,
        "download_url": reverse("reports:download", args=[job.pk])
        if job.status == ReportJob.Status.DONE
        else None,
    }


class JobView(JobMixin, PermissionView):
    def get(self, request, *args, **kwargs):
        return render(
            request,
            "reports/job_detail.html",
            {
                "job": self.object,
                "status": job_status(self.object),
                "versions": selectors.document_versions(self.object),
            },
        )


class JobStatusView(JobMixin, PermissionView):
    """The small JSON the job page polls (``static/reports/jobs.js``)."""

    def get(self, request, *args, **kwargs):
        response = JsonResponse(job_status(self.object))
        response["Cache-Control"] = "no-store"
        return response


class JobDownloadView(JobMixin, PermissionView):
    def get(self, request, *args, **kwargs):
        job = self.object
        if job.status != ReportJob.Status.DONE or not job.file:
            raise Http404
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        target = job.target
        slug = getattr(target, "slug", None) or f"registration-{target.pk}"
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{slug}-{job.kind.replace('_', '-')}-v{job.version}-{job.page_size}.pdf",
            content_type="application/pdf",
        )


class JobRetryView(JobMixin, ActionView):
    success_message = gettext_lazy("The document is being made again.")

    def perform(self):
        return jobs.report_retry(job=self.object, by=self.request.user)


class ReportTextEditView(TargetMixin, FormServiceView):
    permission_required = "reports.write_report_texts"
    form_class = ReportTextForm
    template_name = "reports/texts_edit.html"
    success_message = gettext_lazy("Saved. The next report you ask for will include it.")

    def get_object(self):
        return self.get_target()

    def get_form_kwargs(self):
        field = self.kwargs["target_type"]
        return {"instance": ReportText.objects.filter(**{field: self.object}).first()}

    def form_valid(self, form):
        texts.report_text_update(target=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("reports:home")


class SurveyResultsView(TargetMixin, PermissionView):
    """Answers for the organisers and staff; the organisers also add questions here."""

    def get_object(self):
        return self.get_target()

    def has_permission(self):
        user = self.request.user
        self.survey = selectors.survey_of(self.object)
        if self.survey is not None:
            return user.has_perm("reports.read_survey_results", self.survey)
        return user.has_perm("reports.make_documents", self.object)

    def get(self, request, *args, **kwargs):
        survey = self.survey
        data = None
        if survey is not None:
            from .services import gather

            labels = dict(surveys.usefulness_items(survey))
            responses = list(survey.responses.all())
            data = gather._survey_results(_with_invited(survey), labels)
            data["all_comments"] = [r for r in responses if r.comments.strip()]
        can_edit = request.user.has_perm("reports.write_report_texts", self.object)
        return render(
            request,
            "reports/survey_results.html",
            {
                "target": self.object,
                "target_type": self.kwargs["target_type"],
                "survey": survey,
                "results": data,
                "question_form": SurveyQuestionForm() if can_edit else None,
            },
        )


def _with_invited(survey: Survey) -> Survey:
    survey.invited_count = len(survey.invitations.all())
    return survey


class SurveyQuestionAddView(TargetMixin, FormServiceView):
    permission_required = "reports.write_report_texts"
    form_class = SurveyQuestionForm
    template_name = "reports/survey_question_add.html"
    success_message = gettext_lazy("Question added.")

    def get_object(self):
        return self.get_target()

    def form_valid(self, form):
        survey = surveys.survey_for(self.object)
        return surveys.survey_question_add(survey=survey, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("reports:survey_results", args=[self.kwargs["target_type"], self.object.pk])


class SurveyAnswerView(FormServiceView):
    """Answer a survey, from the emailed link (no login needed: the token is the key) or
    logged in as an invited person. A second submission replaces the first."""

    login_required = False
    form_class = SurveyAnswerForm
    template_name = "reports/survey_answer.html"

    def get_object(self):
        if "token" in self.kwargs:
            token = self.kwargs["token"]
            if len(token) > 64:
                raise Http404
            invitation = (
                SurveyInvitation.objects.select_related("survey__mission", "survey__event", "user")
                .filter(token=token, user__is_active=True)
                .first()
            )
        else:
            if not self.request.user.is_authenticated:
                return None
            invitation = (
                SurveyInvitation.objects.select_related("survey__mission", "survey__event", "user")
                .filter(survey__pk=self.kwargs["pk"], user=self.request.user)
                .first()
            )
        if invitation is None:
            raise Http404
        self.invitation = invitation
        self.response = SurveyResponse.objects.filter(
            survey=invitation.survey, user=invitation.user
        ).first()
        return invitation.survey

    def dispatch(self, request, *args, **kwargs):
        if "token" not in kwargs and not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            "items": surveys.usefulness_items(self.object),
            "questions": list(self.object.questions.all()),
            "initial": SurveyAnswerForm.initial_from(self.response),
        }

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(survey=self.object, target=self.object.target, previous=self.response)
        return context

    def form_valid(self, form):
        _response, replaced = surveys.survey_response_submit(
            survey=self.object,
            by=self.invitation.user,
            role=self.invitation.role,
            answers=form.answers(),
        )
        if replaced:
            messages.success(
                self.request, _("Thank you. Your new answers replace the ones you sent before.")
            )
        else:
            messages.success(self.request, _("Thank you for your feedback."))
        return HttpResponseRedirect(self.request.get_full_path())
