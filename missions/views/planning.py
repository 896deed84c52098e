"""Organiser pages: create and edit missions, days and items; reorder; publish; duplicate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from .. import selectors, services
from ..forms import (
    ITEM_FORMS,
    DayForm,
    DelegationMemberForm,
    DuplicateForm,
    MissionForm,
    PublishForm,
    StatusForm,
)
from ..models import ItineraryItem, Mission
from ._base import OrganiserMissionMixin, error_messages


def _plan_url(mission) -> str:
    return reverse("missions:plan", kwargs={"slug": mission.slug})


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class MissionCreateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Organisers only: anonymous readers are sent to log in, anyone else gets a 403."""

    permission_required = "missions.create_mission"

    def get(self, request):
        return self.render(MissionForm(initial={"time_zone": "Europe/Brussels"}))

    def post(self, request):
        form = MissionForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            mission = services.mission_create(
                by=request.user,
                sectors=form.cleaned_data["sectors"],
                organiser_organizations=form.cleaned_data["organiser_organizations"],
                **form.mission_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(form, status=400)
        messages.success(request, _("Mission created as a draft."))
        return redirect(_plan_url(mission))

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/mission_form.html",
            {"form": form, "mission": None},
            status=status,
        )


class MissionUpdateView(OrganiserMissionMixin, View):
    def get(self, request, slug):
        form = MissionForm(
            instance=self.mission,
            initial={
                "sectors": self.mission.sectors.all(),
                "organiser_organizations": self.mission.organiser_organizations.all(),
                "organisers": self.mission.organisers.all(),
            },
        )
        return self.render(form)

    def post(self, request, slug):
        form = MissionForm(request.POST, instance=Mission.objects.get(pk=self.mission.pk))
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.mission_update(
                mission=self.mission,
                by=request.user,
                sectors=form.cleaned_data["sectors"],
                organiser_organizations=form.cleaned_data["organiser_organizations"],
                organisers=form.cleaned_data["organisers"],
                **form.mission_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(form, status=400)
        messages.success(request, _("Mission saved."))
        if not request.user.has_perm("missions.plan_mission", self.mission):
            return redirect(self.mission)
        return redirect(_plan_url(self.mission))

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/mission_form.html",
            {"form": form, "mission": self.mission},
            status=status,
        )


class MissionPlanView(OrganiserMissionMixin, View):
    """The organiser's overview: days, items, every visit's state, the planner's warnings."""

    def get(self, request, slug):
        return self.render()

    def render(self, *, day_form=None, publish_form=None, status=200):
        days = selectors.itinerary_days(self.mission)
        items = [item for day in days for item in day.items.all()]
        warnings = selectors.mission_warnings(self.mission, items)
        flagged = {pk for warning in warnings for pk in warning.item_ids}
        members = list(selectors.delegation_members(self.mission))
        home_zones = {m.home_time_zone for m in members} | {self.request.user.home_time_zone}
        return render(
            self.request,
            "missions/mission_plan.html",
            {
                "mission": self.mission,
                "days": days,
                "warnings": warnings,
                "flagged": flagged,
                "members": members,
                "dst_shifts": selectors.mission_dst_warnings(
                    self.mission, home_zones=home_zones, items=items
                ),
                "day_form": day_form or DayForm(),
                "publish_form": publish_form or PublishForm(),
                "status_form": StatusForm(),
                "item_kinds": ItineraryItem.Kind.choices,
                "viewer_zone": self.request.user.home_time_zone,
            },
            status=status,
        )


