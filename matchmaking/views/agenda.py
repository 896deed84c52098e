"""A participant's agenda: the page, the PDF, the private calendar feed, and outcomes."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.views import ConfirmedActionView, FormServiceView, PermissionView, viewer_zone

from ..models import MarketplaceItem, Meeting, MeetingOutcome, Participant
from ..services import agendas as services
from ..services import outcomes as outcome_services
from ..services import participants as participant_services
from ._base import SessionScoped
from .organiser import pdf_response


class AgendaScoped(SessionScoped):
    """The agenda's owner: the reader's own profile, or (``pk``) a participant the reader
    organises. Anyone else's agenda is a 404."""

    owner: Participant

    def get_object(self):
        session = self.load_session()
        if "pk" in self.kwargs:
            owner = get_object_or_404(
                Participant.objects.select_related("user", "session", "organization"),
                session=session,
                pk=self.kwargs["pk"],
            )
        else:
            owner = self.me
        if owner is None:
            raise Http404
        self.owner = owner
        return owner

    def has_permission(self):
        return self.request.user.has_perm("matchmaking.see_agenda", self.owner)

    def entries(self):
        # Participants see what is published; organisers also what is not yet.
        organiser = self.request.user.has_perm("matchmaking.manage_session", self.session)
        return services.agenda_for(self.owner, published_only=not organiser)


class AgendaView(AgendaScoped, PermissionView):
    def get(self, request, slug, pk=None):
        context = self.session_context()
        entries = self.entries()
        own = self.owner.user_id == request.user.pk
        context.update(
            owner=self.owner,
            entries=entries,
            own=own,
            viewer_zone=viewer_zone(request),
            outcomes=outcome_services.outcomes_of(self.owner) if own else {},
            feed_url=request.build_absolute_uri(
                reverse(
                    "matchmaking:agenda_feed",
                    kwargs={"slug": self.session.slug, "token": self.owner.agenda_token},
                )
            )
            if own
            else "",
        )
        return render(request, "matchmaking/agenda_page.html", context)


class AgendaPdfView(AgendaScoped, PermissionView):
    def get(self, request, slug, pk=None):
        pdf = services.agenda_pdf(self.owner, self.entries())
        return pdf_response(pdf.content, f"{slugify(self.session.title)}-agenda")


class AgendaFeedView(PermissionView):
    """The participant's published meetings as iCalendar; the secret in the URL is the key
    (calendar programs do not log in)."""

    login_required = False

    def get_object(self):
        owner = services.participant_by_feed_token(self.kwargs["token"])
        if owner is None or owner.session.slug != self.kwargs["slug"]:
            raise Http404
        return owner

    def get(self, request, slug, token):
        entries = services.agenda_for(self.object, published_only=True)
        body = services.agenda_calendar(self.object, entries)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = (
            f'inline; filename="{slugify(self.object.session.title)}-agenda.ics"'
        )
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        return response


class AgendaFeedRotateView(AgendaScoped, ConfirmedActionView):
    """Replace one's private agenda address, after a page that says the old one stops."""

    success_message = _("Your calendar link is new; the old one no longer works.")
    confirm_title = _("Make a new calendar address?")
    confirm_button = _("Make a new address")

    def confirm_lines(self) -> list[str]:
        return [
            _(
                "Your current address for %(session)s stops working at once: calendar "
                "programs subscribed to it stop updating and show an error."
            )
            % {"session": self.session.title},
            _("The new address is on your agenda page: subscribe to it again."),
        ]

    def confirm_breadcrumbs(self) -> list[tuple[str, str]]:
        return [
            (self.session.get_absolute_url(), self.session.title),
            (self.get_success_url(None), _("My agenda")),
        ]

    def has_permission(self):
        return self.request.user.has_perm("matchmaking.edit_profile", self.owner)

    def perform(self):
        return participant_services.participant_rotate_token(
            participant=self.owner, by=self.request.user
        )

    def get_success_url(self, result):
        return reverse("matchmaking:agenda", kwargs={"slug": self.session.slug})


class OutcomeForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the meeting? (1: not at all, 5: very)"),
        choices=[(n, n) for n in range(1, 6)],
        coerce=int,
    )
    follow_up_planned = forms.BooleanField(label=_("A follow-up is planned"), required=False)
    cooperation_type = forms.ChoiceField(
        label=_("Type of cooperation"),
        choices=[("", "—"), *MarketplaceItem.ItemType.choices],
        required=False,
    )
    agreement_signed = forms.ChoiceField(
        label=_("Signed"), choices=MeetingOutcome.Agreement.choices, initial="none"
    )
    text = forms.CharField(
        label=_("What came of it"), widget=forms.Textarea, max_length=5000, required=False
    )


class OutcomeView(SessionScoped, FormServiceView):
    """One side records what came of a meeting."""

    template_name = "matchmaking/outcome_form.html"
    success_message = _("Thank you: the outcome is recorded.")

    def get_object(self):
        session = self.load_session()
        self.meeting = get_object_or_404(
            Meeting.objects.select_related(
                "slot__session",
                "table",
                "request__sender__user",
                "request__sender__organization",
                "request__receiver__user",
                "request__receiver__organization",
            ),
            session=session,
            pk=self.kwargs["pk"],
        )
        self.side = outcome_services.meeting_side(self.meeting, self.request.user)
        if self.side is None:
            raise Http404
        return self.meeting

    def get_form(self, data=None, files=None):
        existing = MeetingOutcome.objects.filter(
            meeting=self.meeting, participant=self.side
        ).first()
        initial = {}
        if existing is not None:
            initial = {name: getattr(existing, name) for name in OutcomeForm.base_fields}
        return OutcomeForm(data, initial=initial)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(
            self.session_context(),
            meeting=self.meeting,
            partner=self.meeting.request.other_side(self.side),
            viewer_zone=viewer_zone(self.request),
        )
        return context

    def form_valid(self, form):
        return outcome_services.outcome_record(
            meeting=self.meeting, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, result):
        return reverse("matchmaking:agenda", kwargs={"slug": self.session.slug})
