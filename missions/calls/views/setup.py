"""Setting up a call: create it for a mission one organises, edit it, its questions, criteria
and quotas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import FormServiceView, PermissionView, editable_copy, messages_from_error
from missions.models import Mission
from missions.selectors import missions_editable_by

from .. import selectors, services
from ..forms import CallForm, CriterionForm, QuestionForm, QuotaForm
from ..models import Call
from .manage import ManagedCallScope


class CallCreateView(FormServiceView):
    """A new call for one of the missions the reader organises (else 404)."""

    permission_required = "missions.plan_mission"
    form_class = CallForm
    template_name = "missions/calls/call_form.html"
    success_message = gettext_lazy("Call created. Add its questions and criteria.")

    def get_object(self) -> Mission:
        return get_object_or_404(
            missions_editable_by(self.request.user), slug=self.kwargs["mission_slug"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {}
        return {"initial": {"time_zone": "America/New_York", "max_per_organization": 1}}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(mission=self.object, call=None, **context)

    def form_valid(self, form: CallForm) -> Call:
        return services.call_create(mission=self.object, by=self.request.user, **form.values())

    def get_success_url(self, result: Call) -> str:
        return reverse("calls:setup", kwargs={"pk": result.pk})


class CallUpdateView(ManagedCallScope, FormServiceView):
    template_name = "missions/calls/call_form.html"
    success_message = gettext_lazy("Call saved.")

    def get_form(self, data=None, files=None) -> CallForm:
        if data is None:
            return CallForm(instance=self.call)
        return CallForm(data, instance=editable_copy(self.call))

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(mission=self.call.mission, **context)

    def form_valid(self, form: CallForm) -> None:
        services.call_update(call=self.call, by=self.request.user, **form.values())

    def get_success_url(self, result: Any) -> str:
        return reverse("calls:setup", kwargs={"pk": self.call.pk})


class CallSetupView(ManagedCallScope, PermissionView):
    """The call's form (questions), criteria and quotas: add and remove. Three forms on one
    page, so this view dispatches on ``action`` rather than being one ``FormServiceView``."""

    FORMS = {
        "add_question": ("question_form", QuestionForm),
        "add_criterion": ("criterion_form", CriterionForm),
        "add_quota": ("quota_form", QuotaForm),
    }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page({})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        try:
            if action in self.FORMS:
                name, form_class = self.FORMS[action]
                form = form_class(request.POST)
                if not form.is_valid():
                    return self.render_page({name: form}, status=400)
                self.add(action, form)
            elif action in ("delete_question", "delete_criterion", "delete_quota"):
                self.delete(action, request.POST.get("id", ""))
            else:
                messages.error(request, _("Unknown action."))
                return redirect("calls:setup", pk=pk)
        except ValidationError as error:
            messages_from_error(request, error)
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
        related, keyword, service = {
            "delete_question": (self.call.questions, "question", services.question_delete),
            "delete_criterion": (self.call.criteria, "criterion", services.criterion_delete),
            "delete_quota": (self.call.quotas, "quota", services.quota_delete),
        }[action]
        if not raw_id.isdigit() or len(raw_id) > 12:
            raise Http404
        obj = get_object_or_404(related.all(), pk=int(raw_id))
        service(**{keyword: obj, "by": self.request.user})

    def render_page(self, bound: dict, status: int = 200) -> HttpResponse:
        context = {
            "call": self.call,
            "questions": self.call.questions.all(),
            "criteria": self.call.criteria.all(),
            "quotas": selectors.quotas_with_labels(self.call),
            "question_form": QuestionForm(),
            "criterion_form": CriterionForm(initial={"weight": 1, "scale_max": 5}),
            "quota_form": QuotaForm(),
        }
        context.update(bound)
        return render(self.request, "missions/calls/call_setup.html", context, status=status)