class MissionPublishView(MissionPlanView):
    http_method_names = ["post"]

    def post(self, request, slug):
        form = PublishForm(request.POST)
        if not form.is_valid():
            return self.render(publish_form=form, status=400)
        try:
            services.mission_publish(
                mission=self.mission,
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(publish_form=form, status=400)
        messages.success(request, _("Mission published."))
        return redirect(_plan_url(self.mission))


class MissionStatusView(OrganiserMissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                services.mission_set_status(
                    mission=self.mission, by=request.user, status=form.cleaned_data["status"]
                )
                messages.success(request, _("Status changed."))
            except ValidationError as error:
                for message in error_messages(error):
                    messages.error(request, message)
        else:
            messages.error(request, _("Choose a status."))
        return redirect(_plan_url(self.mission))


class MissionDuplicateView(OrganiserMissionMixin, View):
    def get(self, request, slug):
        form = DuplicateForm(
            initial={"title": _("%(title)s (copy)") % {"title": self.mission.title}}
        )
        return self.render(form)

    def post(self, request, slug):
        form = DuplicateForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            copy = services.mission_duplicate(
                mission=self.mission, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(form, status=400)
        messages.success(request, _("Copy created as a draft."))
        return redirect(_plan_url(copy))

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/mission_duplicate.html",
            {"form": form, "mission": self.mission},
            status=status,
        )


class DayCreateView(MissionPlanView):
    http_method_names = ["post"]

    def post(self, request, slug):
        form = DayForm(request.POST)
        if not form.is_valid():
            return self.render(day_form=form, status=400)
        try:
            services.day_create(mission=self.mission, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(day_form=form, status=400)
        messages.success(request, _("Day added."))
        return redirect(_plan_url(self.mission))


class DayMixin(OrganiserMissionMixin):
    def get_day(self):
        return get_object_or_404(self.mission.days.all(), pk=self.kwargs["day"])


class DayUpdateView(DayMixin, View):
    def get(self, request, slug, day):
        day = self.get_day()
        return self.render(day, DayForm(instance=day))

    def post(self, request, slug, day):
        day = self.get_day()
        form = DayForm(request.POST)
        if not form.is_valid():
            return self.render(day, form, status=400)
        try:
            services.day_update(day=day, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(day, form, status=400)
        messages.success(request, _("Day saved."))
        return redirect(_plan_url(self.mission))

    def render(self, day, form, status=200):
        return render(
            self.request,
            "missions/day_form.html",
            {"mission": self.mission, "day": day, "form": form},
            status=status,
        )


class DayDeleteView(DayMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, day):
        try:
            services.day_delete(day=self.get_day(), by=request.user)
            messages.success(request, _("Day removed."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect(_plan_url(self.mission))


class ItemCreateView(DayMixin, View):
    def get_form_class(self):
        form_class = ITEM_FORMS.get(self.kwargs["kind"])
        if form_class is None:
            raise Http404
        return form_class

    def get(self, request, slug, day, kind):
        day = self.get_day()
        return self.render(day, self.get_form_class()(day=day))

    def post(self, request, slug, day, kind):
        day = self.get_day()
        form = self.get_form_class()(request.POST, day=day)
        if not form.is_valid():
            return self.render(day, form, status=400)
        try:
            services.item_create(
                day=day,
                by=request.user,
                kind=form.kind,
                hosts=form.cleaned_data.get("hosts") or (),
                **form.item_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(day, form, status=400)
        messages.success(request, _("Added to %(date)s.") % {"date": date_format(day.date)})
        return redirect(_plan_url(self.mission))

    def render(self, day, form, status=200):
        return render(
            self.request,
            "missions/item_form.html",
            {
                "mission": self.mission,
                "day": day,
                "form": form,
                "item": None,
                "kind_label": ItineraryItem.Kind(form.kind).label.lower(),
            },
            status=status,
        )


class ItemMixin(OrganiserMissionMixin):
    def get_item(self) -> ItineraryItem:
        return get_object_or_404(
            ItineraryItem.objects.select_related("day__mission"),
            pk=self.kwargs["pk"],
            day__mission=self.mission,
        )


class ItemUpdateView(ItemMixin, View):
    def get(self, request, slug, pk):
        item = self.get_item()
        return self.render(item, ITEM_FORMS[item.kind](instance=item, day=item.day))

    def post(self, request, slug, pk):
        item = self.get_item()
        form = ITEM_FORMS[item.kind](request.POST, instance=item, day=item.day)
        if not form.is_valid():
            return self.render(item, form, status=400)
        try:
            services.item_update(
                item=item,
                by=request.user,
                hosts=form.cleaned_data.get("hosts") if "hosts" in form.fields else None,
                **form.item_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(item, form, status=400)
        messages.success(request, _("Saved."))
        return redirect(_plan_url(self.mission))

    def render(self, item, form, status=200):
        return render(
            self.request,
            "missions/item_form.html",
            {"mission": self.mission, "day": item.day, "form": form, "item": item},
            status=status,
        )


class ItemDeleteView(ItemMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        try:
            services.item_delete(item=self.get_item(), by=request.user)
            messages.success(request, _("Removed."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect(_plan_url(self.mission))


class ItemMoveView(ItemMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
        if offset is None:
            messages.error(request, _("Move up or down."))
            return redirect(_plan_url(self.mission))
        try:
            services.item_move(item=self.get_item(), by=request.user, offset=offset)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect(_plan_url(self.mission))


class ItemAcceptProposalView(ItemMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        try:
            services.visit_accept_proposal(item=self.get_item(), by=request.user)
            messages.success(request, _("The visit moved to the time its host proposed."))
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect(_plan_url(self.mission))


class DelegationView(OrganiserMissionMixin, View):
    def get(self, request, slug):
        return self.render(DelegationMemberForm())

    def post(self, request, slug):
        form = DelegationMemberForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            services.delegation_member_add(
                mission=self.mission,
                by=request.user,
                user=data["user"],
                organization=data["organization"],
                role=data["role"],
                home_time_zone=data["home_time_zone"] or None,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise Http404 from error
            _add_errors(form, error)
            return self.render(form, status=400)
        messages.success(request, _("Added to the delegation."))
        return redirect("missions:delegation", slug=self.mission.slug)

    def render(self, form, status=200):
        return render(
            self.request,
            "missions/delegation_form.html",
            {
                "mission": self.mission,
                "form": form,
                "members": selectors.delegation_members(self.mission),
                "can_remove_members": True,
            },
            status=status,
        )


class DelegationMemberRemoveView(OrganiserMissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, pk):
        member = get_object_or_404(
            selectors.delegation_members(self.mission), pk=pk
        )
        services.delegation_member_remove(member=member, by=request.user)
        messages.success(
            request,
            _("%(name)s left the delegation.") % {"name": member.user.get_full_name()},
        )
        return redirect("missions:delegation", slug=self.mission.slug)
