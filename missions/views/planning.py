"""Organiser pages: create and edit missions, days and items; reorder; publish; duplicate."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.views import (
    ActionView,
    ConfirmedActionView,
    FormServiceView,
    PermissionView,
    editable_copy,
)

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
from ..models import DelegationMember, ItineraryDay, ItineraryItem, Mission
from ._base import PlanningScope, plan_url


class MissionCreateView(FormServiceView):
    """Organisers only: anonymous readers are sent to log in, anyone else gets a 403."""

    permission_required = "missions.create_mission"
    form_class = MissionForm
    template_name = "missions/mission_form.html"
    success_message = gettext_lazy("Mission created as a draft.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"time_zone": "Europe/Brussels"}}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(mission=None, **context)

    def form_valid(self, form: MissionForm) -> Mission:
        return services.mission_create(
            by=self.request.user,
            sectors=form.cleaned_data["sectors"],
            organiser_organizations=form.cleaned_data["organiser_organizations"],
            **form.mission_fields(),
        )

    def get_success_url(self, result: Mission) -> str:
        return plan_url(result)


class MissionUpdateView(PlanningScope, FormServiceView):
    form_class = MissionForm
    template_name = "missions/mission_form.html"
    success_message = gettext_lazy("Mission saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {"instance": editable_copy(self.mission)}
        return {
            "instance": self.mission,
            "initial": {
                "sectors": self.mission.sectors.all(),
                "organiser_organizations": self.mission.organiser_organizations.all(),
                "organisers": self.mission.organisers.all(),
            },
        }

    def form_valid(self, form: MissionForm) -> None:
        services.mission_update(
            mission=self.mission,
            by=self.request.user,
            sectors=form.cleaned_data["sectors"],
            organiser_organizations=form.cleaned_data["organiser_organizations"],
            organisers=form.cleaned_data["organisers"],
            **form.mission_fields(),
        )

    def get_success_url(self, result: Any) -> str:
        # Someone who took themself off the organisers can no longer open the plan.
        if not self.request.user.has_perm("missions.plan_mission", self.mission):
            return self.mission.get_absolute_url()
        return plan_url(self.mission)


class PlanPage(PlanningScope):
    """Forms posted from the planning page show that page again when they are refused."""

    def render_plan(
        self, *, day_form: Form | None = None, publish_form: Form | None = None, status: int = 200
    ) -> HttpResponse:
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
                "items": items,
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


class MissionPlanView(PlanPage, PermissionView):
    """The organiser's overview: days, items, every visit's state, the planner's warnings."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render_plan()


class MissionPublishView(PlanPage, FormServiceView):
    http_method_names = ["post"]
    form_class = PublishForm
    success_message = gettext_lazy("Mission published.")

    def render_form(self, form: Form, status: int = 200) -> HttpResponse:
        return self.render_plan(publish_form=form, status=status)

    def form_valid(self, form: PublishForm) -> None:
        services.mission_publish(
            mission=self.mission,
            by=self.request.user,
            override_reason=form.cleaned_data["override_reason"],
        )


class DayCreateView(PlanPage, FormServiceView):
    http_method_names = ["post"]
    form_class = DayForm
    success_message = gettext_lazy("Day added.")

    def render_form(self, form: Form, status: int = 200) -> HttpResponse:
        return self.render_plan(day_form=form, status=status)

    def form_valid(self, form: DayForm) -> None:
        services.day_create(mission=self.mission, by=self.request.user, **form.cleaned_data)


class MissionStatusView(PlanningScope, ActionView):
    success_message = gettext_lazy("Status changed.")

    def perform(self) -> None:
        form = StatusForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a status."))
        services.mission_set_status(
            mission=self.mission, by=self.request.user, status=form.cleaned_data["status"]
        )


