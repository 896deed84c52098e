"""Public pages: the list of events, one event, registering, and who else comes."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common import pagecache
from common.views import FormServiceView, PermissionView, viewer_zone

from .. import selectors, services
from ..forms import RegistrationForm
from ..models import Event, Registration
from ._base import EventScope


class EventListView(PermissionView):
    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        events = list(selectors.event_list(request.user))
        return render(
            request,
            "missions/events/event_list.html",
            {
                "events": [event for event in events if event.is_public],
                "unpublished": [event for event in events if not event.is_public],
                "can_create": request.user.has_perm("missions.create_event"),
                "viewer_zone": viewer_zone(request),
            },
        )


class EventDetailView(PermissionView):
    """The event page: agenda in venue time (and the reader's), seats, how to register.

    Its facts (seat figures included) and its programme (description, agenda), for a reader
    who sees what everyone sees, are rendered once per version of the event, language and
    reader's zone (``common/pagecache.py``); the reader's own part (their registration,
    the register button, the organisers' links) is rendered afresh around them. Whoever
    sees more than the public (the event's organisers, and so anyone reading a draft) gets
    the content rendered afresh."""

    login_required = False
    permission_required = "missions.see_event"
    content_templates = {
        "facts": "missions/events/_event_facts.html",
        "programme": "missions/events/_event_programme.html",
    }

    def get_object(self) -> Event:
        try:
            return selectors.event_visible(self.request.user, self.kwargs["slug"])
        except Event.DoesNotExist:
            raise Http404 from None

    @functools.cached_property
    def content_context(self) -> dict[str, Any]:
        """What the facts and the programme show, loaded once for both: six queries for the
        agenda, partners and sectors, one for the seat figures."""
        return {
            "event": selectors.event_content(self.object),
            "counts": selectors.seat_counts(self.object),
            "viewer_zone": viewer_zone(self.request),
        }

    def content(self, part: str) -> str:
        return render_to_string(self.content_templates[part], self.content_context, self.request)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.object
        can_manage = request.user.has_perm("missions.manage_event", event)
        if event.is_public and not can_manage:
            version = selectors.event_content_version(event)
            parts = {
                part: pagecache.public_copy(
                    template,
                    event,
                    version,
                    functools.partial(self.content, part),
                    vary=viewer_zone(request) or "",
                )
                for part, template in self.content_templates.items()
            }
        else:
            parts = {part: self.content(part) for part in self.content_templates}
        return render(
            request,
            "missions/events/event_detail.html",
            {
                "event": event,
                # Our own templates' output (everything in it was escaped when rendered).
                **{part: mark_safe(html) for part, html in parts.items()},  # noqa: S308
                "registration": selectors.live_registration(request.user, event),
                "registration_refusal": selectors.registration_refusal(event),
                "can_manage": can_manage,
            },
        )


def _status_message(registration: Registration) -> str:
    Status = Registration.Status
    return {
        Status.PENDING: _("Thank you: your registration awaits the organisers' approval."),
        Status.CONFIRMED: _("You are registered: your seat is confirmed."),
        Status.WAITLISTED: _("All seats are taken: you are on the waiting list."),
    }.get(registration.status, registration.get_status_display())


class RegisterView(EventScope, FormServiceView):
    permission_required = "missions.register_for_event"
    template_name = "missions/events/registration_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        existing = selectors.live_registration(request.user, self.event)
        if existing is not None:
            messages.info(request, _("You are already registered for this event."))
            return redirect(existing)
        refusal = selectors.registration_refusal(self.event)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(self.event)
        return super().get(request, *args, **kwargs)

    def get_form(self, data=None, files=None) -> RegistrationForm:
        return RegistrationForm(data, event=self.event, user=self.request.user)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            viewer_zone=viewer_zone(self.request),
            has_organizations=context["form"].fields["organization"].queryset.exists(),
            **context,
        )

    def form_valid(self, form: RegistrationForm) -> Registration:
        registration = services.registration_create(
            event=self.event, user=self.request.user, **form.service_arguments()
        )
        messages.success(self.request, _status_message(registration))
        return registration


class ParticipantListView(EventScope, PermissionView):
    """Attending people who consented to be listed; for participants and organisers."""

    permission_required = "missions.view_event_participants"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "missions/events/participant_list.html",
            {"event": self.event, "participants": selectors.participants_listed(self.event)},
        )
