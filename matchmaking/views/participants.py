"""Participant pages: one's own profile and items, browsing others, suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.pagination import filtered_page, tell_ignored
from common.views import ActionView, FormServiceView, PermissionView

from .. import selectors
from ..filters import ParticipantFilter
from ..forms import ItemForm, ProfileForm
from ..models import MarketplaceItem
from ..services import participants as services
from ._base import SessionScoped

PAGE_SIZE = 25


class ProfileView(SessionScoped, FormServiceView):
    """Create one's profile in a session, or edit it."""

    form_class = ProfileForm
    template_name = "matchmaking/profile_form.html"

    def get_object(self):
        return self.load_session()

    def has_permission(self):
        user = self.request.user
        if self.me is not None:
            return user.has_perm("matchmaking.edit_profile", self.me)
        return user.has_perm("matchmaking.take_part", self.session)

    def get_form(self, data=None, files=None):
        initial = ProfileForm.initial_from(self.me) if self.me else {}
        return ProfileForm(data, initial=initial, session=self.session, user=self.request.user)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(self.session_context())
        if self.me is not None:
            context["items"] = list(self.me.items.prefetch_related("sectors"))
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        if self.me is None:
            participant = services.participant_create(
                session=self.session, user=self.request.user, by=self.request.user, **data
            )
            messages.success(
                self.request, _("Your profile is saved. Add your offers and requests.")
            )
            return participant
        participant = services.participant_update(participant=self.me, by=self.request.user, **data)
        messages.success(self.request, _("Your profile is saved."))
        return participant

    def get_success_url(self, result):
        return reverse("matchmaking:profile", kwargs={"slug": self.session.slug})


class _ItemBase(SessionScoped, FormServiceView):
    form_class = ItemForm
    template_name = "matchmaking/item_form.html"
    permission_required = "matchmaking.edit_profile"

    def get_object(self):
        self.load_session()
        if self.me is None:
            raise Http404
        return self.me

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(self.session_context())
        return context

    def get_success_url(self, result):
        return reverse("matchmaking:profile", kwargs={"slug": self.session.slug})


class ItemCreateView(_ItemBase):
    success_message = gettext_lazy("Item added.")

    def form_valid(self, form):
        return services.item_create(participant=self.me, by=self.request.user, **form.cleaned_data)


class ItemEditView(_ItemBase):
    success_message = gettext_lazy("Item saved.")

    def get_object(self):
        me = super().get_object()
        self.item = get_object_or_404(MarketplaceItem, participant=me, pk=self.kwargs["pk"])
        return me

    def get_form(self, data=None, files=None):
        initial = {
            "direction": self.item.direction,
            "item_type": self.item.item_type,
            "title": self.item.title,
            "description": self.item.description,
            "sectors": list(self.item.sectors.all()),
        }
        return ItemForm(data, initial=initial)

    def form_valid(self, form):
        return services.item_update(item=self.item, by=self.request.user, **form.cleaned_data)


class ItemDeleteView(SessionScoped, ActionView):
    permission_required = "matchmaking.edit_profile"
    success_message = gettext_lazy("Item removed.")

    def get_object(self):
        self.load_session()
        if self.me is None:
            raise Http404
        self.item = get_object_or_404(MarketplaceItem, participant=self.me, pk=self.kwargs["pk"])
        return self.me

    def perform(self):
        services.item_delete(item=self.item, by=self.request.user)

    def get_success_url(self, result):
        return reverse("matchmaking:profile", kwargs={"slug": self.session.slug})


class ParticipantListView(SessionScoped, PermissionView):
    """Browse and filter the session's visible profiles (participants and organisers)."""

    permission_required = "matchmaking.browse_participants"

    def get_object(self):
        return self.load_session()

    def get(self, request, slug):
        base = selectors.participants_visible(request.user, self.session)
        filterset = ParticipantFilter(request.GET or None, queryset=base)
        pages = filtered_page(request, filterset, PAGE_SIZE)
        tell_ignored(request, pages["ignored"])
        context = self.session_context()
        context.update(pages, participants=list(pages["page_obj"].object_list))
        return render(request, "matchmaking/participant_list.html", context)


class ParticipantView(SessionScoped, PermissionView):
    permission_required = "matchmaking.see_profile"

    def get_object(self):
        self.load_session()
        try:
            return selectors.participant_page(self.request.user, self.session, self.kwargs["pk"])
        except selectors.Participant.DoesNotExist as error:
            raise Http404 from error

    def get(self, request, slug, pk):
        context = self.session_context()
        context.update(participant=self.object, items=list(self.object.items.all()))
        return render(request, "matchmaking/participant_detail.html", context)


class SuggestionsView(SessionScoped, PermissionView):
    """Ranked partners for the reader's profile, each with its reasons."""

    permission_required = "matchmaking.see_session"

    def get_object(self):
        return self.load_session()

    def get(self, request, slug):
        if self.me is None:
            return need_profile(request, self.session)
        context = self.session_context()
        context["suggestions"] = selectors.suggestions_for(self.me)
        return render(request, "matchmaking/suggestions.html", context)


def need_profile(request, session):
    """Send a reader without a profile to create one, saying why."""
    messages.info(request, _("Create your profile in this session first."))
    return redirect("matchmaking:profile", slug=session.slug)
