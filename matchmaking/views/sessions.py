"""Session pages: the list, a session's page, and the organisers' setup (settings, days,
slots, tables, meetings added on participants' behalf)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.autocomplete import search_response
from common.views import ActionView, FormServiceView, PermissionView, viewer_zone
from missions.timezones import wall_time_to_utc

from .. import selectors
from ..autocomplete import PARTICIPANT_LOOKUP, PARTICIPANT_SEARCH_FIELDS, session_participants
from ..forms import DayForm, MeetingAddForm, SessionForm, SlotForm, TablesForm
from ..models import SessionDay, Slot, Table
from ..services import requests as request_services
from ..services import sessions as services
from ._base import SessionScoped


class SessionListView(PermissionView):
    login_required = False

    def get(self, request):
        user = request.user
        return render(
            request,
            "matchmaking/session_list.html",
            {
                "sessions": list(selectors.session_list(user)),
                "mine": selectors.my_participations(user),
                "invitations": list(selectors.invitations_for(user)),
                "can_create": user.has_perm("matchmaking.create_session"),
            },
        )


class SessionView(SessionScoped, PermissionView):
    permission_required = "matchmaking.see_session"

    def get_object(self):
        return self.load_session()

    def get(self, request, slug):
        context = self.session_context()
        context.update(
            days=list(self.session.days.all()),
            can_take_part=request.user.has_perm("matchmaking.take_part", self.session),
            participant_count=self.session.participants.filter(is_visible=True).count(),
        )
        return render(request, "matchmaking/session_detail.html", context)


class SessionCreateView(FormServiceView):
    permission_required = "matchmaking.create_session"
    form_class = SessionForm
    template_name = "matchmaking/session_form.html"
    success_message = _("Session created. Add its days and tables next.")

    def form_valid(self, form):
        return services.session_create(by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("matchmaking:setup", kwargs={"slug": result.slug})


class SessionEditView(SessionScoped, FormServiceView):
    permission_required = "matchmaking.manage_session"
    form_class = SessionForm
    template_name = "matchmaking/session_form.html"
    success_message = _("Session saved.")

    def get_object(self):
        return self.load_session()

    def get_form(self, data=None, files=None):
        return SessionForm(data, initial=SessionForm.initial_from(self.session))

    def form_valid(self, form):
        return services.session_update(
            session=self.session, by=self.request.user, **form.cleaned_data
        )


class SetupView(SessionScoped, PermissionView):
    """Days, slots and tables of a session, with the forms that change them."""

    permission_required = "matchmaking.manage_session"

    def get_object(self):
        return self.load_session()

    def get(self, request, slug):
        return render_setup(self, status=200)


def render_setup(view, *, status: int, **forms):
    session = view.session
    context = view.session_context()
    context.update(
        days=list(session.days.all()),
        slots=list(session.slots.select_related("session")),
        tables=list(session.tables.all()),
        day_form=forms.get("day_form") or DayForm(),
        slot_form=forms.get("slot_form") or SlotForm(),
        tables_form=forms.get("tables_form") or TablesForm(),
        meeting_form=forms.get("meeting_form") or MeetingAddForm(session=session),
        viewer_zone=viewer_zone(view.request),
    )
    return render(view.request, "matchmaking/session_setup.html", context, status=status)


class _SetupFormView(SessionScoped, FormServiceView):
    permission_required = "matchmaking.manage_session"
    http_method_names = ["post"]
    form_name = ""

    def get_object(self):
        return self.load_session()

    def render_form(self, form, status=200):
        return render_setup(self, status=status, **{self.form_name: form})

    def get_success_url(self, result):
        return reverse("matchmaking:setup", kwargs={"slug": self.session.slug})


class DayAddView(_SetupFormView):
    form_class = DayForm
    form_name = "day_form"
    success_message = _("Day added with its slots.")

    def form_valid(self, form):
        spec = services.DaySpec(**form.cleaned_data)
        return services.day_add(session=self.session, by=self.request.user, spec=spec)


class SlotAddView(_SetupFormView):
    form_class = SlotForm
    form_name = "slot_form"
    success_message = _("Slot added.")

    def form_valid(self, form):
        starts_at = wall_time_to_utc(
            form.cleaned_data["starts_at"].replace(tzinfo=None),
            self.session.time_zone,
            field="starts_at",
        )
        return services.slot_add(
            session=self.session,
            by=self.request.user,
            starts_at=starts_at,
            kinds=form.cleaned_data["kinds"],
        )


class TablesAddView(_SetupFormView):
    form_class = TablesForm
    form_name = "tables_form"
    success_message = _("Tables added.")

    def form_valid(self, form):
        return services.tables_add(session=self.session, by=self.request.user, **form.cleaned_data)


class MeetingAddView(_SetupFormView):
    form_class = MeetingAddForm
    form_name = "meeting_form"
    success_message = _("Meeting added; it waits for the schedule.")

    def get_form(self, data=None, files=None):
        return MeetingAddForm(data, session=self.session)

    def form_valid(self, form):
        return request_services.meeting_add_for(
            session=self.session, by=self.request.user, **form.cleaned_data
        )


class ParticipantSearchView(SessionScoped, PermissionView):
    """Suggestions for the meeting form's participant inputs, as JSON: at most 20 of this
    session's participants, for its organisers only (like the form's page)."""

    permission_required = "matchmaking.manage_session"

    def get_object(self):
        return self.load_session()

    def get(self, request, slug):
        return search_response(
            request,
            session_participants(self.session),
            lookup=PARTICIPANT_LOOKUP,
            search_fields=PARTICIPANT_SEARCH_FIELDS,
        )


class _SetupDeleteView(SessionScoped, ActionView):
    permission_required = "matchmaking.manage_session"
    model: type = SessionDay
    success_message = _("Removed.")

    def get_object(self):
        self.load_session()
        self.target = get_object_or_404(self.model, session=self.session, pk=self.kwargs["pk"])
        return self.session

    def get_success_url(self, result):
        return reverse("matchmaking:setup", kwargs={"slug": self.session.slug})


class DayDeleteView(_SetupDeleteView):
    model = SessionDay

    def perform(self):
        services.day_delete(day=self.target, by=self.request.user)


class SlotDeleteView(_SetupDeleteView):
    model = Slot

    def perform(self):
        services.slot_delete(slot=self.target, by=self.request.user)


class TableDeleteView(_SetupDeleteView):
    model = Table

    def perform(self):
        services.table_delete(table=self.target, by=self.request.user)
