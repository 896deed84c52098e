"""One's own registrations: the list, one registration, cancelling, taking an offered seat,
and the event in one's calendar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.views import ActionView, ConfirmedActionView, PermissionView, viewer_zone

from .. import ics, selectors, services
from ..models import Registration


class MyRegistrationsView(PermissionView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "missions/events/registration_list.html",
            {"registrations": selectors.registrations_of(request.user)},
        )


class VisibleRegistrationScope:
    """A registration the reader may see: their own, or one of an event they organise."""

    permission_required = "missions.see_registration"

    def get_object(self) -> Registration:
        return get_object_or_404(
            selectors.registrations_visible_to(self.request.user).select_related(
                "event", "organization", "user"
            ),
            pk=self.kwargs["pk"],
        )


class OwnRegistrationScope(VisibleRegistrationScope):
    """The reader's own registration and nobody else's, whatever their permissions: a site
    admin's ``has_perm`` is always true, so the person is checked by the queryset."""

    permission_required = "missions.act_as_registrant"

    def get_object(self) -> Registration:
        return get_object_or_404(
            selectors.registrations_of(self.request.user).select_related("user"),
            pk=self.kwargs["pk"],
        )


class RegistrationDetailView(VisibleRegistrationScope, PermissionView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = self.object
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
                "viewer_zone": viewer_zone(request),
            },
        )


class RegistrationCancelView(VisibleRegistrationScope, ConfirmedActionView):
    """Cancel a registration, after a page that says what is given up."""

    permission_required = "missions.cancel_registration"
    success_message = _("Your registration is cancelled.")
    confirm_title = _("Cancel this registration?")
    confirm_button = _("Cancel the registration")

    def confirm_lines(self) -> list[str]:
        registration = self.object
        lines = [
            _("The registration of %(person)s for %(event)s is cancelled.")
            % {"person": registration.user, "event": registration.event.title}
        ]
        if registration.status in Registration.SEAT_STATUSES:
            lines.append(
                _("The seat goes to the next person on the waiting list, if there is one.")
            )
        lines.append(_("To come after all, register again (while registration is open)."))
        return lines

    def confirm_breadcrumbs(self) -> list[tuple[str, str]]:
        event = self.object.event
        return [
            (reverse("events:list"), _("Events")),
            (event.get_absolute_url(), event.title),
            (self.object.get_absolute_url(), _("Registration")),
        ]

    def perform(self) -> None:
        services.registration_cancel(registration=self.object, by=self.request.user)


class RegistrationAcceptOfferView(OwnRegistrationScope, ActionView):
    success_message = _("The seat is yours: your registration is confirmed.")

    def perform(self) -> Any:
        services.registration_accept_offer(registration=self.object, by=self.request.user)


class RegistrationCalendarView(OwnRegistrationScope, PermissionView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.object.event
        body = ics.event_calendar(
            event,
            registration=self.object,
            url=request.build_absolute_uri(event.get_absolute_url()),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response
