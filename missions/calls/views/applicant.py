"""The applicant's own application: the draft form, files, submit, withdraw; and serving the
files to those who may read them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import ActionView, FormServiceView, PermissionView, viewer_zone

from .. import selectors, services
from ..forms import ApplicationForm, AttachmentForm
from ..models import Application, Attachment, Question


class OwnApplicationScope:
    """The reader's own application (they are its contact); anyone else's is a 404."""

    permission_required = "calls.edit_application"

    def get_object(self) -> Application:
        return get_object_or_404(
            selectors.applications_of_applicant(self.request.user), pk=self.kwargs["pk"]
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:application", kwargs={"pk": self.object.pk})


class ApplicationView(OwnApplicationScope, FormServiceView):
    """The applicant's page: the draft form, files, submit, withdraw, status and result.
    Reviewers' names and scores are never on it."""

    template_name = "missions/calls/application_detail.html"

    def get_form(self, data=None, files=None) -> ApplicationForm:
        return ApplicationForm(
            data, questions=list(self.object.call.questions.all()), answers=self.object.answers
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        application = self.object
        call = application.call
        return super().get_context_data(
            application=application,
            call=call,
            editable=application.status in services.EDITABLE and call.is_open(),
            attachments=application.attachments.all(),
            attachment_form=AttachmentForm(
                questions=call.questions.filter(kind=Question.Kind.FILE)
            ),
            viewer_zone=viewer_zone(self.request),
            withdrawable=application.status
            not in (Application.Status.WITHDRAWN, Application.Status.REJECTED),
            **context,
        )

    def form_valid(self, form: ApplicationForm) -> None:
        if "submit" in self.request.POST and self.object.status == Application.Status.DRAFT:
            services.application_submit(
                application=self.object, by=self.request.user, answers=form.answers()
            )
            messages.success(
                self.request, _("Application submitted. You may edit it until the deadline.")
            )
        else:
            services.application_save_draft(
                application=self.object, by=self.request.user, answers=form.answers()
            )
            messages.success(self.request, _("Saved."))


class ApplicationWithdrawView(OwnApplicationScope, ActionView):
    success_message = gettext_lazy("Your application is withdrawn.")

    def perform(self) -> None:
        services.application_withdraw(application=self.object, by=self.request.user)


class AttachmentUploadView(OwnApplicationScope, ActionView):
    success_message = gettext_lazy("File added.")

    def perform(self) -> None:
        form = AttachmentForm(
            self.request.POST,
            self.request.FILES,
            questions=self.object.call.questions.filter(kind=Question.Kind.FILE),
        )
        if not form.is_valid():
            raise ValidationError(
                [message for errors in form.errors.values() for message in errors]
            )
        services.attachment_add(
            application=self.object,
            by=self.request.user,
            upload=form.cleaned_data["file"],
            question=form.cleaned_data["question"],
        )


class AttachmentDeleteView(ActionView):
    permission_required = "calls.edit_application"

    def get_object(self) -> Attachment:
        return get_object_or_404(
            selectors.attachments_of_applicant(self.request.user), pk=self.kwargs["pk"]
        )

    def get_permission_object(self) -> Application:
        return self.object.application

    def perform(self) -> None:
        services.attachment_delete(attachment=self.object, by=self.request.user)

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:application", kwargs={"pk": self.object.application_id})


class AttachmentDownloadView(PermissionView):
    """Served to the applicant, assigned reviewers and the call's organisers only, always as a
    download (never rendered inline by the browser)."""

    permission_required = "calls.view_application"

    def get_object(self) -> Attachment:
        return get_object_or_404(
            selectors.attachments_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_permission_object(self) -> Application:
        return self.object.application

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = self.object
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
