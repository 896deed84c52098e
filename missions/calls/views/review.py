"""Reviewers: their assignments, scoring an application, declaring a conflict of interest."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import ActionView, FormServiceView, PermissionView

from .. import selectors, services
from ..forms import ConflictForm, ScoreForm
from ..models import Application, Question, ReviewAssignment


def answer_rows(application: Application) -> list[tuple[str, object]]:
    """The application's answers as (question, readable answer), files left out."""
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


class ReviewListView(PermissionView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "missions/calls/review_list.html",
            {"assignments": selectors.assignments_of_reviewer(request.user)},
        )


class OwnAssignmentScope:
    """One of the reader's own review assignments; anyone else's is a 404."""

    permission_required = "calls.review"

    def get_object(self) -> ReviewAssignment:
        return get_object_or_404(
            selectors.assignments_of_reviewer(self.request.user), pk=self.kwargs["pk"]
        )

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:review", kwargs={"pk": self.object.pk})


class ReviewView(OwnAssignmentScope, FormServiceView):
    """Score an application; other reviewers' scores appear once one's own are in."""

    template_name = "missions/calls/review_form.html"
    success_message = gettext_lazy("Scores saved.")

    def closed_reason(self) -> str:
        """Why the scores can no longer change, or "" while review is open."""
        application = self.object.application
        if application.status in Application.IN_REVIEW:
            return ""
        if application.status == Application.Status.WITHDRAWN:
            return _("Review has closed: the applicant withdrew this application.")
        return _("Review has closed: a decision on this application (%(status)s) was taken.") % {
            "status": application.get_status_display()
        }

    def get_form(self, data=None, files=None) -> ScoreForm:
        own = {s.criterion_id: (s.value, s.comment) for s in self.object.scores.all()}
        form = ScoreForm(
            data, criteria=list(self.object.application.call.criteria.all()), scores=own
        )
        if self.closed_reason():
            # Read-only: shown as they were, the browser sends nothing back.
            for field in form.fields.values():
                field.disabled = True
        return form

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        application = self.object.application
        return super().get_context_data(
            assignment=self.object,
            application=application,
            answers=answer_rows(application),
            attachments=application.attachments.all(),
            conflict_form=ConflictForm(),
            other_reviews=selectors.other_reviews_visible(self.object),
            closed_reason=self.closed_reason(),
            **context,
        )

    def form_valid(self, form: ScoreForm) -> None:
        services.scores_submit(assignment=self.object, by=self.request.user, scores=form.scores())


class ReviewConflictView(OwnAssignmentScope, ActionView):
    success_message = gettext_lazy("Conflict of interest recorded; you no longer score it.")

    def perform(self) -> ReviewAssignment:
        form = ConflictForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Say why, briefly."))
        services.conflict_declare(
            assignment=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return self.object

    def get_success_url(self, result: Any) -> str:
        # Refused: back to the scoring page; declared: the assignment has left one's list.
        if result is None:
            return super().get_success_url(result)
        return reverse("calls:reviews")
