"""Organiser pages: schedule all (with a polled status), publish, place/lock/cancel a
meeting, the dashboard, the desk (held / no-show), the table sheet. The print files of all
agendas and of the table sheet are made by ``reports`` in a worker (buttons on these pages)."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.views import ActionView, FormServiceView, PermissionView

from ..figures import session_dashboard
from ..models import Meeting, ScheduleRun, Slot, Table
from ..services import agendas as agenda_services
from ..services import requests as request_services
from ..services import scheduling as services
from ._base import SessionScoped


class OrganiserView(SessionScoped, PermissionView):
    """A page of one session for its organisers (others: 404; anonymous: log in)."""

    permission_required = "matchmaking.manage_session"

    def get_object(self):
        return self.load_session()

    def schedule_url(self) -> str:
        return reverse("matchmaking:schedule", kwargs={"slug": self.session.slug})


def run_status(run: ScheduleRun | None) -> dict:
    """What the schedule page (and its status endpoint) shows about a run."""
    if run is None:
        return {"status": "none"}
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "progress": run.progress,
        "weight": run.weight,
        "bound": run.bound,
        "ratio": run.ratio,
        "proven_optimal": run.proven_optimal,
        "moved": run.moved,
        "dropped": run.dropped,
        "unplaced": [{"request": key, "reason": text} for key, text in run.unplaced.items()],
        "error": run.error,
        "finished": run.status in (ScheduleRun.Status.DONE, ScheduleRun.Status.FAILED),
    }


class ScheduleView(OrganiserView):
    """Schedule all: the button, the latest run's progress and figures, the meetings."""

    def get(self, request, slug):
        run = self.session.schedule_runs.order_by("-created_at", "-pk").first()
        meetings = list(
            Meeting.objects.filter(session=self.session)
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related(
                "slot__session",
                "table",
                "request__sender__user",
                "request__sender__organization",
                "request__receiver__user",
                "request__receiver__organization",
            )
            .order_by("slot__starts_at", "table__name", "pk")
        )
        context = self.session_context()
        context.update(
            run=run,
            status=run_status(run),
            meetings=meetings,
            placed=sum(1 for m in meetings if m.slot_id),
            unpublished=sum(1 for m in meetings if m.slot_id and m.published_at is None),
        )
        return render(request, "matchmaking/schedule_page.html", context)


class ScheduleStatusView(OrganiserView):
    """The latest run as JSON, polled by static/matchmaking/schedule.js."""

    def get(self, request, slug):
        run = self.session.schedule_runs.order_by("-created_at", "-pk").first()
        response = JsonResponse(run_status(run))
        response["Cache-Control"] = "no-store"
        return response


class ScheduleRunView(SessionScoped, ActionView):
    permission_required = "matchmaking.manage_session"
    success_message = _("Scheduling has started. The figures appear below when it is done.")

    def get_object(self):
        return self.load_session()

    def perform(self):
        allow = self.request.POST.get("allow_moves") == "on"
        return services.schedule_run_start(
            session=self.session, by=self.request.user, allow_moves=allow
        )

    def get_success_url(self, result):
        return reverse("matchmaking:schedule", kwargs={"slug": self.session.slug})


class SchedulePublishView(ScheduleRunView):
    success_message = _("Agendas published. Every participant with a meeting is emailed once.")

    def perform(self):
        return services.schedule_publish(session=self.session, by=self.request.user)


