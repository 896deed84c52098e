"""Organisers creating and editing events: the event, its status, its agenda and questions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import (
    ActionView,
    FormServiceView,
    PermissionView,
    add_error_to_form,
    viewer_zone,
)

from .. import selectors, services
from ..forms import AgendaItemForm, EventForm, QuestionForm
from ..models import Event
from ._base import EventScope


def _agenda_url(event: Event) -> str:
    return reverse("events:agenda", kwargs={"slug": event.slug})


class EventCreateView(FormServiceView):
    permission_required = "missions.create_event"
    template_name = "missions/events/event_form.html"
    success_message = gettext_lazy("Draft event created. Add its agenda, then publish it.")

    def get_form(self, data=None, files=None) -> EventForm:
        return EventForm(data, user=self.request.user)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(event=None, **context)

    def form_valid(self, form: EventForm) -> Event:
        return services.event_create(by=self.request.user, **form.event_fields())

    def get_success_url(self, result: Event) -> str:
        return _agenda_url(result)


class EventUpdateView(EventScope, FormServiceView):
    template_name = "missions/events/event_form.html"
    success_message = gettext_lazy("Event saved.")

    def get_form(self, data=None, files=None) -> EventForm:
        return EventForm(data, user=self.request.user, event=self.event)

    def form_valid(self, form: EventForm) -> None:
        services.event_update(event=self.event, by=self.request.user, **form.event_fields())


class EventStatusView(EventScope, ActionView):
    """Publish a draft, or cancel the event (everyone registered is told)."""

    def perform(self) -> None:
        action = self.request.POST.get("action")
        if action == "publish":
            services.event_publish(event=self.event, by=self.request.user)
            messages.success(self.request, _("Published: registration is open."))
        elif action == "cancel":
            services.event_cancel(event=self.event, by=self.request.user)
            messages.success(self.request, _("Event cancelled; registrants are being told."))
        else:
            raise ValidationError(_("Unknown action."))


class AgendaEditView(EventScope, PermissionView):
    """The agenda and the registration questions, with forms to add to both. Two forms on
    one page, so this view dispatches on ``form`` rather than being one ``FormServiceView``."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render_page(AgendaItemForm(event=self.event), QuestionForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        if request.POST.get("form") == "question":
            question_form = QuestionForm(request.POST)
            if not question_form.is_valid():
                return self.render_page(AgendaItemForm(event=self.event), question_form, 400)
            try:
                services.question_add(
                    event=self.event, by=request.user, **question_form.cleaned_data
                )
            except ValidationError as error:
                add_error_to_form(question_form, error)
                return self.render_page(AgendaItemForm(event=self.event), question_form, 400)
            messages.success(request, _("Question added."))
            return redirect(_agenda_url(self.event))
        form = AgendaItemForm(request.POST, event=self.event)
        if not form.is_valid():
            return self.render_page(form, QuestionForm(), 400)
        try:
            services.agenda_item_add(event=self.event, by=request.user, **form.item_fields())
        except ValidationError as error:
            add_error_to_form(form, error)
            return self.render_page(form, QuestionForm(), 400)
        messages.success(request, _("Agenda item added."))
        return redirect(_agenda_url(self.event))

    def render_page(self, form: Form, question_form: Form, status: int = 200) -> HttpResponse:
        event = selectors.event_page(self.request.user, self.event.slug)
        return render(
            self.request,
            "missions/events/agenda_form.html",
            {
                "event": event,
                "form": form,
                "question_form": question_form,
                "questions": self.event.questions.all(),
                "viewer_zone": viewer_zone(self.request),
            },
            status=status,
        )


class AgendaItemDeleteView(EventScope, ActionView):
    success_message = gettext_lazy("Agenda item removed.")

    def perform(self) -> None:
        item = get_object_or_404(selectors.agenda_items(self.event), pk=self.kwargs["pk"])
        services.agenda_item_delete(item=item, by=self.request.user)

    def get_success_url(self, result: Any) -> str:
        return _agenda_url(self.event)
