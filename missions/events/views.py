"""Thin views of events: check permission, validate a form, call one service, respond.

Each view finds its objects through the scoped selectors: an event the reader may not see
and another person's registration are 404s; organiser pages of an event one does not
organise are 403s (anonymous readers are sent to log in).
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from . import ics, pdf, selectors, services
from .forms import (
    AgendaItemForm,
    CapacityForm,
    CheckInForm,
    DecisionForm,
    EventForm,
    QuestionForm,
    RegistrationForm,
)
from .models import AgendaItem, Event, Registration


def _viewer_zone(request) -> str | None:
    return request.user.home_time_zone if request.user.is_authenticated else None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class EventMixin:
    """Loads ``self.event`` among the events the reader may see; others are 404s."""

    def load_event(self, request, slug: str) -> Event:
        return get_object_or_404(selectors.events_visible_to(request.user), slug=slug)

    def dispatch(self, request, *args, **kwargs):
        self.event = self.load_event(request, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)


class PermissionEventMixin(EventMixin):
    """Requires ``permission_required`` on the event: log in first, then 403 if refused."""

    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.event = self.load_event(request, kwargs["slug"])
        if not request.user.has_perm(self.permission_required, self.event):
            raise PermissionDenied
        return View.dispatch(self, request, *args, **kwargs)


class OrganiserEventMixin(PermissionEventMixin):
    permission_required = "missions.manage_event"


# --- Public pages -----------------------------------------------------------------------------


class EventListView(View):
    def get(self, request):
        events = list(selectors.event_list(request.user))
        return render(
            request,
            "missions/events/event_list.html",
            {
                "events": [event for event in events if event.is_public],
                "unpublished": [event for event in events if not event.is_public],
                "can_create": request.user.has_perm("missions.create_event"),
                "viewer_zone": _viewer_zone(request),
            },
        )


class EventDetailView(View):
    """The event page: agenda in venue time (and the reader's), seats, how to register."""

    def get(self, request, slug):
        try:
            event = selectors.event_page(request.user, slug)
        except Event.DoesNotExist:
            raise Http404 from None
        return render(
            request,
            "missions/events/event_detail.html",
            {
                "event": event,
                "counts": selectors.seat_counts(event),
                "registration": selectors.live_registration(request.user, event),
                "registration_refusal": selectors.registration_refusal(event),
                "can_manage": request.user.has_perm("missions.manage_event", event),
                "viewer_zone": _viewer_zone(request),
            },
        )


class RegisterView(PermissionEventMixin, View):
    permission_required = "missions.register_for_event"

    def get(self, request, slug):
        existing = selectors.live_registration(request.user, self.event)
        if existing is not None:
            messages.info(request, _("You are already registered for this event."))
            return redirect(existing)
        refusal = selectors.registration_refusal(self.event)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(self.event)
        return self.render(RegistrationForm(event=self.event, user=request.user))

    def post(self, request, slug):
        form = RegistrationForm(request.POST, event=self.event, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            registration = services.registration_create(
                event=self.event, user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return self.render(form, status=400)
        messages.success(request, _status_message(registration))
        return redirect(registration)

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/events/registration_form.html",
            {
                "event": self.event,
                "form": form,
                "viewer_zone": _viewer_zone(self.request),
                "has_organizations": form.fields["organization"].queryset.exists(),
            },
            status=status,
        )


def _status_message(registration: Registration) -> str:
    Status = Registration.Status
    return {
        Status.PENDING: _("Thank you: your registration awaits the organisers' approval."),
        Status.CONFIRMED: _("You are registered: your seat is confirmed."),
        Status.WAITLISTED: _("All seats are taken: you are on the waiting list."),
    }.get(registration.status, registration.get_status_display())


class ParticipantListView(PermissionEventMixin, View):
    """Attending people who consented to be listed; for participants and organisers."""

    permission_required = "missions.view_event_participants"

    def get(self, request, slug):
        return render(
            request,
            "missions/events/participant_list.html",
            {"event": self.event, "participants": selectors.participants_listed(self.event)},
        )


# --- One's own registrations ------------------------------------------------------------------


class MyRegistrationsView(View):
    def get(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "missions/events/registration_list.html",
            {"registrations": selectors.registrations_of(request.user)},
        )


class RegistrationMixin:
    """Loads ``self.registration`` among those the reader may see; others are 404s."""

    permission_required = "missions.see_registration"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.registration = get_object_or_404(
            selectors.registrations_visible_to(request.user).select_related(
                "event", "organization", "user"
            ),
            pk=kwargs["pk"],
        )
        if not request.user.has_perm(self.permission_required, self.registration):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class RegistrationDetailView(RegistrationMixin, View):
    def get(self, request, pk):
        registration = self.registration
        questions = list(registration.event.questions.all())
        answers = [
            (question.label, registration.answers.get(str(question.pk), ""))
            for question in questions
        ]
        return render(
            request,
            "missions/events/registration_detail.html",
            {
                "registration": registration,
                "event": registration.event,
                "answers": answers,
                "sectors": registration.sectors_of_interest.all(),
                "waitlist_position": selectors.waitlist_position(registration),
                "is_registrant": registration.user_id == request.user.pk,
                "viewer_zone": _viewer_zone(request),
            },
        )


class RegistrationCancelView(RegistrationMixin, View):
    permission_required = "missions.cancel_registration"

    def post(self, request, pk):
        try:
            services.registration_cancel(registration=self.registration, by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(self.registration)


class RegistrationAcceptOfferView(RegistrationMixin, View):
    permission_required = "missions.act_as_registrant"

    def post(self, request, pk):
        try:
            services.registration_accept_offer(registration=self.registration, by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The seat is yours: your registration is confirmed."))
        return redirect(self.registration)


class RegistrationCalendarView(RegistrationMixin, View):
    permission_required = "missions.act_as_registrant"

    def get(self, request, pk):
        event = self.registration.event
        body = ics.event_calendar(
            event,
            registration=self.registration,
            url=request.build_absolute_uri(event.get_absolute_url()),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response


# --- Organisers -------------------------------------------------------------------------------


class ManageRegistrationsView(OrganiserEventMixin, View):
    """Counts, every registration with its answers, bulk approve/reject, capacity."""

    def get(self, request, slug):
        return self.render(DecisionForm(event=self.event))

    def post(self, request, slug):
        form = DecisionForm(request.POST, event=self.event)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            result = services.registrations_decide(
                event=self.event,
                by=request.user,
                registration_ids=[r.pk for r in data["registrations"]],
                approve=data["decision"] == DecisionForm.APPROVE,
                message=data["message"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return self.render(form, status=400)
        for count, text in (
            (
                len(result.approved),
                ngettext("%(n)s approved.", "%(n)s approved.", len(result.approved)),
            ),
            (
                len(result.rejected),
                ngettext("%(n)s rejected.", "%(n)s rejected.", len(result.rejected)),
            ),
            (
                len(result.waitlisted),
                ngettext(
                    "%(n)s put on the waiting list: no seat left.",
                    "%(n)s put on the waiting list: no seat left.",
                    len(result.waitlisted),
                ),
            ),
        ):
            if count:
                messages.success(request, text % {"n": count})
        if result.refused:
            messages.error(
                request,
                ngettext(
                    "%(n)s could not be approved: all seats are taken and there is no waiting "
                    "list. Raise the capacity or reject someone first.",
                    "%(n)s could not be approved: all seats are taken and there is no waiting "
                    "list. Raise the capacity or reject someone first.",
                    len(result.refused),
                )
                % {"n": len(result.refused)},
            )
        if result.skipped:
            messages.warning(
                request,
                ngettext(
                    "%(n)s left unchanged: that decision does not apply to its status.",
                    "%(n)s left unchanged: that decision does not apply to their status.",
                    len(result.skipped),
                )
                % {"n": len(result.skipped)},
            )
        return redirect("events:manage", slug=self.event.slug)

    def render(self, form, status=200, capacity_form=None):
        status_filter = self.request.GET.get("status", "")
        if status_filter not in Registration.Status.values:
            status_filter = ""
        registrations = list(
            selectors.registrations_for_organiser(self.event, status=status_filter)
        )
        questions = list(self.event.questions.all())
        rows = [
            (registration, [registration.answers.get(str(q.pk), "") for q in questions])
            for registration in registrations
        ]
        return render(
            self.request,
            "missions/events/manage_registrations.html",
            {
                "event": self.event,
                "counts": selectors.seat_counts(self.event),
                "rows": rows,
                "questions": questions,
                "form": form,
                "capacity_form": capacity_form
                or CapacityForm(initial={"capacity": self.event.capacity}),
                "statuses": Registration.Status.choices,
                "status_filter": status_filter,
            },
            status=status,
        )


class CapacityView(OrganiserEventMixin, View):
    def post(self, request, slug):
        form = CapacityForm(request.POST)
        if form.is_valid():
            try:
                services.event_set_capacity(
                    event=self.event, by=request.user, capacity=form.cleaned_data["capacity"]
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Capacity saved."))
        else:
            messages.error(request, " ".join(form.errors.get("capacity", [])))
        return redirect("events:manage", slug=self.event.slug)


class AttendeesCsvView(OrganiserEventMixin, View):
    def get(self, request, slug):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.event.slug}-attendees.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Name"),
                _("Email"),
                _("Organisation"),
                _("Country"),
                _("Role"),
                _("Status"),
                _("Matchmaking"),
                _("Listed"),
                _("Checked in"),
            ]
        )
        for registration in selectors.attendees(self.event):
            writer.writerow(
                [
                    _csv_safe(registration.user.get_full_name()),
                    _csv_safe(registration.user.email),
                    _csv_safe(registration.organization.name),
                    registration.organization.country.code,
                    _csv_safe(registration.role),
                    registration.get_status_display(),
                    _("yes") if registration.wants_matchmaking else _("no"),
                    _("yes") if registration.consent_to_list else _("no"),
                    registration.checked_in_at.isoformat() if registration.checked_in_at else "",
                ]
            )
        return response


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class ParticipantsPdfView(OrganiserEventMixin, View):
    def get(self, request, slug):
        response = HttpResponse(
            pdf.participant_list_pdf(self.event), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{self.event.slug}-participants.pdf"'
        return response


class BadgesPdfView(OrganiserEventMixin, View):
    def get(self, request, slug):
        response = HttpResponse(pdf.badges_pdf(self.event), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.event.slug}-badges.pdf"'
        return response


class CheckInView(OrganiserEventMixin, View):
    QUERY_MAX_LENGTH = 100

    def get(self, request, slug):
        query = request.GET.get("q", "").strip()
        if len(query) > self.QUERY_MAX_LENGTH:
            messages.warning(
                request,
                _("The search was cut to its first %(count)s characters.")
                % {"count": self.QUERY_MAX_LENGTH},
            )
            query = query[: self.QUERY_MAX_LENGTH]
        found = (
            selectors.attendees_matching(self.event, query)
            if query
            else selectors.attendees(self.event)
        )
        return render(
            request,
            "missions/events/check_in.html",
            {
                "event": self.event,
                "attendees": found,
                "query": query,
                "counts": selectors.seat_counts(self.event),
            },
        )

    def post(self, request, slug):
        form = CheckInForm(request.POST, event=self.event)
        back = reverse("events:check_in", kwargs={"slug": self.event.slug})
        query = request.POST.get("q", "").strip()[: self.QUERY_MAX_LENGTH]
        if query:
            back += "?" + urlencode({"q": query})
        if not form.is_valid():
            messages.error(request, _("Choose someone to check in."))
            return redirect(back)
        registration = form.cleaned_data["registration"]
        undo = form.cleaned_data["undo"]
        name = registration.user.get_full_name()
        try:
            services.registration_check_in(registration=registration, by=request.user, undo=undo)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if undo:
                messages.success(request, _("Check-in of %(name)s undone.") % {"name": name})
            else:
                messages.success(request, _("%(name)s checked in.") % {"name": name})
        return redirect(back)


# --- Organisers: creating and editing events --------------------------------------------------


class EventCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("missions.create_event"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(EventForm(user=request.user))

    def post(self, request):
        form = EventForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            event = services.event_create(by=request.user, **form.event_fields())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return self.render(form, status=400)
        messages.success(request, _("Draft event created. Add its agenda, then publish it."))
        return redirect("events:agenda", slug=event.slug)

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/events/event_form.html",
            {"form": form, "event": None},
            status=status,
        )


class EventUpdateView(OrganiserEventMixin, View):
    def get(self, request, slug):
        return self.render(EventForm(user=request.user, event=self.event))

    def post(self, request, slug):
        form = EventForm(request.POST, user=request.user, event=self.event)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.event_update(event=self.event, by=request.user, **form.event_fields())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return self.render(form, status=400)
        messages.success(request, _("Event saved."))
        return redirect(self.event)

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/events/event_form.html",
            {"form": form, "event": self.event},
            status=status,
        )


class EventStatusView(OrganiserEventMixin, View):
    """Publish a draft, or cancel the event (everyone registered is told)."""

    def post(self, request, slug):
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.event_publish(event=self.event, by=request.user)
                messages.success(request, _("Published: registration is open."))
            elif action == "cancel":
                services.event_cancel(event=self.event, by=request.user)
                messages.success(request, _("Event cancelled; registrants are being told."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(self.event)


class AgendaEditView(OrganiserEventMixin, View):
    """The agenda and the registration questions, with forms to add to both."""

    def get(self, request, slug):
        return self.render(AgendaItemForm(event=self.event), QuestionForm())

    def post(self, request, slug):
        if request.POST.get("form") == "question":
            question_form = QuestionForm(request.POST)
            if not question_form.is_valid():
                return self.render(AgendaItemForm(event=self.event), question_form, status=400)
            try:
                services.question_add(
                    event=self.event, by=request.user, **question_form.cleaned_data
                )
            except ValidationError as error:
                question_form.add_error(None, _error_text(error))
                return self.render(AgendaItemForm(event=self.event), question_form, status=400)
            messages.success(request, _("Question added."))
            return redirect("events:agenda", slug=self.event.slug)
        form = AgendaItemForm(request.POST, event=self.event)
        if not form.is_valid():
            return self.render(form, QuestionForm(), status=400)
        try:
            services.agenda_item_add(event=self.event, by=request.user, **form.item_fields())
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return self.render(form, QuestionForm(), status=400)
        messages.success(request, _("Agenda item added."))
        return redirect("events:agenda", slug=self.event.slug)

    def render(self, form, question_form, status=200):
        event = selectors.event_page(self.request.user, self.event.slug)
        return render(
            self.request,
            "missions/events/agenda_form.html",
            {
                "event": event,
                "form": form,
                "question_form": question_form,
                "questions": self.event.questions.all(),
                "viewer_zone": _viewer_zone(self.request),
            },
            status=status,
        )


class AgendaItemDeleteView(OrganiserEventMixin, View):
    def post(self, request, slug, pk):
        item = get_object_or_404(AgendaItem, event=self.event, pk=pk)
        services.agenda_item_delete(item=item, by=request.user)
        messages.success(request, _("Agenda item removed."))
        return redirect("events:agenda", slug=self.event.slug)