class PlaceForm(forms.Form):
    slot = forms.ModelChoiceField(queryset=Slot.objects.none(), label=_("Slot"))
    table = forms.ModelChoiceField(queryset=Table.objects.none(), label=_("Table"), required=False)
    lock = forms.BooleanField(
        label=_("Lock it there (the scheduler will not move it)"), required=False, initial=True
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = session.slots.select_related("session").order_by("starts_at")
        self.fields["slot"].label_from_instance = lambda slot: (
            f"{slot.starts_at.astimezone(session.tz):%a %d %b %H:%M} ({session.time_zone})"
        )
        self.fields["table"].queryset = session.tables.order_by("name", "pk")
        self.fields["table"].label_from_instance = lambda table: (
            _("%(name)s (%(seats)s seats)") % {"name": table.name, "seats": table.seats}
        )


class MeetingScoped(SessionScoped):
    meeting: Meeting

    def get_object(self):
        session = self.load_session()
        self.meeting = get_object_or_404(
            Meeting.objects.select_related(
                "slot", "table", "request__sender__user", "request__receiver__user", "session"
            ),
            session=session,
            pk=self.kwargs["pk"],
        )
        return session


class MeetingPlaceView(MeetingScoped, FormServiceView):
    """Lock a meeting to a slot and table, or move it."""

    permission_required = "matchmaking.manage_session"
    template_name = "matchmaking/schedule_place.html"
    success_message = _("The meeting is placed.")

    def get_form(self, data=None, files=None):
        initial = {"slot": self.meeting.slot_id, "table": self.meeting.table_id, "lock": True}
        return PlaceForm(data, initial=initial, session=self.session)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(self.session_context(), meeting=self.meeting)
        return context

    def form_valid(self, form):
        return services.meeting_place(
            meeting=self.meeting,
            slot=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
            lock=form.cleaned_data["lock"],
            by=self.request.user,
        )

    def get_success_url(self, result):
        return reverse("matchmaking:schedule", kwargs={"slug": self.session.slug})


class MeetingUnlockView(MeetingScoped, ActionView):
    permission_required = "matchmaking.manage_session"
    success_message = _("The meeting is unlocked; the scheduler may move it.")

    def perform(self):
        return services.meeting_unlock(meeting=self.meeting, by=self.request.user)

    def get_success_url(self, result):
        return reverse("matchmaking:schedule", kwargs={"slug": self.session.slug})


class MeetingCancelView(MeetingUnlockView):
    success_message = _("The meeting is cancelled; both sides are told by email.")

    def perform(self):
        return request_services.request_cancel(request=self.meeting.request, by=self.request.user)


class MeetingMarkView(MeetingScoped, ActionView):
    """At the desk: held, no-show, or back to scheduled."""

    permission_required = "matchmaking.manage_session"
    success_message = _("Noted.")

    def perform(self):
        return services.meeting_mark(
            meeting=self.meeting, status=self.request.POST.get("status", ""), by=self.request.user
        )

    def get_success_url(self, result):
        return reverse("matchmaking:desk", kwargs={"slug": self.session.slug})


def dashboard_cards(figures: dict) -> list[dict]:
    """The dashboard's key figures as summary cards (``includes/stat_cards.html``); a figure
    takes its colour only once it is above zero (no red card for "0 no-shows")."""

    def card(label, key: str, tone: str = "") -> dict:
        return {"label": label, "value": figures[key], "tone": tone if figures[key] else ""}

    return [
        card(_("Participants"), "participants"),
        card(_("Requests sent"), "requested"),
        card(_("Accepted"), "accepted", "success"),
        card(_("Declined"), "declined", "danger"),
        card(_("Expired"), "expired", "warning"),
        card(_("Meetings scheduled"), "meetings_scheduled"),
        card(_("Meetings held"), "meetings_held", "success"),
        card(_("No-shows"), "no_shows", "danger"),
        card(_("Outcomes recorded"), "outcomes_recorded"),
        {
            "label": _("MoUs / agreements signed"),
            "value": f"{figures['mous']} / {figures['agreements']}",
        },
    ]


class DashboardView(OrganiserView):
    def get(self, request, slug):
        context = self.session_context()
        context.update(session_dashboard(self.session))
        context["stats"] = dashboard_cards(context["figures"])
        return render(request, "matchmaking/dashboard.html", context)


class DeskView(OrganiserView):
    """Every placed meeting, slot by slot, with held / no-show buttons."""

    def get(self, request, slug):
        context = self.session_context()
        context["meetings"] = list(
            agenda_services.placed_meetings(self.session, published_only=False)
        )
        return render(request, "matchmaking/dashboard_desk.html", context)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class TableSheetView(OrganiserView):
    """Who sits where, slot by slot. Its print file, like every agenda in one file, is a
    report job (``reports``, kinds ``table_sheet`` and ``matchmaking_agendas``), rendered
    in a worker: the page's button asks for it."""

    def get(self, request, slug):
        tables, rows = agenda_services.table_sheet(self.session)
        context = self.session_context()
        context.update(tables=tables, rows=rows)
        return render(request, "matchmaking/table_sheet.html", context)
