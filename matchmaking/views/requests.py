"""Request pages: send one, the inbox, a request's page, accept, decline, cancel."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.views import ActionView, FormServiceView, PermissionView

from .. import selectors
from ..forms import AcceptForm, DeclineForm, RequestForm
from ..models import MeetingRequest
from ..services import requests as services
from ._base import SessionScoped
from .participants import need_profile


class RequestSendView(SessionScoped, FormServiceView):
    """Ask the participant on the page for a meeting."""

    permission_required = "matchmaking.see_profile"
    form_class = RequestForm
    template_name = "matchmaking/request_form.html"
    success_message = _("Request sent.")

    def get_object(self):
        self.load_session()
        try:
            return selectors.participant_page(self.request.user, self.session, self.kwargs["pk"])
        except selectors.Participant.DoesNotExist as error:
            raise Http404 from error

    def get(self, request, *args, **kwargs):
        if self.me is None:
            return need_profile(request, self.session)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.me is None:
            return need_profile(request, self.session)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(self.session_context(), receiver=self.object)
        return context

    def form_valid(self, form):
        return services.request_send(
            sender=self.me, receiver=self.object, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, result):
        return reverse("matchmaking:inbox", kwargs={"slug": self.session.slug})


class InboxView(SessionScoped, PermissionView):
    permission_required = "matchmaking.see_session"

    def get_object(self):
        return self.load_session()

    def get(self, request, slug):
        if self.me is None:
            return need_profile(request, self.session)
        context = self.session_context()
        inbox = selectors.inbox(self.me)
        context.update(received=inbox.received, sent=inbox.sent)
        return render(request, "matchmaking/inbox.html", context)


class _RequestBase(SessionScoped):
    def get_object(self):
        self.load_session()
        try:
            return selectors.requests_visible(self.request.user, self.session).get(
                pk=self.kwargs["pk"]
            )
        except MeetingRequest.DoesNotExist as error:
            raise Http404 from error


class RequestView(_RequestBase, PermissionView):
    permission_required = "matchmaking.see_request"

    def get(self, request, slug, pk):
        context = self.session_context()
        context.update(
            request_obj=self.object,
            can_answer=request.user.has_perm("matchmaking.answer_request", self.object)
            and self.object.status == MeetingRequest.Status.PENDING,
            accept_form=AcceptForm(session=self.session),
            decline_form=DeclineForm(),
        )
        return render(request, "matchmaking/request_detail.html", context)


class RequestAcceptView(_RequestBase, ActionView):
    permission_required = "matchmaking.answer_request"
    success_message = _("Request accepted.")

    def perform(self):
        form = AcceptForm(self.request.POST, session=self.session)
        if not form.is_valid():
            raise ValidationError(_("Pick a slot and a table of this session."))
        return services.request_accept(
            request=self.object,
            by=self.request.user,
            slot=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
        )


class RequestDeclineView(_RequestBase, ActionView):
    permission_required = "matchmaking.answer_request"
    success_message = _("Request declined.")

    def perform(self):
        form = DeclineForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Give a reason of at most 2000 characters."))
        return services.request_decline(
            request=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class RequestCancelView(_RequestBase, ActionView):
    permission_required = "matchmaking.cancel_request"
    success_message = _("Request cancelled; the other side is told by email.")

    def perform(self):
        return services.request_cancel(request=self.object, by=self.request.user)