class MissionDuplicateView(PlanningScope, FormServiceView):
    form_class = DuplicateForm
    template_name = "missions/mission_duplicate.html"
    success_message = gettext_lazy("Copy created as a draft.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"title": _("%(title)s (copy)") % {"title": self.mission.title}}}

    def form_valid(self, form: DuplicateForm) -> Mission:
        return services.mission_duplicate(
            mission=self.mission, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, result: Mission) -> str:
        return plan_url(result)


class PlannedDayScope(PlanningScope):
    """One day of the organiser's mission, by its id in the URL; another mission's day is a
    404."""

    @cached_property
    def day(self) -> ItineraryDay:
        return get_object_or_404(self.mission.days.all(), pk=self.kwargs["day"])

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(day=self.day, **context)


class DayUpdateView(PlannedDayScope, FormServiceView):
    form_class = DayForm
    template_name = "missions/day_form.html"
    success_message = gettext_lazy("Day saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {} if self.request.method == "POST" else {"instance": self.day}

    def form_valid(self, form: DayForm) -> None:
        services.day_update(day=self.day, by=self.request.user, **form.cleaned_data)


class DayDeleteView(PlannedDayScope, ActionView):
    success_message = gettext_lazy("Day removed.")

    def perform(self) -> None:
        services.day_delete(day=self.day, by=self.request.user)


class ItemCreateView(PlannedDayScope, FormServiceView):
    template_name = "missions/item_form.html"

    def get_form(self, data=None, files=None) -> Form:
        form_class = ITEM_FORMS.get(self.kwargs["kind"])
        if form_class is None:
            raise Http404
        return form_class(data, day=self.day)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        kind_label = ItineraryItem.Kind(context["form"].kind).label.lower()
        return super().get_context_data(item=None, kind_label=kind_label, **context)

    def form_valid(self, form: Form) -> None:
        services.item_create(
            day=self.day,
            by=self.request.user,
            kind=form.kind,
            hosts=form.cleaned_data.get("hosts") or (),
            **form.item_fields(),
        )
        messages.success(
            self.request, _("Added to %(date)s.") % {"date": date_format(self.day.date)}
        )


class PlannedItemScope(PlanningScope):
    """One item of the organiser's mission; another mission's item is a 404."""

    @cached_property
    def item(self) -> ItineraryItem:
        return get_object_or_404(selectors.planning_items(self.mission), pk=self.kwargs["pk"])


class ItemUpdateView(PlannedItemScope, FormServiceView):
    template_name = "missions/item_form.html"
    success_message = gettext_lazy("Saved.")

    def get_form(self, data=None, files=None) -> Form:
        return ITEM_FORMS[self.item.kind](data, instance=self.item, day=self.item.day)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(day=self.item.day, item=self.item, **context)

    def form_valid(self, form: Form) -> None:
        services.item_update(
            item=self.item,
            by=self.request.user,
            hosts=form.cleaned_data.get("hosts") if "hosts" in form.fields else None,
            **form.item_fields(),
        )


class ItemDeleteView(PlannedItemScope, ConfirmedActionView):
    """Remove an itinerary item, after a page that says what goes with it."""

    success_message = gettext_lazy("Removed.")
    confirm_title = gettext_lazy("Remove this item from the itinerary?")
    confirm_button = gettext_lazy("Remove it")

    def confirm_lines(self) -> list[str]:
        item = self.item
        lines = [
            _("“%(title)s” on %(date)s leaves the itinerary of %(mission)s.")
            % {"title": item.title, "date": date_format(item.day.date), "mission": self.mission}
        ]
        if self.mission.is_public:
            lines.append(
                _("The change is logged, and delegates and hosts it concerns are told about it.")
            )
        lines.append(_("This cannot be undone: to have it back, add it again."))
        return lines

    def confirm_breadcrumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("missions:list"), _("Missions")),
            (self.mission.get_absolute_url(), self.mission.title),
            (plan_url(self.mission), _("Plan")),
        ]

    def perform(self) -> None:
        services.item_delete(item=self.item, by=self.request.user)


class ItemMoveView(PlannedItemScope, ActionView):
    def perform(self) -> None:
        offset = {"up": -1, "down": 1}.get(self.request.POST.get("direction"))
        if offset is None:
            raise ValidationError(_("Move up or down."))
        services.item_move(item=self.item, by=self.request.user, offset=offset)


class ItemAcceptProposalView(PlannedItemScope, ActionView):
    success_message = gettext_lazy("The visit moved to the time its host proposed.")

    def perform(self) -> None:
        services.visit_accept_proposal(item=self.item, by=self.request.user)


class DelegationScope(PlanningScope):
    def get_success_url(self, result: Any) -> str:
        return reverse("missions:delegation", kwargs={"slug": self.mission.slug})


class DelegationView(DelegationScope, FormServiceView):
    form_class = DelegationMemberForm
    template_name = "missions/delegation_form.html"
    success_message = gettext_lazy("Added to the delegation.")

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            members=selectors.delegation_members(self.mission), can_remove_members=True, **context
        )

    def form_valid(self, form: DelegationMemberForm) -> None:
        data = form.cleaned_data
        try:
            services.delegation_member_add(
                mission=self.mission,
                by=self.request.user,
                user=data["user"],
                organization=data["organization"],
                role=data["role"],
                home_time_zone=data["home_time_zone"] or None,
            )
        except PermissionDenied as error:
            raise Http404 from error


class DelegationMemberRemoveView(DelegationScope, ActionView):
    def perform(self) -> None:
        member: DelegationMember = get_object_or_404(
            selectors.delegation_members(self.mission), pk=self.kwargs["pk"]
        )
        services.delegation_member_remove(member=member, by=self.request.user)
        messages.success(
            self.request,
            _("%(name)s left the delegation.") % {"name": member.user.get_full_name()},
        )
